using System.Numerics;
using NodaTime;

namespace Smi.Retention.Evaluation;

/// <summary>
/// The due-date algorithm across a timeline's versions, for the devices whose decision carries a
/// date (removals, and devices a later epoch or version removes): the slow path of
/// <see cref="PolicyEvaluator"/>, about 2.5% of an inventory. For a timeline's last version (a
/// single policy's one) the evaluator works out once, by <see cref="RunFirstEpoch"/> and <see cref="NextRemovingEpoch"/>,
/// which period's due date each dated entry carries. docs/laws.md states what the dates mean.
/// </summary>
internal sealed class DueDates
{
    private readonly CompiledVersion[] _versions;
    private readonly int _versionIndex;
    private readonly RetentionPeriod[][] _periods; // each version's, as arrays: no interface call per device
    private readonly BoundaryMode _boundary;

    // Each later version's cutoffs on the day it comes into force.
    private readonly LocalDate?[][] _laterCutoffs;

    public DueDates(CompiledPolicy policy, int versionIndex)
    {
        _versions = [.. policy.Versions]; // an array: the slow path reads it per device, without an interface call
        _versionIndex = versionIndex;
        _periods = new RetentionPeriod[_versions.Length][];
        for (var v = 0; v < _versions.Length; v++)
        {
            _periods[v] = [.. _versions[v].Periods];
        }

        _boundary = policy.Boundary;
        _laterCutoffs = policy.Versions.Skip(versionIndex + 1).Select(v => v.CutoffsOn(v.From!.Value, policy.Boundary)).ToArray();
    }

    /// <summary>
    /// The first day of the uninterrupted run of days, ending on the as-of date, on which the device
    /// is removable: within this version's run of removing epochs, and back into earlier versions
    /// while they removed it too on the day before the later one came into force.
    /// </summary>
    public LocalDate RemovableSince(in DeviceRecord device, int epoch, uint removeBits)
    {
        var v = _versionIndex;
        var start = RunStart(device.SinceKey, _periods[v], epoch, removeBits);
        if (_versions[v].From is null)
        {
            return start; // a single policy, or a timeline's first version: no earlier version to go back into
        }

        var since = device.StatusSince;
        while (_versions[v].From is { } from && start <= from && v > 0)
        {
            var dayBefore = from.PlusDays(-1);
            if (since > dayBefore)
            {
                return from;
            }

            var previous = _versions[v - 1];
            var previousEpoch = ElapsedCount(since, _periods[v - 1], dayBefore);
            var previousBits = previous.Table.RemoveBitsOf(device);
            if ((previousBits & (1u << previousEpoch)) == 0)
            {
                return from;
            }

            v--;
            start = RunStart(device.SinceKey, _periods[v], previousEpoch, previousBits);
        }

        return _versions[v].From is { } first && first > start ? first : start;
    }

    private int ElapsedCount(LocalDate since, RetentionPeriod[] periods, LocalDate asOf)
    {
        var count = 0;
        while (count < periods.Length && RetentionCalendar.HasElapsed(since, periods[count], asOf, _boundary))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The first epoch of the run of removing epochs (<paramref name="removeBits"/>, one version's)
    /// that contains <paramref name="epoch"/>: the run began on the status date for epoch 0, else
    /// when the period before that epoch elapsed.
    /// </summary>
    public static int RunFirstEpoch(int epoch, uint removeBits)
    {
        var first = epoch;
        while (first > 0 && (removeBits & (1u << (first - 1))) != 0)
        {
            first--;
        }

        return first;
    }

    /// <summary>
    /// The first epoch after <paramref name="epoch"/> in which one version removes the device
    /// (<paramref name="removeBits"/>), which begins when the period before it elapses; -1 for none.
    /// </summary>
    public static int NextRemovingEpoch(int epoch, uint removeBits) =>
        removeBits >> (epoch + 1) is var later and not 0 ? epoch + 1 + BitOperations.TrailingZeroCount(later) : -1;

    /// <summary>The date the run of removing epochs that contains <paramref name="epoch"/> began, in one version.</summary>
    private LocalDate RunStart(int sinceKey, RetentionPeriod[] periods, int epoch, uint removeBits)
    {
        var first = RunFirstEpoch(epoch, removeBits);

        // A run that has begun began on or before the as-of date: never past the calendar (DueDate would throw: undetermined).
        return first == 0 ? RetentionCalendar.FromDateKey(sinceKey)
            : TryDue(sinceKey, periods[first - 1], out var start) ? start
            : RetentionCalendar.DueDate(RetentionCalendar.FromDateKey(sinceKey), periods[first - 1], _boundary);
    }

    /// <summary>
    /// The due date of a status held since the date of <paramref name="sinceKey"/>, in integers
    /// (<see cref="RetentionCalendar.TryDueKey"/>); false when it would be past the calendar's last
    /// date: the period never ends on a date there is, so it removes nothing (as
    /// <see cref="RetentionCalendar.HasElapsed"/> says it never elapses).
    /// </summary>
    private bool TryDue(int sinceKey, RetentionPeriod period, out LocalDate due)
    {
        var inCalendar = RetentionCalendar.TryDueKey(sinceKey, period.Months, _boundary, out var key);
        due = inCalendar ? RetentionCalendar.FromDateKey(key) : default;
        return inCalendar;
    }

    /// <summary>The first later date on which this version, or a later one, removes the device; false when none does.</summary>
    public bool NextRemoval(in DeviceRecord device, int epoch, uint removeBits, out LocalDate next)
    {
        next = default;
        if (NextRemovingEpoch(epoch, removeBits) is var nextEpoch and > 0)
        {
            // A due date past the calendar's last date is no removal: a later version, which comes into force on a date there is, may still remove it.
            if (TryDue(device.SinceKey, _periods[_versionIndex][nextEpoch - 1], out var date)
                && (_versions[_versionIndex].Until is not { } until || date < until))
            {
                next = date;
                return true;
            }
        }

        var versions = _versions;
        var since = versions.Length > _versionIndex + 1 ? device.StatusSince : default;
        for (var v = _versionIndex + 1; v < versions.Length; v++)
        {
            var version = versions[v];
            var start = version.From!.Value;
            var startEpoch = Epoch(since, _laterCutoffs[v - _versionIndex - 1]);
            var bits = version.Table.RemoveBitsOf(device);
            if ((bits & (1u << startEpoch)) != 0)
            {
                next = start;
                return true;
            }

            if (NextRemovingEpoch(startEpoch, bits) is var laterEpoch and > 0)
            {
                if (TryDue(device.SinceKey, _periods[v][laterEpoch - 1], out var date)
                    && (version.Until is not { } until || date < until))
                {
                    next = date;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Whether, on a later day before this version or a later one removes the device, a rule in
    /// force needs a fact the device lacks (its decision then undetermined): an epoch of this
    /// version after <paramref name="epoch"/> that begins before the version ends, or an epoch of a
    /// later version that it is in, or comes to, before that version ends. For a device retained
    /// with no due date, so never removed: its removal hangs on a fact it lacks.
    /// </summary>
    public bool BecomesUndetermined(in DeviceRecord device, int epoch)
    {
        var sinceKey = device.SinceKey;
        if (NeedsFactFrom(device, _versionIndex, epoch + 1))
        {
            return true;
        }

        var since = device.StatusSince;
        for (var v = _versionIndex + 1; v < _versions.Length; v++)
        {
            if (NeedsFactFrom(device, v, Epoch(since, _laterCutoffs[v - _versionIndex - 1]), startsAtOnce: true))
            {
                return true;
            }
        }

        return false;

        // Epoch `first` on: reached while the version is in force (the first at once when it is a later version's start).
        bool NeedsFactFrom(in DeviceRecord device, int v, int first, bool startsAtOnce = false)
        {
            var table = _versions[v].Table;
            var until = _versions[v].Until;
            var row = table.Row(device);
            for (var k = first; k < table.Epochs; k++)
            {
                if (!(startsAtOnce && k == first)
                    && (!TryDue(sinceKey, _periods[v][k - 1], out var begins) || (until is { } end && begins >= end)))
                {
                    return false; // this epoch, and every later one of the version, begins after it ends (or past the calendar)
                }

                if (DecisionTable.RuleCode(table.Entries[(row * table.Epochs) + k]) == table.NeedsFactCode)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>How many periods (shortest first) have elapsed: cutoffs are latest first, so stop at the first miss.</summary>
    private static int Epoch(LocalDate since, LocalDate?[] cutoffs)
    {
        var epoch = 0;
        while (epoch < cutoffs.Length && cutoffs[epoch] is { } cutoff && since <= cutoff)
        {
            epoch++;
        }

        return epoch;
    }
}
