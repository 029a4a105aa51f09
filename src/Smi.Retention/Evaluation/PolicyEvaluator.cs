using System.Numerics;
using NodaTime;
using Smi.Retention.Policies;

namespace Smi.Retention.Evaluation;

/// <summary>
/// Evaluates devices under a <see cref="CompiledPolicy"/> on one as-of date. Immutable and
/// thread-safe: share one across threads. Evaluation allocates nothing per device.
/// </summary>
public sealed class PolicyEvaluator
{
    private const int ParallelChunk = 1 << 14;

    private readonly CompiledPolicy _policy;
    private readonly CompiledVersion _version;
    private readonly int _versionIndex;
    private readonly ushort[] _priorClass;
    private readonly int[] _rowEntries;
    private readonly int[] _entries;
    private readonly uint[] _removeBits;
    private readonly int _classes;
    private readonly int _epochs;
    private readonly LocalDate[] _cutoffs;
    private readonly int[] _cutoffKeys;
    private readonly int _asOfKey;
    private readonly RetentionRule?[] _ruleByCode; // [0] null (no rule matched), then the rules; an array, not IReadOnlyList: no interface call per device

    // For due dates beyond this version: each later version's cutoffs on the day it comes into force.
    private readonly LocalDate[][] _laterCutoffs;

    internal PolicyEvaluator(CompiledPolicy policy, LocalDate asOf)
    {
        _policy = policy;
        AsOf = asOf;
        _versionIndex = policy.Timeline.VersionIndexAt(asOf);
        _version = policy.Versions[_versionIndex];
        var table = _version.Table;
        _priorClass = table.PriorClass;
        _rowEntries = table.RowEntries;
        _entries = table.Entries;
        _removeBits = table.RemoveBits;
        _classes = table.Classes;
        _epochs = table.Epochs;
        _ruleByCode = [null, .. _version.Policy.Rules];
        _cutoffs = _version.CutoffsOn(asOf, policy.Boundary);
        _cutoffKeys = _cutoffs.Select(RetentionCalendar.DateKey).ToArray();
        _asOfKey = RetentionCalendar.DateKey(asOf);
        _laterCutoffs = policy.Versions.Skip(_versionIndex + 1).Select(v => v.CutoffsOn(v.From!.Value, policy.Boundary)).ToArray();
    }

    /// <summary>The London date of the decisions.</summary>
    public LocalDate AsOf { get; }

    /// <summary>The policy (timeline version) in force on <see cref="AsOf"/>.</summary>
    public RetentionPolicy PolicyInForce => _version.Policy;

    /// <summary>The compiled policy or timeline this evaluator belongs to.</summary>
    public CompiledPolicy Policy => _policy;

    /// <summary>
    /// The exact cutoff of each period on <see cref="AsOf"/>, shortest period first: a device whose
    /// status applied on or before a period's cutoff has held it for that period.
    /// </summary>
    public IReadOnlyList<LocalDate> Cutoffs => _cutoffs;

    /// <summary>Decides one device. An uninitialised record, or one whose status applies after the as-of date, is undetermined.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The decision; never a removal on bad data.</returns>
    public RetentionDecision Evaluate(in DeviceRecord device)
    {
        Decide(device, out var decision);
        return decision;
    }

    /// <summary>Decides one device into <paramref name="decision"/>, which may be an element of the caller's array.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Decide(in DeviceRecord device, out RetentionDecision decision)
    {
        var sinceKey = device.SinceKey;
        if (!device.IsInitialized || sinceKey > _asOfKey)
        {
            decision = Bad(device);
            return;
        }

        // The decision table (DecisionTable): the row of the type, status and prior class, then,
        // only for a row whose decision depends on the date, the epoch.
        var row = DecisionTable.Row(device, _classes, _priorClass);
        var entry = _rowEntries[row];
        if ((entry & DecisionTable.NeedsEpoch) != 0)
        {
            // How many periods (shortest first) have elapsed: cutoffs are latest first, so stop at the first miss.
            var epoch = 0;
            var cutoffs = _cutoffKeys;
            while (epoch < cutoffs.Length && sinceKey <= cutoffs[epoch])
            {
                epoch++;
            }

            entry = _entries[(row * _epochs) + epoch];
            if ((entry & DecisionTable.RemovesInSomeEpoch) != 0)
            {
                decision = WithDueDate(device, epoch, _removeBits[row], _ruleByCode[DecisionTable.RuleCode(entry)], DecisionTable.ActionOf(entry));
                return;
            }
        }

        var code = DecisionTable.RuleCode(entry);
        if (code == 0)
        {
            // Written apart so the JIT sees the null rule and stores no GC write barrier: most
            // devices match no rule, and the barrier was a fifth of the time (perf).
            decision = RetentionDecision.Decided(RetentionAction.Retain, null, null);
        }
        else
        {
            decision = RetentionDecision.Decided(DecisionTable.ActionOf(entry), _ruleByCode[code], null);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private RetentionDecision Bad(in DeviceRecord device) =>
        RetentionDecision.Undetermined(!device.IsInitialized ? Messages.Uninitialized : Messages.SinceAfterAsOf(device.StatusSince, AsOf));

    /// <summary>Decides every device of a batch, in order.</summary>
    /// <param name="devices">The devices.</param>
    /// <param name="decisions">Where the decisions go; at least as long as <paramref name="devices"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="decisions"/> is shorter than <paramref name="devices"/>.</exception>
    public void Evaluate(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions)
    {
        if (decisions.Length < devices.Length)
        {
            throw new ArgumentException(Messages.OutputTooShort(decisions.Length, devices.Length), nameof(decisions));
        }

        for (var i = 0; i < devices.Length; i++)
        {
            Decide(in devices[i], out decisions[i]);
        }
    }

    /// <summary>Decides every device of a large batch on all cores; the same decisions as the single-threaded batch.</summary>
    /// <param name="devices">The devices.</param>
    /// <param name="decisions">Where the decisions go; at least as long as <paramref name="devices"/>.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads; -1 (the default) for as many as there are cores.</param>
    /// <param name="cancellationToken">Stops the batch; decisions already written stay, the rest are undetermined.</param>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="decisions"/> is shorter than <paramref name="devices"/>.</exception>
    /// <exception cref="OperationCanceledException">The batch was cancelled.</exception>
    public void EvaluateParallel(DeviceRecord[] devices, RetentionDecision[] decisions, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(decisions);
        if (decisions.Length < devices.Length)
        {
            throw new ArgumentException(Messages.OutputTooShort(decisions.Length, devices.Length), nameof(decisions));
        }

        var chunks = (devices.Length + ParallelChunk - 1) / ParallelChunk;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, chunks, options, chunk =>
        {
            var start = chunk * ParallelChunk;
            var length = Math.Min(ParallelChunk, devices.Length - start);
            Evaluate(devices.AsSpan(start, length), decisions.AsSpan(start, length));
        });
    }

    /// <summary>The trace of every rule for one device: which matched, and the dates involved.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The explanation; its <see cref="DecisionExplanation.ToString"/> is readable by a person.</returns>
    public DecisionExplanation Explain(in DeviceRecord device) => DecisionExplanation.Create(this, device, Evaluate(device));

    internal BoundaryMode Boundary => _policy.Boundary;

    internal LocalDate? CutoffFor(RetentionPeriod period)
    {
        for (var i = 0; i < _version.Periods.Count; i++)
        {
            if (_version.Periods[i] == period)
            {
                return _cutoffs[i];
            }
        }

        return null;
    }

    /// <summary>How many periods (shortest first) have elapsed: cutoffs are latest first, so stop at the first miss.</summary>
    private static int Epoch(LocalDate since, LocalDate[] cutoffs)
    {
        var epoch = 0;
        while (epoch < cutoffs.Length && since <= cutoffs[epoch])
        {
            epoch++;
        }

        return epoch;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private RetentionDecision WithDueDate(in DeviceRecord device, int epoch, uint removeBits, RetentionRule? rule, RetentionAction action)
    {
        try
        {
            return action == RetentionAction.Remove
                ? RetentionDecision.Removed(_version.RemovalBy(rule!.Index, device.Type), RemovableSince(device, epoch, removeBits))
                : RetentionDecision.Decided(action, rule, NextRemoval(device, epoch, removeBits));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return RetentionDecision.Undetermined(Messages.DateOutOfRange(e.Message));
        }
    }

    /// <summary>
    /// The first day of the uninterrupted run of days, ending on the as-of date, on which the device
    /// is removable: within this version's run of removing epochs, and back into earlier versions
    /// while they removed it too on the day before the later one came into force.
    /// </summary>
    private LocalDate RemovableSince(in DeviceRecord device, int epoch, uint removeBits)
    {
        var since = device.StatusSince;
        var v = _versionIndex;
        var start = RunStart(since, _policy.Versions[v], epoch, removeBits);
        while (_policy.Versions[v].From is { } from && start <= from && v > 0)
        {
            var dayBefore = from.PlusDays(-1);
            if (since > dayBefore)
            {
                return from;
            }

            var previous = _policy.Versions[v - 1];
            var previousEpoch = ElapsedCount(since, previous.Periods, dayBefore);
            var previousBits = previous.Table.RemoveBitsOf(device);
            if ((previousBits & (1u << previousEpoch)) == 0)
            {
                return from;
            }

            v--;
            start = RunStart(since, previous, previousEpoch, previousBits);
        }

        return _policy.Versions[v].From is { } first && first > start ? first : start;
    }

    private int ElapsedCount(LocalDate since, IReadOnlyList<RetentionPeriod> periods, LocalDate asOf)
    {
        var count = 0;
        while (count < periods.Count && RetentionCalendar.HasElapsed(since, periods[count], asOf, Boundary))
        {
            count++;
        }

        return count;
    }

    /// <summary>The date the run of removing epochs that contains <paramref name="epoch"/> began, in one version.</summary>
    private LocalDate RunStart(LocalDate since, CompiledVersion version, int epoch, uint removeBits)
    {
        var first = epoch;
        while (first > 0 && (removeBits & (1u << (first - 1))) != 0)
        {
            first--;
        }

        return first == 0 ? since : RetentionCalendar.DueDate(since, version.Periods[first - 1], Boundary);
    }

    /// <summary>The first later date on which this version, or a later one, removes the device.</summary>
    private LocalDate? NextRemoval(in DeviceRecord device, int epoch, uint removeBits)
    {
        var since = device.StatusSince;
        if (removeBits >> (epoch + 1) is var later and not 0)
        {
            var date = RetentionCalendar.DueDate(since, _version.Periods[epoch + BitOperations.TrailingZeroCount(later)], Boundary);
            if (_version.Until is not { } until || date < until)
            {
                return date;
            }
        }

        var versions = _policy.Versions;
        for (var v = _versionIndex + 1; v < versions.Count; v++)
        {
            var version = versions[v];
            var start = version.From!.Value;
            var startEpoch = Epoch(since, _laterCutoffs[v - _versionIndex - 1]);
            var bits = version.Table.RemoveBitsOf(device);
            if ((bits & (1u << startEpoch)) != 0)
            {
                return start;
            }

            if (bits >> (startEpoch + 1) is var next and not 0)
            {
                var date = RetentionCalendar.DueDate(since, version.Periods[startEpoch + BitOperations.TrailingZeroCount(next)], Boundary);
                if (version.Until is not { } until || date < until)
                {
                    return date;
                }
            }
        }

        return null;
    }
}
