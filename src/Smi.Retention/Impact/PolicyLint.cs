using Smi.Retention.Evaluation;
using Smi.Retention.Inventory;
using Smi.Retention.Policies;
using Smi.Retention.Rules;
using Smi.Retention.Text;

namespace Smi.Retention.Impact;

/// <summary>
/// Warnings for policy authors, decided exactly over the finite vocabulary (every type, status,
/// prior-status set and period epoch): rules disabled, rules that never decide anything, device types no rule can
/// remove, periods under 12 months, Communications Hubs half-excluded. (A Remove rule that removes
/// a device whose status is not Pending is not a warning: the policy is refused, <see cref="TableReach.NotPendingRemovals"/>.)
/// The built-in policies raise none.
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
        return timeline.Versions.Select(v => v.Policy).Distinct().SelectMany(Check).Distinct().ToArray(); // a file named by two versions is one file: its warnings once
    }

    /// <summary>Checks one policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The warnings, in rule order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public static IReadOnlyList<PolicyWarning> Check(RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var table = policy.Table;
        var reach = table.Reach;
        var deciding = reach.Deciding;
        var removable = reach.RemovedTypes;
        var warnings = new List<PolicyWarning>();
        foreach (var rule in policy.Rules)
        {
            if (!rule.Enabled)
            {
                // A switch easily left off: an exclusion disabled turns into removals, and strict validation passed it.
                warnings.Add(Warning(policy, rule, Messages.LintDisabled(rule.Action)));
                continue;
            }

            if (!deciding[rule.Index])
            {
                warnings.Add(Warning(policy, rule, table.Facts[rule.Index].MatchesSome ? Messages.LintShadowed() : Messages.LintMatchesNothing()));
            }

            foreach (var model in ModelsNamed(rule))
            {
                if (Spelling.HasCharactersDrawnAlike(model))
                {
                    warnings.Add(Warning(policy, rule, Messages.LintModelDrawnAlike(model)));
                }
            }

            var warned = new bool[12]; // each period under a year once, in the order the rule names them
            foreach (var period in ConditionLogic.Periods(rule.Condition))
            {
                if (period.Months < warned.Length && !warned[period.Months])
                {
                    warned[period.Months] = true;
                    warnings.Add(Warning(policy, rule, Messages.LintShortPeriod(period)));
                }
            }
        }

        foreach (var type in DeviceTypes.All)
        {
            if (type.HasSmiStatus() && !removable[(int)type] && !IsExcluded(policy, type))
            {
                warnings.Add(Warning(policy, null, Messages.LintNeverRemoved(type)));
            }
        }

        if (removable[(int)DeviceType.CHF] != removable[(int)DeviceType.GPF])
        {
            var (kept, removed) = removable[(int)DeviceType.CHF] ? (DeviceType.GPF, DeviceType.CHF) : (DeviceType.CHF, DeviceType.GPF);
            warnings.Add(Warning(policy, null, Messages.LintHalfHub(kept, removed)));
        }

        return warnings;
    }

    /// <summary>
    /// Warnings for a policy run over an inventory: a rule that tests a fact (the SMETS generation,
    /// the device model) the inventory has no column for, so every device whose decision needs it is
    /// Undetermined. One warning per policy version and fact, at the first rule that tests it.
    /// </summary>
    /// <param name="timeline">The policy or timeline.</param>
    /// <param name="inventory">The inventory, past its header.</param>
    /// <returns>The warnings; none when the inventory gives every fact the rules test.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IReadOnlyList<PolicyWarning> Check(RetentionTimeline timeline, InventoryReader inventory)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(inventory);
        return Check(timeline, inventory.Source, Vocabulary.Optional.Select(o => o.Column).Where(inventory.HasColumn).ToHashSet());
    }

    /// <summary>The warnings of <see cref="Check(RetentionTimeline, InventoryReader)"/> for an inventory read before, named <paramref name="source"/>, with the optional <paramref name="columns"/>.</summary>
    internal static IReadOnlyList<PolicyWarning> Check(RetentionTimeline timeline, string source, IReadOnlySet<string> columns)
    {
        var warnings = new List<PolicyWarning>();
        foreach (var policy in timeline.Versions.Select(v => v.Policy).Distinct())
        {
            foreach (var (fact, member, column) in Vocabulary.Optional)
            {
                if (columns.Contains(column))
                {
                    continue;
                }

                var rule = policy.Rules.FirstOrDefault(r => r.Enabled && ConditionLogic.Tests(r.Condition).Any(t => (t.Member.Reads & fact) != 0));
                if (rule is not null)
                {
                    warnings.Add(Warning(policy, rule, Messages.LintFactNotInInventory(member.Name, source, column)));
                }
            }
        }

        return warnings;
    }

    /// <summary>
    /// Warnings for a model a rule names that no device of the inventory has (its <c>device_model</c>
    /// values, all of them, in <paramref name="models"/>): a model is compared exactly, so a misspelt
    /// or look-alike name matches nothing, and an exclusion by it keeps nothing. One warning per
    /// rule and model, with the nearest model the inventory has; and for a model the inventory has,
    /// a warning naming its other spellings that look alike (<see cref="Spelling.LookAlike"/>: the
    /// same but for case, or drawn alike), whose devices the rule does not match.
    /// </summary>
    /// <param name="timeline">The policy or timeline.</param>
    /// <param name="source">The inventory's name, for the messages.</param>
    /// <param name="models">Every model of the inventory; null when it has too many to keep them all: each model a rule names is then said to be unchecked.</param>
    internal static IReadOnlyList<PolicyWarning> CheckModels(RetentionTimeline timeline, string source, IReadOnlySet<string>? models)
    {
        var known = models?.ToArray() ?? [];
        var warnings = new List<PolicyWarning>();
        foreach (var policy in timeline.Versions.Select(v => v.Policy).Distinct())
        {
            foreach (var rule in policy.Rules.Where(r => r.Enabled))
            {
                foreach (var model in ModelsNamed(rule))
                {
                    if (models is null)
                    {
                        warnings.Add(Warning(policy, rule, Messages.LintModelUnchecked(model, source)));
                        continue;
                    }

                    // The inventory's spellings that look like the model named but are not it: the rule does not match their devices.
                    var lookAlikes = known.Where(k => Spelling.LookAlike(model, k)).Order(StringComparer.Ordinal).ToArray();
                    if (!models.Contains(model))
                    {
                        warnings.Add(Warning(policy, rule, lookAlikes.Length > 0
                            ? Messages.LintModelOnlyLookAlikes(model, source, lookAlikes)
                            : Messages.LintModelNotInInventory(model, source, Spelling.Suggest(model, known))));
                    }
                    else if (lookAlikes.Length > 0)
                    {
                        warnings.Add(Warning(policy, rule, Messages.LintModelLookAlikes(model, source, lookAlikes)));
                    }
                }
            }
        }

        return warnings;
    }

    /// <summary>Whether an enabled rule of a version of <paramref name="timeline"/> names a device model: only then are the models of an inventory worth keeping for <see cref="CheckModels"/>.</summary>
    internal static bool NamesAModel(RetentionTimeline timeline) =>
        timeline.Versions.Any(v => v.Policy.Rules.Any(r => r.Enabled && ModelsNamed(r).Any()));

    /// <summary>The models a rule's condition names, each once.</summary>
    private static IEnumerable<string> ModelsNamed(RetentionRule rule) =>
        ConditionLogic.Tests(rule.Condition).Where(t => t.Member == Vocabulary.Model).Select(t => t.Text!).Distinct(StringComparer.Ordinal);

    /// <summary>A warning placed at its rule, or at the policy for one about the whole policy.</summary>
    private static PolicyWarning Warning(RetentionPolicy policy, RetentionRule? rule, string message)
    {
        var (line, column) = rule?.Position ?? policy.Position;
        return new PolicyWarning(policy.Name, rule?.Name, message) { Source = policy.Source, Line = line, Column = column };
    }

    /// <summary>A deliberate exclusion: an enabled Retain rule that holds for every device of the type on every date.</summary>
    private static bool IsExcluded(RetentionPolicy policy, DeviceType type) =>
        policy.Rules.Any(r => r.Enabled && r.Action == RetentionAction.Retain && policy.Table.Facts[r.Index].HoldsForEvery(type));
}
