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
    private readonly DecisionTable? _readsDetails; // the table, when a device's row needs its generation or model
    private readonly int[] _rowEntries;
    private readonly int[] _pairEntries;
    private readonly int[] _entries;
    private readonly uint[] _removeBits;
    private readonly int _classes;
    private readonly int _needsFactCode;
    private readonly int _epochs;
    private readonly LocalDate?[] _cutoffs;
    private readonly int[] _cutoffKeys;
    private readonly int _asOfKey;
    private readonly RetentionRule?[] _ruleByCode; // [0] null (no rule matched), then the rules; an array, not IReadOnlyList: no interface call per device

    private readonly DueDates _dueDates;
    private readonly DatedEntry[]? _dated; // a last version's: each dated entry's decision but its date (DatedEntry.Make), or null
    private readonly int _fromKey; // the date key of the day the version came into force; int.MinValue for a version with no start date
    private readonly bool _factsTestedNowOrLater; // a rule of this version or a later one tests the generation or the model: a device may lack what it needs

    internal PolicyEvaluator(CompiledPolicy policy, LocalDate asOf)
    {
        _policy = policy;
        AsOf = asOf;
        _versionIndex = policy.Timeline.VersionIndexAt(asOf);
        _version = policy.Versions[_versionIndex];
        var table = _version.Table;
        _priorClass = table.PriorClass;
        _readsDetails = table.ReadsDetails ? table : null;
        _needsFactCode = table.NeedsFactCode;
        (_pairEntries, _rowEntries, _entries) = policy.EntriesOf(_versionIndex);
        _removeBits = table.RemoveBits;
        _classes = table.Classes;
        _epochs = table.Epochs;
        _ruleByCode = [null, .. _version.Policy.Rules];
        _cutoffs = _version.CutoffsOn(asOf, policy.Boundary);
        _cutoffKeys = new int[_cutoffs.Length];
        for (var i = 0; i < _cutoffs.Length; i++)
        {
            _cutoffKeys[i] = _cutoffs[i] is { } date ? RetentionCalendar.DateKey(date) : int.MinValue; // no date is early enough: no key is at or below it
        }
        _asOfKey = RetentionCalendar.DateKey(asOf);
        _dueDates = new DueDates(policy, _versionIndex);
        _factsTestedNowOrLater = policy.Versions.Skip(_versionIndex).Any(v => v.Table.ReadsDetails);
        _dated = policy.DatedEntries(_versionIndex);
        _fromKey = _version.From is { } from ? RetentionCalendar.DateKey(from) : int.MinValue;
    }

    /// <summary>The London date of the decisions.</summary>
    public LocalDate AsOf { get; }

    /// <summary>The policy (timeline version) in force on <see cref="AsOf"/>.</summary>
    public RetentionPolicy PolicyInForce => _version.Policy;

    /// <summary>The compiled policy or timeline this evaluator belongs to.</summary>
    public CompiledPolicy Policy => _policy;

    /// <summary>
    /// The exact cutoff of each period on <see cref="AsOf"/>, shortest period first: a device whose
    /// status applied on or before a period's cutoff has held it for that period. Null for a period
    /// no device can have held on <see cref="AsOf"/>, because its cutoff would fall before the first
    /// date of the calendar (<see cref="LocalDate.MinIsoValue"/>).
    /// </summary>
    public IReadOnlyList<LocalDate?> Cutoffs => Array.AsReadOnly(_cutoffs); // the evaluator's own stay its own

    /// <summary>Decides one device. An uninitialised record, or one whose status applies after the as-of date, is undetermined.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The decision; never a removal on bad data.</returns>
    public RetentionDecision Evaluate(in DeviceRecord device)
    {
        var decision = default(RetentionDecision);
        Evaluate(new ReadOnlySpan<DeviceRecord>(in device), new Span<RetentionDecision>(ref decision));
        return decision;
    }

    /// <summary>Undetermined: the decision depends on a fact the record lacks (a rule tests it, and the devices the record could be are not all decided alike).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private RetentionDecision LacksFact(in DeviceRecord device) =>
        RetentionDecision.Undetermined(Messages.LacksFact(
            _readsDetails!.GenerationSlots > 1 && device.Generation == SmetsGeneration.Unknown,
            _readsDetails.ModelSlotOf is not null && device.Model is null));

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

        if (_readsDetails is { } table)
        {
            Evaluate(devices, decisions[..devices.Length], new ByDetails(table, _rowEntries));
        }
        else
        {
            Evaluate(devices, decisions[..devices.Length], new ByPair(_pairEntries));
        }
    }

    /// <summary>
    /// The one decision pass (a device alone is a batch of one): the entry of the type and status
    /// (one read of <see cref="DeviceRecord.Pair"/>, for a table that reads no details) or of the
    /// row of its class (<typeparamref name="TRows"/>: compiled apart for each, so the common one
    /// has no branch for details), then, only for a row whose decision depends on the date, the
    /// epoch; a device whose decision carries a date, under a timeline's last version (a single
    /// policy's one), by its dated entry in place (<see cref="DatedEntry"/>: the call to the general path and the spills around
    /// it were a third of the pending devices' time). A device no rule matches, dated on or before
    /// the as-of date, is decided first, by two compares; every other check follows it. The table
    /// is in locals: a store into the decisions does not make the JIT read the fields again.
    /// </summary>
    /// <param name="devices">The devices.</param>
    /// <param name="decisions">As long as <paramref name="devices"/>.</param>
    /// <param name="rows">How a device's entry is found.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Evaluate<TRows>(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions, TRows rows)
        where TRows : struct, IRows
    {
        var entries = _entries;
        var cutoffs = _cutoffKeys;
        var ruleByCode = _ruleByCode;
        var epochs = _epochs;
        var asOfKey = _asOfKey;
        var needsFactCode = _needsFactCode;
        var classes = _classes;
        var priorClass = _priorClass;
        var rowEntries = _rowEntries;
        var dated = _dated;
        var boundary = _policy.Boundary;
        var fromKey = _fromKey;
        for (var i = 0; i < devices.Length; i++)
        {
            ref readonly var device = ref devices[i];
            var entry = rows.Entry(device, out var row);
            var sinceKey = device.SinceKey;
            if (entry == RetainedByNoRule && sinceKey <= asOfKey)
            {
                // Most devices: one read of the pair's entry, two compares, a store with no GC write barrier.
                decisions[i] = RetentionDecision.RetainedByNoRule;
                continue;
            }

            if (!device.IsInitialized || sinceKey > asOfKey)
            {
                decisions[i] = Bad(device);
                continue;
            }

            if (entry == DecisionTable.ByClass)
            {
                row = DecisionTable.Row(device, classes, priorClass);
                entry = rowEntries[row];
            }

            if ((entry & DecisionTable.NeedsEpoch) != 0)
            {
                // How many periods (shortest first) have elapsed: cutoffs are latest first, so stop at the first miss.
                var epoch = 0;
                while (epoch < cutoffs.Length && sinceKey <= cutoffs[epoch])
                {
                    epoch++;
                }

                var index = (row * epochs) + epoch;
                entry = entries[index];
                if ((entry & DecisionTable.RemovesInSomeEpoch) != 0 && DecisionTable.RuleCode(entry) != needsFactCode)
                {
                    if (dated is null || !dated[index].TryDecide(ref decisions[i], device, boundary, fromKey))
                    {
                        WithDueDate(ref decisions[i], device, row, epoch);
                    }

                    continue;
                }
            }

            // Each case assigned apart so the JIT sees the null rule and stores no GC write barrier:
            // most devices match no rule, and the barrier was a fifth of the time (perf).
            var code = DecisionTable.RuleCode(entry);
            if (code == 0)
            {
                decisions[i] = RetentionDecision.RetainedByNoRule;
            }
            else if (code != needsFactCode)
            {
                decisions[i] = RetentionDecision.Decided(DecisionTable.ActionOf(entry), ruleByCode[code], null);
            }
            else
            {
                decisions[i] = LacksFact(device);
            }
        }
    }

    /// <summary>The entry of a device that no rule matches in any epoch: retained, with no due date.</summary>
    private const int RetainedByNoRule = (int)RetentionAction.Retain << DecisionTable.ActionShift;

    /// <summary>How the decision pass finds a device's entry.</summary>
    private interface IRows
    {
        /// <summary>
        /// The device's entry, or <see cref="DecisionTable.ByClass"/> when the row of its prior
        /// class decides; and its row, when the entry needs the epoch.
        /// </summary>
        int Entry(in DeviceRecord device, out int row);
    }

    /// <summary>
    /// A table that reads no details: most devices are decided by their type and status alone
    /// (<see cref="DecisionTable.PairEntries"/>); those whose classes decide alike but need the
    /// epoch by the row the pair's entry names; the others (<see cref="DecisionTable.ByClass"/>) by
    /// the row of their prior statuses' class.
    /// </summary>
    private readonly struct ByPair(int[] pairEntries) : IRows
    {
        public int Entry(in DeviceRecord device, out int row)
        {
            var entry = pairEntries[device.Pair]; // an uninitialised record's pair has ByClass: never retained here
            row = DecisionTable.RuleCode(entry); // the row, in an entry that needs the epoch; unread otherwise
            return entry;
        }
    }

    /// <summary>A table that reads the generation or the model: the row of the device's class (<see cref="DecisionTable.Row(in DeviceRecord)"/>).</summary>
    private readonly struct ByDetails(DecisionTable table, int[] rowEntries) : IRows
    {
        public int Entry(in DeviceRecord device, out int row)
        {
            if (!device.IsInitialized)
            {
                row = 0;
                return DecisionTable.ByClass; // never retained here: the pass finds it uninitialised
            }

            row = table.Row(device);
            return rowEntries[row];
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

    /// <summary>
    /// For a device this evaluator leaves undetermined because it lacks a fact a rule tests (its
    /// generation, its model): the first later date on which a later epoch of this version, or a
    /// later version, removes it whatever the fact, as a decided device's
    /// <see cref="RetentionDecision.DueDate"/> says it (each row's removal bits hold the epochs in
    /// which every value of the fact agrees on removing). False when none does, and for a device
    /// undetermined for another reason (uninitialised, dated after the as-of date, a date past the
    /// calendar). The decision stays undetermined, with no due date; the forecast counts such a
    /// device in the month it is removed.
    /// </summary>
    internal bool NextRemovalOfUndetermined(in DeviceRecord device, out LocalDate next)
    {
        next = default;
        return RowAndEpoch(device) is var (row, epoch) && row >= 0
            && DecisionTable.RuleCode(_entries[(row * _epochs) + epoch]) == _needsFactCode
            && _dueDates.NextRemoval(device, epoch, _removeBits[row], out next); // a date past the calendar's last is no removal there: it does not throw
    }

    /// <summary>
    /// For a device this evaluator retains with no due date (never removed): whether on a later day
    /// a rule in force needs a fact it lacks (its generation, its model), so that its decision
    /// becomes undetermined before anything removes it (<see cref="DueDates.BecomesUndetermined"/>).
    /// The forecast counts such a device undetermined, not retained for good.
    /// </summary>
    internal bool BecomesUndetermined(in DeviceRecord device) =>
        _factsTestedNowOrLater && (device.Generation == SmetsGeneration.Unknown || device.Model is null)
        && RowAndEpoch(device) is var (row, epoch) && row >= 0
        && _dueDates.BecomesUndetermined(device, epoch);

    /// <summary>The device's row and epoch in this version's table; row -1 for a device no entry decides (uninitialised, or dated after the as-of date).</summary>
    private (int Row, int Epoch) RowAndEpoch(in DeviceRecord device)
    {
        if (!device.IsInitialized || device.SinceKey > _asOfKey)
        {
            return (-1, 0);
        }

        var epoch = 0;
        while (epoch < _cutoffKeys.Length && device.SinceKey <= _cutoffKeys[epoch])
        {
            epoch++;
        }

        return (_version.Table.Row(device), epoch);
    }

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

    /// <summary>
    /// Decides a device whose decision carries a date where no dated entry does (a version a later
    /// one follows, a removal begun on or before the day its version came into force, a large
    /// table), in place: returning the 16-byte decision through the call cost that path a tenth of
    /// its time (perf).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void WithDueDate(ref RetentionDecision decision, in DeviceRecord device, int row, int epoch)
    {
        var index = (row * _epochs) + epoch;
        var entry = _entries[index];
        var removeBits = _removeBits[row];
        var rule = _ruleByCode[DecisionTable.RuleCode(entry)];
        var action = DecisionTable.ActionOf(entry);
        try
        {
            if (action == RetentionAction.Remove)
            {
                decision = RetentionDecision.Removed(_version.RemovalBy(rule!.Index, device.Type), _dueDates.RemovableSince(device, epoch, removeBits));
            }
            else
            {
                var dated = _dueDates.NextRemoval(device, epoch, removeBits, out var due);
                if (rule is null)
                {
                    // Retained by no rule until a later epoch or version removes it (most dated devices):
                    // the null assigned as such, so the JIT stores no GC write barrier (perf: a sixth of this path).
                    decision = dated ? RetentionDecision.Decided(action, null, due) : RetentionDecision.Decided(action, null, null);
                }
                else
                {
                    decision = dated ? RetentionDecision.Decided(action, rule, due) : RetentionDecision.Decided(action, rule, null);
                }
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            decision = RetentionDecision.Undetermined(Messages.DateOutOfRange(e.Message));
        }
    }
}
