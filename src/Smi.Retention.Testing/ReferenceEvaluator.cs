using NodaTime;
using RulesEngine.Models;
using Smi.Retention.Policies;
using Smi.Retention.Rules;

namespace Smi.Retention.Testing;

/// <summary>
/// Microsoft RulesEngine interpreting the same workflow, the way a RulesEngine user would:
/// <c>ExecuteAllRulesAsync</c> per device, first successful rule in file order decides. The
/// reference the compiled evaluator is tested against, and the benchmarks' naive baseline.
/// A rule that throws makes the decision undetermined, as in the compiled evaluator.
/// </summary>
public sealed class ReferenceEvaluator
{
    private readonly RetentionTimeline _timeline;
    private readonly BoundaryMode _boundary;
    private readonly RulesEngine.RulesEngine _engine;

    /// <summary>RulesEngine's settings for policies: the facts type and the enums its rules compare with.</summary>
    internal static ReSettings Settings { get; } = new() { CustomTypes = [typeof(DeviceFacts), typeof(DeviceType), typeof(SmiStatus)] };

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
    }

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
