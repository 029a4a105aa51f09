using Smi.Retention.Policies;

namespace Smi.Retention.Evaluation;

/// <summary>One rule in a <see cref="DecisionExplanation"/>.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Matched">Whether its condition held for the device (false for a disabled rule).</param>
/// <param name="Facts">Each test the rule makes and its outcome, as text.</param>
public sealed record RuleTrace(RetentionRule Rule, bool Matched, IReadOnlyList<string> Facts);
