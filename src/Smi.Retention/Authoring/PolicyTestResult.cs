using Smi.Retention.Evaluation;

namespace Smi.Retention.Authoring;

/// <summary>What a policy decided for one <see cref="PolicyTestCase"/>, and how that differs from the case.</summary>
/// <param name="Case">The case.</param>
/// <param name="Decision">The policy's decision.</param>
/// <param name="Failures">Each difference from the case, as a sentence; empty when the case passes.</param>
/// <param name="Explanation">The explanation of the decision: every rule, its tests and dates.</param>
public sealed record PolicyTestResult(PolicyTestCase Case, RetentionDecision Decision, IReadOnlyList<string> Failures, DecisionExplanation Explanation)
{
    /// <summary>Whether the policy decided as the case says.</summary>
    public bool Passed => Failures.Count == 0;
}
