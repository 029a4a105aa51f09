using Smi.Retention.Evaluation;
using Smi.Retention.Policies;
using Smi.Retention.Rules;

namespace Smi.Retention.Impact;

/// <summary>
/// Warnings for policy authors, decided exactly over the finite vocabulary (every type, status,
/// prior-status set and period epoch): rules that never decide anything, device types no rule can
/// remove, periods under 12 months, Communications Hubs half-excluded, Remove rules that ignore
/// the status. The built-in policies raise none.
/// </summary>
public static class PolicyLint
{
    /// <summary>Checks every policy of a timeline.</summary>
    /// <param name="timeline">The timeline (or a single policy as a timeline of one version).</param>
    /// <returns>The warnings, in rule order; none for a policy without smells.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeline"/> is null.</exception>
    public static IReadOnlyList<PolicyWarning> Check(RetentionTimeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return timeline.Versions.Select(v => v.Policy).Distinct().SelectMany(Check).ToArray();
    }

    /// <summary>Checks one policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The warnings, in rule order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public static IReadOnlyList<PolicyWarning> Check(RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var table = DecisionTable.Build(policy);
        var space = table.Space;
        var deciding = new HashSet<int>();
        var removableTypes = new HashSet<DeviceType>();
        var removesNotPending = new Dictionary<int, SmiStatus>();
        for (var r = 0; r < space.Rows; r++)
        {
            if (!space.IsReachable(r))
            {
                continue;
            }

            var state = space.State(r);
            var row = DecisionTable.TableRow(r, space.Classes);
            for (var epoch = 0; epoch < table.Epochs; epoch++)
            {
                var rule = DecisionTable.RuleCode(table.Entries[(row * table.Epochs) + epoch]) - 1;
                if (rule >= 0)
                {
                    deciding.Add(rule);
                }

                if ((table.RemoveBits[row] & (1u << epoch)) != 0)
                {
                    removableTypes.Add(state.Type);
                    if (state.Status != SmiStatus.Pending)
                    {
                        removesNotPending.TryAdd(rule, state.Status);
                    }
                }
            }
        }

        var warnings = new List<PolicyWarning>();
        var excluded = new HashSet<DeviceType>();
        foreach (var rule in policy.Rules.Where(r => r.Enabled))
        {
            var masks = !deciding.Contains(rule.Index) || rule.Action == RetentionAction.Retain ? space.Masks(rule.Condition) : null;
            if (!deciding.Contains(rule.Index))
            {
                var matchesSome = Enumerable.Range(0, space.Rows).Any(r => space.IsReachable(r) && masks![r] != 0);
                warnings.Add(Warning(policy, rule, matchesSome ? Messages.LintShadowed() : Messages.LintMatchesNothing()));
            }

            if (rule.Action == RetentionAction.Retain)
            {
                // A deliberate exclusion: a Retain rule that holds for every device of the type on every date.
                var partly = new HashSet<DeviceType>();
                for (var r = 0; r < space.Rows; r++)
                {
                    if (space.IsReachable(r) && masks![r] != space.All)
                    {
                        partly.Add(space.State(r).Type);
                    }
                }

                excluded.UnionWith(DeviceTypes.All.ToArray().Except(partly));
            }

            if (removesNotPending.TryGetValue(rule.Index, out var status))
            {
                warnings.Add(Warning(policy, rule, Messages.LintIgnoresStatus(status)));
            }

            foreach (var period in ConditionLogic.Periods(rule.Condition).Distinct().Where(p => p.Months < 12))
            {
                warnings.Add(Warning(policy, rule, Messages.LintShortPeriod(period)));
            }
        }

        foreach (var type in DeviceTypes.All.ToArray().Where(t => t.HasSmiStatus() && !removableTypes.Contains(t) && !excluded.Contains(t)))
        {
            warnings.Add(Warning(policy, null, Messages.LintNeverRemoved(type)));
        }

        if (removableTypes.Contains(DeviceType.CHF) != removableTypes.Contains(DeviceType.GPF))
        {
            var (kept, removed) = removableTypes.Contains(DeviceType.CHF) ? (DeviceType.GPF, DeviceType.CHF) : (DeviceType.CHF, DeviceType.GPF);
            warnings.Add(Warning(policy, null, Messages.LintHalfHub(kept, removed)));
        }

        return warnings;
    }

    /// <summary>A warning placed at its rule, or at the policy for one about the whole policy.</summary>
    private static PolicyWarning Warning(RetentionPolicy policy, RetentionRule? rule, string message)
    {
        var (line, column) = rule?.Position ?? policy.Position;
        return new PolicyWarning(policy.Name, rule?.Name, message) { Source = policy.Source, Line = line, Column = column };
    }
}
