using NodaTime;
using RulesEngine.Models;
using Smi.Retention.Policies;
using Smi.Retention.Rules;

namespace Smi.Retention.Testing;

/// <summary>
/// Microsoft RulesEngine interpreting the same workflow, the way a RulesEngine user would:
/// <c>ExecuteAllRulesAsync</c> per device, first successful rule in file order decides. The
/// reference the compiled evaluator is tested against, and the benchmarks' naive baseline.
/// A rule that throws makes the decision undetermined, as in the compiled evaluator. A device
/// whose record lacks its SMETS generation or model is run once for each value it could have (each
/// generation; each model a rule names, and one none does) and decided only when every run decides
/// alike (the same action by the same rule), or retained (by no one rule) when every run retains it,
/// as the documentation states the rule.
/// </summary>
public sealed class ReferenceEvaluator
{
    private readonly RetentionTimeline _timeline;
    private readonly BoundaryMode _boundary;
    private readonly RulesEngine.RulesEngine _engine;

    /// <summary>RulesEngine's settings for policies: the facts type and the enums its rules compare with.</summary>
    internal static ReSettings Settings { get; } = new() { CustomTypes = [typeof(DeviceFacts), typeof(DeviceType), typeof(SmiStatus), typeof(SmetsGeneration)] };

    /// <summary>Builds one RulesEngine workflow per version of <paramref name="timeline"/>.</summary>
    /// <param name="timeline">The policy or timeline, as loaded (validated) by the library.</param>
    /// <param name="boundary">Whether the corresponding date itself counts as elapsed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeline"/> is null.</exception>
    public ReferenceEvaluator(RetentionTimeline timeline, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        _timeline = timeline;
        _boundary = boundary;
        var workflows = timeline.Versions.Select((v, i) => new Workflow
        {
            WorkflowName = WorkflowKey(i),
            Rules = v.Policy.Rules.Select(r => new Rule
            {
                RuleName = r.Name,
                Expression = r.Expression,
                SuccessEvent = r.Action.ToString(),
                Enabled = r.Enabled,
            }).ToList(),
        }).ToArray();
        _engine = new RulesEngine.RulesEngine(workflows, Settings);
        var named = timeline.Versions.SelectMany(v => v.Policy.Rules).SelectMany(r => ConditionLogic.Tests(r.Condition))
            .Where(t => t.Member == Vocabulary.Model).Select(t => t.Text!).Distinct().ToList();
        var other = "a model no rule names";
        while (named.Contains(other))
        {
            other += "!";
        }

        _models = [.. named, other];
    }

    private readonly string[] _models;

    /// <summary>Decides one device on one date by running the rules of the version in force through RulesEngine.</summary>
    /// <param name="device">The device.</param>
    /// <param name="asOf">The London date of the decision.</param>
    /// <returns>The action and the name of the rule that decided (null when none matched); <see cref="RetentionAction.Undetermined"/> when a rule threw, the record is uninitialised or its status applies after <paramref name="asOf"/>.</returns>
    public async ValueTask<(RetentionAction Action, string? Rule)> EvaluateAsync(DeviceRecord device, LocalDate asOf)
    {
        // Fail closed as the library does: a record with no type, or dated after the decision, is not decided.
        if (!device.IsInitialized || device.StatusSince > asOf)
        {
            return (RetentionAction.Undetermined, null);
        }

        var generations = device.Generation == SmetsGeneration.Unknown ? [SmetsGeneration.SMETS1, SmetsGeneration.SMETS2] : new[] { device.Generation };
        var models = device.Model is null ? _models : [device.Model];
        (RetentionAction Action, string? Rule)? agreed = null;
        foreach (var generation in generations)
        {
            foreach (var model in models)
            {
                var record = new DeviceRecord(device.Id, device.Type, device.Status, device.StatusSince, device.PriorStatuses, device.NotifyingParty, generation, model);
                var one = await RunAsync(record, asOf).ConfigureAwait(false);
                if (agreed is { } first && first != one)
                {
                    // Retained by every reading, by different rules: retained, by no one rule; any other difference decides nothing.
                    if (first.Action != RetentionAction.Retain || one.Action != RetentionAction.Retain)
                    {
                        return (RetentionAction.Undetermined, null);
                    }

                    one = (RetentionAction.Retain, null);
                }

                agreed = one;
            }
        }

        return agreed!.Value;
    }

    private async ValueTask<(RetentionAction Action, string? Rule)> RunAsync(DeviceRecord device, LocalDate asOf)
    {
        var version = _timeline.VersionIndexAt(asOf);
        var facts = new DeviceFacts(device, asOf, _boundary);
        var results = await _engine.ExecuteAllRulesAsync(WorkflowKey(version), new RuleParameter("device", facts)).ConfigureAwait(false);
        foreach (var result in results)
        {
            if (!string.IsNullOrEmpty(result.ExceptionMessage))
            {
                return (RetentionAction.Undetermined, null);
            }

            if (result.IsSuccess)
            {
                return (Enum.Parse<RetentionAction>(result.Rule.SuccessEvent), result.Rule.RuleName);
            }
        }

        return (RetentionAction.Retain, null);
    }

    private static string WorkflowKey(int version) => "v" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
