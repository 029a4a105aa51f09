using Smi.Retention.Rules;

namespace Smi.Retention.Policies.Loading;

/// <summary>
/// The rules of a policy taken together: at least one enabled, within the test budget and the
/// number of periods the evaluator can compile, and no rule made unreachable by one before it
/// that matches every device.
/// </summary>
internal static class RuleSetChecks
{
    /// <summary>Checks the rules of a policy that read without a problem, as a whole.</summary>
    public static void Check(ProblemSink problems, JsonArray array, List<RetentionRule> rules)
    {
        if (problems.Count > 0)
        {
            return;
        }

        var enabled = rules.Where(r => r.Enabled).ToList();
        if (enabled.Count == 0)
        {
            problems.Add(array, null, Messages.EmptyPolicy(rules.Count));
            return;
        }

        // Compiling visits every test once per device state: the total bounds the time it takes.
        var tests = rules.Sum(r => ConditionLogic.Size(r.Condition));
        if (tests > PolicyLimits.MaxPolicyTests)
        {
            problems.Add(array, null, Messages.PolicyTooComplex(tests));
            return;
        }

        var periods = enabled.SelectMany(r => ConditionLogic.Periods(r.Condition)).Distinct().Order().ToArray();
        if (periods.Length > PolicyLimits.MaxPeriods)
        {
            problems.Add(array, null, Messages.TooManyPeriods(periods.Length, PolicyLimits.MaxPeriods));
            return;
        }

        // Exactly, over every device a record can describe on every date (StateSpace).
        var space = Evaluation.StateSpace.For(enabled.Select(r => r.Condition), periods);
        for (var i = 0; i < enabled.Count - 1; i++)
        {
            if (space.IsAlwaysTrue(space.Masks(enabled[i].Condition)))
            {
                foreach (var unreachable in enabled.Skip(i + 1))
                {
                    problems.Add(array.Items[unreachable.Index], unreachable.Name, Messages.Unreachable(unreachable.Name, enabled[i].Name));
                }

                return;
            }
        }
    }
}
