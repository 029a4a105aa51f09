using NodaTime;
using RulesEngine.Models;

namespace Smi.Retention;

/// <summary>
/// Microsoft RulesEngine interpreting the same workflow, the way a RulesEngine user would:
/// <c>ExecuteAllRulesAsync</c> per device, first successful rule in file order decides. The
/// reference the compiled evaluator is tested against, and the benchmarks' naive baseline.
/// A rule that throws makes the decision undetermined, as in the compiled evaluator.
/// </summary>
internal sealed class ReferenceEvaluator
{
    private readonly RetentionTimeline _timeline;
    private readonly BoundaryMode _boundary;
    private readonly RulesEngine.RulesEngine _engine;

    public ReferenceEvaluator(RetentionTimeline timeline, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate)
    {
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
        _engine = new RulesEngine.RulesEngine(workflows, ExpressionReader.EngineSettings);
    }

    public async ValueTask<(RetentionAction Action, string? Rule)> EvaluateAsync(DeviceRecord device, LocalDate asOf)
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
