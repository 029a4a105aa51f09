using Smi.Retention.Rules;

namespace Smi.Retention.Policies.Loading;

/// <summary>
/// The rules of a policy taken together: at least one enabled, within the test budget and the
/// number of periods the evaluator can compile, no rule made unreachable by one before it
/// that matches every device, and no rule that removes a device whose status is not Pending.
/// </summary>
internal static class RuleSetChecks
{
    /// <summary>Checks the rules of a policy that read without a problem, as a whole; the decision table they compile to when they pass (built here once, and kept by the policy).</summary>
    public static Evaluation.DecisionTable? Check(ProblemSink problems, PlacedArray array, List<RetentionRule> rules)
    {
        if (problems.Count > 0)
        {
            return null;
        }

        var enabled = rules.Where(r => r.Enabled).ToList();
        if (enabled.Count == 0)
        {
            problems.Add(array, null, Messages.EmptyPolicy(rules.Count));
            return null;
        }

        // Compiling visits every test once per device state: the total bounds the time it takes.
        var tests = 0L;
        foreach (var rule in rules)
        {
            tests += ConditionLogic.Size(rule.Condition);
        }

        if (tests > PolicyLimits.MaxPolicyTests)
        {
            problems.Add(array, null, Messages.PolicyTooComplex(tests));
            return null;
        }

        var periods = RetentionPolicy.PeriodsOf(rules);
        if (periods.Count > PolicyLimits.MaxPeriods)
        {
            problems.Add(array, null, Messages.TooManyPeriods(periods.Count, PolicyLimits.MaxPeriods));
            return null;
        }

        // The devices the rules tell apart, before the table is made: its size is their number.
        var space = Evaluation.StateSpace.For(enabled.Select(r => r.Condition), periods);
        var models = space.TestsModel ? space.Models.Length - 1 : 0;
        if (models > PolicyLimits.MaxModels)
        {
            problems.Add(array, null, Messages.TooManyModels(models, PolicyLimits.MaxModels));
            return null;
        }

        if (Evaluation.DecisionTable.ClassesOf(space) is var classes && classes > PolicyLimits.MaxDeviceClasses)
        {
            problems.Add(array, null, Messages.TooManyDeviceClasses(classes, space.PriorClasses, space.TestsGeneration, models, PolicyLimits.MaxDeviceClasses));
            return null;
        }

        // Exactly, over every device a record can describe on every date (StateSpace, RuleFacts).
        var table = Evaluation.DecisionTable.Build(rules, periods, space);
        for (var i = 0; i < enabled.Count - 1; i++)
        {
            if (table.Facts[enabled[i].Index].AlwaysTrue)
            {
                foreach (var unreachable in enabled.Skip(i + 1))
                {
                    problems.Add(array.Items[unreachable.Index], unreachable.Name, Messages.Unreachable(unreachable.Name, enabled[i].Name));
                }

                return null;
            }
        }

        // AC 7.2 removes pending devices only; a removed device can never be installed.
        var notPending = table.NotPendingRemovals(rules.Count);
        foreach (var rule in enabled)
        {
            if (notPending[rule.Index] is { } status)
            {
                problems.Add(array.Items[rule.Index], rule.Name, Messages.RemovesNotPending(rule.Name, status));
            }
        }

        return problems.Count == 0 ? table : null;
    }
}
