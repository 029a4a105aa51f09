using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Policies;
using Smi.Retention.Rules;

namespace Smi.Retention.Impact;

/// <summary>
/// Which devices a policy change would change the action of, from the two policies alone, with no
/// inventory: a decision depends only on the device's type, status, history and how many of the
/// policies' periods its status has been held for (the epochs), and on which version of each policy
/// is in force. Every combination is decided under both, exactly as the evaluator decides it, and
/// the combinations whose action differs are merged into few regions ("ESME, GSME pending 12-36
/// months, any history: Remove -> Retain"). The regions cover exactly the devices that change.
/// </summary>
public static class SymbolicDiff
{
    /// <summary>Compares <paramref name="policy"/> with <paramref name="against"/>.</summary>
    /// <param name="policy">The proposed policy or timeline.</param>
    /// <param name="against">The one it is compared with (the one in force).</param>
    /// <param name="boundary">When a period counts as elapsed, for both.</param>
    /// <param name="asOf">An as-of date: only the versions in force on it are compared, and each region gets its window of status dates; null for every date.</param>
    /// <returns>The regions.</returns>
    /// <exception cref="ArgumentNullException">A policy is null.</exception>
    /// <exception cref="NotSupportedException">A rule of either tests the SMETS generation or the device model, which the regions' words do not describe: compare the two over an inventory (<see cref="PolicyDiff"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The date (or a version's date) is so near an end of the calendar that a period counted from it
    /// would leave the calendar: there a device's decision depends on more than its months (a due
    /// date past 9999-12-31 cannot be set), and no region could be exact.
    /// </exception>
    public static SymbolicDiffResult Compare(RetentionTimeline policy, RetentionTimeline against, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate, LocalDate? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(against);
        var proposed = CompiledPolicy.Compile(policy, boundary);
        var current = CompiledPolicy.Compile(against, boundary);
        if (proposed.Versions.Concat(current.Versions).FirstOrDefault(v => v.Table.ReadsDetails) is { } details)
        {
            throw new NotSupportedException(Messages.SymbolicNeedsInventory(details.Policy.Name));
        }

        var spans = asOf is { } date ? [(From: (LocalDate?)null, Until: (LocalDate?)null, Date: date)] : VersionSpans.Of(policy, against).ToArray();

        // Each span of as-of dates on which the same two versions are in force; adjacent spans whose
        // regions read the same are one.
        var regions = new List<ChangeRegion>();
        List<ChangeRegion>? open = null;
        foreach (var (from, until, representative) in spans)
        {
            var inForce = (Proposed: proposed.For(representative), Current: current.For(representative));
            var longest = inForce.Proposed.PolicyInForce.Periods.Concat(inForce.Current.PolicyInForce.Periods).Select(p => p.Months).DefaultIfEmpty(0).Max();
            if (!FarFromTheEnds(representative, longest))
            {
                throw new ArgumentOutOfRangeException(nameof(asOf), representative, Messages.SymbolicDateTooNearTheEnd(representative, longest));
            }

            var found = Regions(inForce.Proposed, inForce.Current, boundary, asOf is not null);
            if (open is not null && open.Select(Key).SequenceEqual(found.Select(Key)))
            {
                open = [.. open.Select(r => r with { ValidUntil = until })];
                continue;
            }

            regions.AddRange(open ?? []);
            open = [.. found.Select(r => r with { ValidFrom = from, ValidUntil = until })];
        }

        regions.AddRange(open ?? []);
        return new SymbolicDiffResult(policy.Name, against.Name, boundary, asOf, regions);
    }

    /// <summary>
    /// Whether the longest period (and a month more) counted either way from <paramref name="date"/>
    /// stays within the dates an inventory can hold, 0001-01-01 to 9999-12-31 (a region dated before
    /// year 1, which NodaTime's calendar has, named status dates no row can have: -0002-01-02).
    /// </summary>
    private static bool FarFromTheEnds(LocalDate date, int months)
    {
        var index = ((long)date.Year * 12) + date.Month - 1;
        return index + months + 1 < ((long)LocalDate.MaxIsoValue.Year * 12) + 11 && index - months - 1 > FirstYear * 12;
    }

    /// <summary>The first year of the dates an inventory holds.</summary>
    private const long FirstYear = 1;

    private static string Key(ChangeRegion region) => (region with { ValidFrom = null, ValidUntil = null }).ToString();

    /// <summary>The regions on one as-of date: every state in every epoch decided under both, the differences merged.</summary>
    private static List<ChangeRegion> Regions(PolicyEvaluator proposed, PolicyEvaluator current, BoundaryMode boundary, bool windows)
    {
        var asOf = proposed.AsOf;
        var months = proposed.PolicyInForce.Periods.Concat(current.PolicyInForce.Periods).Select(p => p.Months).Distinct().Order().ToArray();

        // Epoch e: exactly the e shortest periods have elapsed, i.e. the status held from months[e-1] to under months[e].
        var changed = new Dictionary<(DeviceType Type, SmiStatus Status, int Epoch, RetentionAction Before, RetentionAction After), List<SmiStatusSet>>();
        for (var epoch = 0; epoch <= months.Length; epoch++)
        {
            var since = epoch == 0 ? asOf : RetentionCalendar.Cutoff(asOf, RetentionPeriod.FromMonths(months[epoch - 1]), boundary);
            foreach (var state in VocabularyStates.All())
            {
                var device = VocabularyStates.Record(state, since);
                var before = current.Evaluate(device).Action;
                var after = proposed.Evaluate(device).Action;
                if (before != after)
                {
                    var key = (state.Type, state.Status, epoch, before, after);
                    if (!changed.TryGetValue(key, out var histories))
                    {
                        changed[key] = histories = [];
                    }

                    histories.Add(state.Prior);
                }
            }
        }

        // The histories of each cell in words, then runs of epochs with the same words, then the types that share a run.
        // The same histories recur across types, statuses and epochs: each set is described once.
        var descriptions = new Dictionary<string, HistoryCondition>(StringComparer.Ordinal);
        HistoryCondition Described(DeviceType type, SmiStatus status, List<SmiStatusSet> covered)
        {
            var key = DeviceTypes.StatusesOf(type).Bits + ":" + (int)status + ":" + string.Join(",", covered.Select(h => h.Bits).Order());
            if (!descriptions.TryGetValue(key, out var condition))
            {
                descriptions[key] = condition = Describe(type, status, covered);
            }

            return condition;
        }

        var described = changed.Select(c => (c.Key.Type, c.Key.Status, c.Key.Epoch, c.Key.Before, c.Key.After, History: Described(c.Key.Type, c.Key.Status, c.Value))).ToArray();
        var runs = described
            .GroupBy(c => (c.Type, c.Status, c.History, c.Before, c.After))
            .SelectMany(g => Runs(g.Select(c => c.Epoch).Order().ToArray()).Select(run => (g.Key, Run: run)));
        var byTypes = runs
            .GroupBy(r => (r.Key.Status, r.Key.History, r.Key.Before, r.Key.After, r.Run))
            .Select(g => (Types: g.Select(r => r.Key.Type).Order().ToArray(), g.Key.Status, g.Key.History, g.Key.Before, g.Key.After, g.Key.Run));

        // Then the statuses that share everything else.
        return byTypes
            .GroupBy(r => (Types: string.Join(",", r.Types), r.History, r.Before, r.After, r.Run))
            .Select(g =>
            {
                var (_, history, before, after, (first, last)) = g.Key;
                var fromMonths = first == 0 ? 0 : months[first - 1];
                int? toMonths = last < months.Length ? months[last] : null;
                return new ChangeRegion(
                    g.First().Types, [.. g.Select(r => r.Status).Order()], history, fromMonths, toMonths, null, null,
                    windows && toMonths is { } to ? RetentionCalendar.Cutoff(asOf, RetentionPeriod.FromMonths(to), boundary).PlusDays(1) : null,
                    windows ? (fromMonths == 0 ? asOf : RetentionCalendar.Cutoff(asOf, RetentionPeriod.FromMonths(fromMonths), boundary)) : null,
                    before, after);
            })
            .OrderBy(r => r.Before).ThenBy(r => r.After).ThenBy(r => r.Statuses[0]).ThenBy(r => r.FromMonths).ThenBy(r => r.Types[0]).ThenBy(r => r.History.ToString(), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The histories of a cell as a condition, among the histories a device of its type can have before a run of its status.</summary>
    private static HistoryCondition Describe(DeviceType type, SmiStatus status, List<SmiStatusSet> covered)
    {
        var statuses = SmiStatuses.All.ToArray().Where(s => type.Fits(s)).ToArray();
        var possible = VocabularyStates.OfType(type).Where(s => s.Status == status).Select(s => s.Prior).ToArray();
        return HistoryCondition.Describe(covered.ToHashSet(), possible, statuses);
    }

    /// <summary>Consecutive epochs as (first, last) runs.</summary>
    private static IEnumerable<(int First, int Last)> Runs(int[] epochs)
    {
        var start = 0;
        for (var i = 1; i <= epochs.Length; i++)
        {
            if (i == epochs.Length || epochs[i] != epochs[i - 1] + 1)
            {
                yield return (epochs[start], epochs[i - 1]);
                start = i;
            }
        }
    }
}
