using NodaTime;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// Each policy written by hand as plain if/else over the records, producing the same decisions as
/// the compiled evaluator (rule, due date, alert): the practical limit. The benchmark's setup
/// checks that every decision is identical before anything is measured. <typeparamref name="TDates"/>
/// says how a record's status date is compared with the as-of date and its due date made: as the
/// evaluator does, on the records' integer keys (<see cref="ByKey"/>, the strongest baseline), or as
/// a consumer of the public API would, through <see cref="DeviceRecord.StatusSince"/> and
/// <see cref="RetentionCalendar.DueDate"/> (<see cref="ByLocalDate"/>).
/// </summary>
internal sealed class HandWritten<TDates>
    where TDates : struct, IStatusDates
{
    private static readonly RetentionPeriod Twelve = RetentionPeriod.FromMonths(12);
    private static readonly RetentionPeriod ThirtySix = RetentionPeriod.FromMonths(36);

    private readonly string _policy;
    private readonly LocalDate _asOf;
    private readonly TDates _dates;
    private readonly RetentionRule[] _rules;
    private readonly AlertedRemoval[] _withAlert; // each rule with the default alert, made once as the library does

    public HandWritten(string policy, CompiledPolicy compiled, LocalDate asOf)
    {
        _policy = policy;
        _asOf = asOf;
        _dates = new TDates { AsOf = asOf };
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
            if (!d.IsInitialized || _dates.After(d))
            {
                decisions[i] = Bad(d);
            }
            else if (d.Status == SmiStatus.Pending)
            {
                decisions[i] = PendingFor(d, ThirtySix, rule);
            }
            else
            {
                decisions[i] = RetentionDecision.RetainedByNoRule;
            }
        }
    }

    private void Cr1022(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions)
    {
        for (var i = 0; i < devices.Length; i++)
        {
            ref readonly var d = ref devices[i];
            if (!d.IsInitialized || _dates.After(d))
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
                decisions[i] = RetentionDecision.RetainedByNoRule;
            }
        }
    }

    private void Bryt(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions)
    {
        var rule = _rules[0];
        for (var i = 0; i < devices.Length; i++)
        {
            ref readonly var d = ref devices[i];
            if (!d.IsInitialized || _dates.After(d))
            {
                decisions[i] = Bad(d);
            }
            else if (d.Status == SmiStatus.Pending && (d.PriorStatuses.Contains(SmiStatus.Commissioned) || d.PriorStatuses.Contains(SmiStatus.Decommissioned)))
            {
                decisions[i] = PendingFor(d, Twelve, rule);
            }
            else
            {
                decisions[i] = RetentionDecision.RetainedByNoRule;
            }
        }
    }

    // Fail closed like the library: a record that is uninitialised or dated after the run is undetermined.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static RetentionDecision Bad(in DeviceRecord d) => RetentionDecision.Undetermined(d.IsInitialized ? "after the as-of date" : "uninitialised");

    private RetentionDecision PendingFor(in DeviceRecord d, RetentionPeriod period, RetentionRule rule)
    {
        var due = _dates.DueDate(d, period);
        return due <= _asOf
            ? RetentionDecision.Removed(d.Type.IsCommunicationsHub() ? rule : _withAlert[rule.Index], due)
            : RetentionDecision.Decided(RetentionAction.Retain, null, due);
    }
}

/// <summary>How a hand-written loop tells that a record's status date is after the as-of date.</summary>
internal interface IStatusDates
{
    /// <summary>The as-of date.</summary>
    LocalDate AsOf { init; }

    /// <summary>Whether the record's status applies after the as-of date.</summary>
    bool After(in DeviceRecord device);

    /// <summary>The date the record's status has been held for <paramref name="period"/> (the generated records' dates are far from the calendar's last).</summary>
    LocalDate DueDate(in DeviceRecord device, RetentionPeriod period);
}

/// <summary>On the records' integer date keys, as the evaluator compares them and makes their due dates.</summary>
internal readonly struct ByKey : IStatusDates
{
    private readonly int _asOfKey;

    public LocalDate AsOf { init => _asOfKey = RetentionCalendar.DateKey(value); }

    public bool After(in DeviceRecord device) => device.SinceKey > _asOfKey;

    public LocalDate DueDate(in DeviceRecord device, RetentionPeriod period) =>
        RetentionCalendar.TryDueKey(device.SinceKey, period.Months, BoundaryMode.OnCorrespondingDate, out var due)
            ? RetentionCalendar.FromDateKey(due)
            : throw new InvalidOperationException("A generated record's due date is past the calendar's last date.");
}

/// <summary>Through the public API: <see cref="DeviceRecord.StatusSince"/> against a LocalDate.</summary>
internal readonly struct ByLocalDate : IStatusDates
{
    private readonly LocalDate _asOf;

    public LocalDate AsOf { init => _asOf = value; }

    public bool After(in DeviceRecord device) => device.StatusSince > _asOf;

    public LocalDate DueDate(in DeviceRecord device, RetentionPeriod period) => RetentionCalendar.DueDate(device.StatusSince, period);
}
