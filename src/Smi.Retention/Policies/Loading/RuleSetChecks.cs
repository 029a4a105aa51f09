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
        // Both checks read the table, each rule where it stands; both are said at once, in rule order.
        var table = Evaluation.DecisionTable.Build(rules, periods, space);
        var notPending = table.Reach.NotPendingRemovals;
        string? matchesEvery = null; // the first rule that matches every device: none after it is reached
        foreach (var rule in enabled)
        {
            if (matchesEvery is not null)
            {
                problems.Add(array.Items[rule.Index], rule.Name, Messages.Unreachable(rule.Name, matchesEvery));
            }
            else if (notPending[rule.Index] is { } device)
            {
                // AC 7.2 removes pending devices only; a removed device can never be installed.
                problems.Add(array.Items[rule.Index], rule.Name, Messages.RemovesNotPending(rule.Name, device.Type, device.Status));
            }

            matchesEvery ??= table.Facts[rule.Index].AlwaysTrue ? rule.Name : null;
        }

        return problems.Count == 0 ? table : null;
    }
}
