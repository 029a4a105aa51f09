using Smi.Retention.Cli.Reports.Models;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Cli.Commands;

/// <summary>Counts of a run by action and device type, which reconcile with the rows read.</summary>
internal sealed class RunSummary(Output.AlertSink alerts)
{
    private readonly DecisionCounts _counts = new();
    // The distinct reasons of undetermined decisions, the first 20 met, each with how many devices it stopped.
    private readonly List<(string Reason, long Count)> _undetermined = [];

    /// <summary>The alerts the removals send.</summary>
    public Output.AlertSink Alerts => alerts;

    public long Read { get; set; }

    public long Rejected { get; set; }

    public long Decided { get; private set; }

    public void Add(DeviceType type, RetentionDecision decision)
    {
        _counts.Add(decision.Action, type);
        Decided++;
        if (decision.Action == RetentionAction.Undetermined)
        {
            Note(decision.Problem!);
        }
    }

    /// <summary>Adds the decisions of a chunk counted on a parsing thread; <paramref name="undetermined"/> are its undetermined ones, in input order.</summary>
    public void Add(DecisionCounts counts, IEnumerable<RetentionDecision> undetermined)
    {
        _counts.Add(counts);
        Decided += counts.Total;
        foreach (var decision in undetermined)
        {
            Note(decision.Problem!);
        }
    }

    /// <summary>Counts one undetermined decision's reason (most are the same few texts, compared by reference first).</summary>
    private void Note(string reason)
    {
        for (var i = 0; i < _undetermined.Count; i++)
        {
            if (ReferenceEquals(_undetermined[i].Reason, reason) || string.Equals(_undetermined[i].Reason, reason, StringComparison.Ordinal))
            {
                _undetermined[i] = (_undetermined[i].Reason, _undetermined[i].Count + 1);
                return;
            }
        }

        if (_undetermined.Count < 20)
        {
            _undetermined.Add((reason, 1));
        }
    }

    public long Count(RetentionAction action) => _counts.Count(action);

    /// <summary>The run's report, once the pass is over.</summary>
    public RunReport Report(CompiledPolicy policy, PolicyEvaluator evaluator, string inventory, string? decisions, string? rejects, string? evidence, string? alertsFile, TimeSpan elapsed) =>
        RunReport.Of(policy, evaluator, inventory, (Read, Decided, Rejected), _counts.Count, [.. _undetermined.Select(u => u.Reason)], decisions, rejects, evidence, elapsed) with
        {
            Alerts = new RunReport.AlertCounts(alerts.Total, alerts.ServiceUsers, alerts.WithoutServiceUser),
            AlertsFile = alertsFile,
            UndeterminedCounts = [.. _undetermined.Select(u => u.Count)],
        };
}
