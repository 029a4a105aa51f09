using Smi.Retention.Rules;

namespace Smi.Retention.Policies;

/// <summary>
/// A validated housekeeping policy: rules tried in order, the first that matches decides, and a
/// device no rule matches is retained. Plain and engine-neutral; load one with <see cref="PolicyCatalog"/>.
/// </summary>
public sealed class RetentionPolicy
{
    internal RetentionPolicy(string name, IReadOnlyList<RetentionRule> rules, string contentHash, string source)
    {
        Name = name;
        Rules = rules;
        ContentHash = contentHash;
        Source = source;
        Periods = rules.Where(r => r.Enabled).SelectMany(r => ConditionLogic.Periods(r.Condition)).Distinct().Order().ToArray();
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

    /// <summary>What the policy is for, from its top-level <c>Description</c>; null when it has none.</summary>
    public string? Description { get; internal init; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
