using NodaTime;
using Smi.Retention.Policies;

namespace Smi.Retention.Evaluation;

/// <summary>
/// For a timeline's last version (a single policy's one version), which no later version follows, a
/// dated entry's decision but for its date: the action, what a removal records for a hub and for any
/// other type, and which period's due date it carries. The decision pass decides a pending device by
/// it in place, one due date away (<see cref="TryDecide"/>); an earlier version's devices, and a
/// removal whose run began on or before the day the version came into force (its date is sought in
/// the versions before), take the general path (<see cref="DueDates"/>). The two give the same
/// decisions (the differential tests hold them together).
/// </summary>
internal readonly struct DatedEntry
{
    /// <summary>Due on the status date itself.</summary>
    private const int SinceItself = -1;

    /// <summary>Never due.</summary>
    private const int Never = -2;

    /// <summary>The most entries a table is made for (24 bytes each): a larger table, a policy that tells many devices apart, takes the general path.</summary>
    public const int MaxEntries = 1 << 18;

    private readonly object? _reason;
    private readonly object? _hubReason;
    private readonly int _months;
    private readonly RetentionAction _action;

    private DatedEntry(RetentionAction action, object? reason, object? hubReason, int months)
    {
        _action = action;
        _reason = reason;
        _hubReason = hubReason;
        _months = months;
    }

    /// <summary>
    /// The table of a version no later one follows, by row and epoch as its entries; null for a
    /// version with a later one, and for a table of more than <see cref="MaxEntries"/> entries. It
    /// does not depend on the as-of date: the compiled policy makes it once (<see cref="CompiledPolicy.DatedEntries"/>).
    /// </summary>
    /// <param name="version">The last version.</param>
    /// <param name="entries">Its entries, as an evaluator decides by them.</param>
    /// <returns>The table, its undated entries left default (never decided by it).</returns>
    public static DatedEntry[]? Make(CompiledVersion version, DecisionEntries entries)
    {
        if (version.Until is not null || entries.Entries.Length > MaxEntries)
        {
            return null;
        }

        var table = version.Table;
        var periods = version.Periods;
        var dated = new DatedEntry[entries.Entries.Length];
        for (var index = 0; index < dated.Length; index++)
        {
            var entry = entries.Entries[index];
            var code = DecisionTable.RuleCode(entry);
            if ((entry & DecisionTable.RemovesInSomeEpoch) == 0 || code == table.NeedsFactCode)
            {
                continue; // never dated: the pass decides it without a due date
            }

            var (row, epoch) = Math.DivRem(index, table.Epochs);
            var removeBits = table.RemoveBits[row];
            var rule = code == 0 ? null : version.Policy.Rules[code - 1];
            var action = DecisionTable.ActionOf(entry);
            if (action == RetentionAction.Remove)
            {
                // Removable since the run of removing epochs that contains this one began; what a
                // removal records for a hub and for any other type, as the version resolves them.
                var first = DueDates.RunFirstEpoch(epoch, removeBits);
                dated[index] = new DatedEntry(
                    action, version.RemovalBy(rule!.Index, DeviceType.ESME), version.RemovalBy(rule.Index, DeviceType.CHF), first == 0 ? SinceItself : periods[first - 1].Months);
            }
            else
            {
                // Due when the next removing epoch begins, or never.
                var next = DueDates.NextRemovingEpoch(epoch, removeBits);
                dated[index] = new DatedEntry(action, rule, rule, next > 0 ? periods[next - 1].Months : Never);
            }
        }

        return dated;
    }

    /// <summary>
    /// The device's decision; false for an entry that is not dated, a removal whose run began on
    /// or before the day its version came into force (the versions before may have removed it
    /// earlier still), or one whose run would have begun past the calendar's last date (never, as it
    /// began on or before the as-of date: the general path says so if it did).
    /// </summary>
    /// <param name="decision">Where the decision goes.</param>
    /// <param name="device">The device, of this entry's row and epoch.</param>
    /// <param name="boundary">When a period counts as elapsed.</param>
    /// <param name="fromKey">
    /// The date key of the day the version came into force; <see cref="int.MinValue"/> for a
    /// version with no start date (a timeline's first, a single policy's one).
    /// </param>
    /// <returns>Whether the decision was made.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryDecide(ref RetentionDecision decision, in DeviceRecord device, BoundaryMode boundary, int fromKey)
    {
        var sinceKey = device.SinceKey;
        if (_action == RetentionAction.Remove)
        {
            var due = sinceKey;
            if ((_months != SinceItself && !RetentionCalendar.TryDueKey(sinceKey, _months, boundary, out due)) || due <= fromKey)
            {
                return false;
            }

            decision = RetentionDecision.Removed((device.Type.IsCommunicationsHub() ? _hubReason : _reason)!, RetentionCalendar.FromDateKey(due));
            return true;
        }

        if (_action != RetentionAction.Retain)
        {
            return false; // not a dated entry
        }

        // A due date past the calendar's last date is no removal: retained with no date.
        LocalDate? next = _months != Never && RetentionCalendar.TryDueKey(sinceKey, _months, boundary, out var key) ? RetentionCalendar.FromDateKey(key) : null;
        if (_reason is null)
        {
            // Retained by no rule (most dated devices): the null assigned as such, so the JIT stores no GC write barrier.
            decision = next is { } date ? RetentionDecision.Decided(RetentionAction.Retain, null, date) : RetentionDecision.Decided(RetentionAction.Retain, null, null);
        }
        else
        {
            decision = RetentionDecision.Decided(RetentionAction.Retain, (RetentionRule)_reason, next);
        }

        return true;
    }
}
