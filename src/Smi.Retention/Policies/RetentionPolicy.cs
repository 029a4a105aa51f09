using Smi.Retention.Evaluation;
using Smi.Retention.Rules;

namespace Smi.Retention.Policies;

/// <summary>
/// A validated housekeeping policy: rules tried in order, the first that matches decides, and a
/// device no rule matches is retained. Plain and engine-neutral; load one with <see cref="PolicyCatalog"/>.
/// </summary>
public sealed class RetentionPolicy
{
    private DecisionTable? _table;

    internal RetentionPolicy(string name, IReadOnlyList<RetentionRule> rules, string contentHash, string source, DecisionTable? table = null)
    {
        _table = table;
        Name = name;
        Rules = Array.AsReadOnly([.. rules]); // its own copy, which no caller can change by a cast
        ContentHash = contentHash;
        Source = source;
        Periods = PeriodsOf(rules);
    }

    /// <summary>The policy's name (<c>WorkflowName</c>).</summary>
    public string Name { get; }

    /// <summary>Every rule in file order, enabled or not.</summary>
    public IReadOnlyList<RetentionRule> Rules { get; }

    /// <summary>The distinct retention periods the enabled rules use, shortest first.</summary>
    public IReadOnlyList<RetentionPeriod> Periods { get; }

    /// <summary>The SHA-256 of the policy file's bytes, lower-case hex: which text was in force.</summary>
    public string ContentHash { get; }

    /// <summary>Where the policy came from: a built-in name or a file path.</summary>
    public string Source { get; }

    /// <summary>Where the policy's object starts in its file (1-based), for warnings about the policy as a whole.</summary>
    internal (int Line, int Column) Position { get; init; } = (1, 1);

    /// <summary>The distinct periods the enabled rules name, shortest first: a version's epochs.</summary>
    internal static IReadOnlyList<RetentionPeriod> PeriodsOf(IEnumerable<RetentionRule> rules)
    {
        // A mark for each length in months, read in order: distinct and sorted without LINQ or a set
        // over RetentionPeriod, whose code the packed tool would compile every time it starts.
        // (Months run from 0, default's, to MaxMonths: FromMonths and Parse make no other.)
        var named = new bool[RetentionPeriod.MaxMonths + 1];
        var byMonths = new RetentionPeriod[named.Length];
        var count = 0;
        foreach (var rule in rules)
        {
            if (!rule.Enabled)
            {
                continue;
            }

            foreach (var period in ConditionLogic.Periods(rule.Condition))
            {
                count += named[period.Months] ? 0 : 1;
                named[period.Months] = true;
                byMonths[period.Months] = period;
            }
        }

        var periods = new RetentionPeriod[count];
        for (int months = 0, at = 0; at < count; months++)
        {
            if (named[months])
            {
                periods[at++] = byMonths[months];
            }
        }

        return Array.AsReadOnly(periods);
    }

    /// <summary>The policy compiled to its decision table: built once (while it loads, as the load checks its rules) and shared by every compilation, lint and check of it.</summary>
    internal DecisionTable Table => LazyInitializer.EnsureInitialized(ref _table, () => DecisionTable.Build(Rules, Periods));

    /// <summary>What the policy is for, from its top-level <c>Description</c>; null when it has none.</summary>
    public string? Description { get; internal init; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
