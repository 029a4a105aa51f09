using NodaTime;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// Each policy written by hand as plain if/else over the records, producing the same decisions as
/// the compiled evaluator (rule, due date, alert): the practical limit. The benchmark's setup
/// checks that every decision is identical before anything is measured. It compares the records'
/// integer date keys as the evaluator does (a LocalDate rebuilt from the key costs a validated
/// construction), and reads <see cref="DeviceRecord.StatusSince"/> only for pending devices.
/// </summary>
internal sealed class HandWritten
{
    private static readonly RetentionPeriod Twelve = RetentionPeriod.FromMonths(12);
    private static readonly RetentionPeriod ThirtySix = RetentionPeriod.FromMonths(36);

    private readonly string _policy;
    private readonly LocalDate _asOf;
    private readonly int _asOfKey;
    private readonly RetentionRule[] _rules;
    private readonly AlertedRemoval[] _withAlert; // each rule with the default alert, made once as the library does

    public HandWritten(string policy, CompiledPolicy compiled, LocalDate asOf)
    {
        _policy = policy;
        _asOf = asOf;
        _asOfKey = RetentionCalendar.DateKey(asOf);
        _rules = [.. compiled.Timeline.PolicyAt(asOf).Rules];
        _withAlert = _rules.Select(r => new AlertedRemoval(r, RetentionRule.DefaultAlert)).ToArray();
    }

    public void Evaluate(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions)
    {
        switch (_policy)
        {
            case "secmp0060":
                Secmp0060(devices, decisions);
                break;
            case "dcc-cr1022":
                Cr1022(devices, decisions);
                break;
            case "bryt-previously-commissioned":
                Bryt(devices, decisions);
                break;
            default:
                throw new ArgumentException($"No hand-written version of {_policy}.");
        }
    }

    private void Secmp0060(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions)
    {
        var rule = _rules[0];
        for (var i = 0; i < devices.Length; i++)
        {
            ref readonly var d = ref devices[i];
            if (!d.IsInitialized || d.SinceKey > _asOfKey)
            {
                decisions[i] = Bad(d);
            }
            else if (d.Status == SmiStatus.Pending)
            {
                decisions[i] = PendingFor(d, ThirtySix, rule);
            }
            else
            {
                decisions[i] = RetentionDecision.Decided(RetentionAction.Retain, null, null);
            }
        }
    }

    private void Cr1022(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions)
    {
        for (var i = 0; i < devices.Length; i++)
        {
            ref readonly var d = ref devices[i];
            if (!d.IsInitialized || d.SinceKey > _asOfKey)
            {
                decisions[i] = Bad(d);
            }
            else if (d.Type is DeviceType.CHF or DeviceType.GPF)
            {
                decisions[i] = RetentionDecision.Decided(RetentionAction.Retain, _rules[0], null);
            }
            else if (d.Status == SmiStatus.Pending && d.Type is DeviceType.ESME or DeviceType.GSME or DeviceType.PPMID or DeviceType.HCALCS)
            {
                var rule = d.Type switch
                {
                    DeviceType.ESME => _rules[1],
                    DeviceType.GSME => _rules[2],
                    DeviceType.PPMID => _rules[3],
                    _ => _rules[4],
                };
                decisions[i] = PendingFor(d, Twelve, rule);
            }
            else
            {
                decisions[i] = RetentionDecision.Decided(RetentionAction.Retain, null, null);
            }
        }
    }

    private void Bryt(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions)
    {
        var rule = _rules[0];
        for (var i = 0; i < devices.Length; i++)
        {
            ref readonly var d = ref devices[i];
            if (!d.IsInitialized || d.SinceKey > _asOfKey)
            {
                decisions[i] = Bad(d);
            }
            else if (d.Status == SmiStatus.Pending && d.PriorStatuses.ContainsOtherThan(SmiStatus.Pending))
            {
                decisions[i] = PendingFor(d, Twelve, rule);
            }
            else
            {
                decisions[i] = RetentionDecision.Decided(RetentionAction.Retain, null, null);
            }
        }
    }

    // Fail closed like the library: a record that is uninitialised or dated after the run is undetermined.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static RetentionDecision Bad(in DeviceRecord d) => RetentionDecision.Undetermined(d.IsInitialized ? "after the as-of date" : "uninitialised");

    private RetentionDecision PendingFor(in DeviceRecord d, RetentionPeriod period, RetentionRule rule)
    {
        var due = RetentionCalendar.DueDate(d.StatusSince, period);
        return due <= _asOf
            ? RetentionDecision.Removed(d.Type.IsCommunicationsHub() ? rule : _withAlert[rule.Index], due)
            : RetentionDecision.Decided(RetentionAction.Retain, null, due);
    }
}
