using NodaTime;
using NodaTime.Text;
using Smi.Retention.Evaluation;
using Smi.Retention.Policies;
using Smi.Retention.Text;

namespace Smi.Retention.Authoring;

/// <summary>Runs the cases of a <see cref="PolicyTestSuite"/> against a policy: each decided and compared with what it states.</summary>
public static class PolicyTestRunner
{
    /// <summary>Decides every case of <paramref name="suite"/> under <paramref name="policy"/> (by default, the policy the suite names).</summary>
    /// <param name="suite">The cases.</param>
    /// <param name="policy">The policy or timeline to test; null for <see cref="PolicyTestSuite.LoadPolicy"/>.</param>
    /// <returns>One result per case, in file order.</returns>
    /// <exception cref="PolicyValidationException">The suite's policy is invalid.</exception>
    public static IReadOnlyList<PolicyTestResult> Run(PolicyTestSuite suite, RetentionTimeline? policy = null)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var timeline = policy ?? suite.LoadPolicy();
        var compiled = new Dictionary<BoundaryMode, CompiledPolicy>();
        var evaluators = new Dictionary<(BoundaryMode, LocalDate), PolicyEvaluator>();
        var results = new List<PolicyTestResult>(suite.Cases.Count);
        foreach (var testCase in suite.Cases)
        {
            var boundary = testCase.Boundary ?? suite.Boundary;
            if (!evaluators.TryGetValue((boundary, testCase.AsOf), out var evaluator))
            {
                if (!compiled.TryGetValue(boundary, out var byBoundary))
                {
                    compiled[boundary] = byBoundary = CompiledPolicy.Compile(timeline, boundary);
                }

                evaluators[(boundary, testCase.AsOf)] = evaluator = byBoundary.For(testCase.AsOf);
            }

            var explanation = evaluator.Explain(testCase.Device);
            results.Add(new PolicyTestResult(testCase, explanation.Decision, Failures(testCase, explanation.Decision), explanation));
        }

        return results;
    }

    /// <summary>
    /// The cases of <paramref name="suite"/> that expect a rule <paramref name="policy"/> has in none
    /// of its versions (a misspelt rule name, which would otherwise only fail as a mismatch), each a
    /// problem at the case's line and column with the nearest rule name.
    /// </summary>
    /// <param name="suite">The cases.</param>
    /// <param name="policy">The policy or timeline they run against.</param>
    /// <returns>The problems, in file order; empty when every expected rule exists.</returns>
    public static IReadOnlyList<PolicyProblem> UnknownRules(PolicyTestSuite suite, RetentionTimeline policy)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(policy);
        var names = policy.Versions.SelectMany(v => v.Policy.Rules).Select(r => r.Name).Distinct(StringComparer.Ordinal).ToArray();
        var problems = new List<PolicyProblem>();
        foreach (var testCase in suite.Cases)
        {
            if (testCase.ChecksRule && testCase.ExpectedRule is { } rule && !names.Contains(rule, StringComparer.Ordinal))
            {
                problems.Add(new PolicyProblem(suite.Source, testCase.Line, testCase.Column, null, Messages.TestUnknownRule(testCase.Name, rule, policy.Name, Spelling.Suggest(rule, names))));
            }
        }

        return problems;
    }

    private static string[] Failures(PolicyTestCase expected, RetentionDecision decision)
    {
        var failures = new List<string>();
        if (decision.Action != expected.ExpectedAction)
        {
            failures.Add(Messages.TestActionDiffers(expected.ExpectedAction, decision.Action));
        }

        if (expected.ChecksRule && !string.Equals(expected.ExpectedRule, decision.Rule?.Name, StringComparison.Ordinal))
        {
            failures.Add(Messages.TestRuleDiffers(expected.ExpectedRule, decision.Rule?.Name));
        }

        if (expected.ChecksDueDate && expected.ExpectedDueDate != decision.DueDate)
        {
            failures.Add(Messages.TestDueDateDiffers(Iso(expected.ExpectedDueDate), Iso(decision.DueDate)));
        }

        if (expected.ChecksAlert && !string.Equals(expected.ExpectedAlert, decision.Alert, StringComparison.Ordinal))
        {
            failures.Add(Messages.TestAlertDiffers(expected.ExpectedAlert, decision.Alert));
        }

        return [.. failures];
    }

    private static string? Iso(LocalDate? date) => date is { } d ? LocalDatePattern.Iso.Format(d) : null;
}
