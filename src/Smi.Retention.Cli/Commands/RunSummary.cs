using System.Globalization;
using NodaTime.Text;
using Smi.Retention.Cli.Output;
using Smi.Retention.Evaluation;
using Smi.Retention.Text;

namespace Smi.Retention.Cli.Commands;

/// <summary>Counts of a run by action and device type, which reconcile with the rows read.</summary>
internal sealed class RunSummary
{
    private readonly DecisionCounts _counts = new();
    private readonly List<string> _undetermined = [];

    public long Read { get; set; }

    public long Rejected { get; set; }

    public long Decided { get; private set; }

    public void Add(DeviceType type, RetentionDecision decision)
    {
        _counts.Add(decision.Action, type);
        Decided++;
        if (decision.Action == RetentionAction.Undetermined && _undetermined.Count < 20)
        {
            _undetermined.Add(decision.Problem!);
        }
    }

    /// <summary>Adds the decisions of a chunk counted on a parsing thread; <paramref name="undetermined"/> are its undetermined ones, in input order.</summary>
    public void Add(DecisionCounts counts, IEnumerable<RetentionDecision> undetermined)
    {
        _counts.Add(counts);
        Decided += counts.Total;
        foreach (var decision in undetermined)
        {
            if (_undetermined.Count == 20)
            {
                break;
            }

            _undetermined.Add(decision.Problem!);
        }
    }

    public long Count(RetentionAction action) => _counts.Count(action);

    /// <summary>The summary as one JSON document (schemas/output/run.schema.json).</summary>
    public void PrintJson(TextWriter output, CompiledPolicy policy, PolicyEvaluator evaluator, string inventory, string? decisions, string? rejects, string? evidence, TimeSpan elapsed)
    {
        using var report = JsonReport.Start(output, "run");
        var json = report.Writer;
        JsonReport.Policy(json, "policy", policy);
        json.WriteString("policyInForce", evaluator.PolicyInForce.Name);
        JsonReport.Date(json, "asOf", evaluator.AsOf);
        json.WriteString("boundary", policy.Boundary.ToString());
        json.WriteString("tzdb", LondonDates.TzdbVersion.Split(' ')[1]);
        json.WriteString("inventory", inventory);
        JsonReport.Rows(json, Read, "decided", Decided, Rejected);
        json.WriteStartObject("decisions");
        foreach (var action in new[] { RetentionAction.Remove, RetentionAction.Retain, RetentionAction.Undetermined })
        {
            json.WriteStartObject(action.ToString());
            json.WriteNumber("total", Count(action));
            JsonReport.ByType(json, "byType", type => _counts.Count(action, type));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        JsonReport.Strings(json, "undetermined", _undetermined);
        json.WriteNumber("elapsedSeconds", Math.Round(elapsed.TotalSeconds, 3));
        json.WriteString("decisionsFile", decisions);
        json.WriteString("rejectsFile", rejects);
        json.WriteString("evidenceFile", evidence);
    }

    public void Print(TextWriter output, CompiledPolicy policy, PolicyEvaluator evaluator, string inventory, string? decisions, string? rejects, string? evidence, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        var inForce = policy.Timeline.Versions.Count > 1 ? $", version in force: {evaluator.PolicyInForce.Name}" : "";
        output.WriteLine(string.Create(c, $"Policy     {policy.Name} (sha256 {policy.ContentHash[..12]}){inForce}"));
        output.WriteLine(string.Create(c, $"As of      {LocalDatePattern.Iso.Format(evaluator.AsOf)} (London), boundary {policy.Boundary}, tzdb {LondonDates.TzdbVersion.Split(' ')[1]}"));
        output.WriteLine(string.Create(c, $"Inventory  {Untrusted.Show(inventory, 300)}"));
        output.WriteLine(string.Create(c, $"Rows       {Read:N0} read = {Decided:N0} decided + {Rejected:N0} rejected"));
        output.WriteLine(string.Create(c, $"Decisions  Remove {Count(RetentionAction.Remove):N0}, Retain {Count(RetentionAction.Retain):N0}, Undetermined {Count(RetentionAction.Undetermined):N0}"));
        output.WriteLine();
        output.WriteLine(string.Create(c, $"  {"type",-7}{"Remove",12}{"Retain",12}{"Undetermined",14}"));
        foreach (var type in DeviceTypes.All)
        {
            output.WriteLine(string.Create(c, $"  {type,-7}{_counts.Count(RetentionAction.Remove, type),12:N0}{_counts.Count(RetentionAction.Retain, type),12:N0}{_counts.Count(RetentionAction.Undetermined, type),14:N0}"));
        }

        output.WriteLine();
        foreach (var problem in _undetermined)
        {
            output.WriteLine("Undetermined: " + problem);
        }

        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        output.WriteLine(string.Create(c, $"Elapsed    {elapsed.TotalSeconds:F2} s, {Read / seconds:N0} rows/s"));
        output.WriteLine(string.Create(c, $"Written    decisions: {(decisions is null ? "(not written: no --out)" : Untrusted.Show(decisions, 300))}; rejects: {(rejects is null ? (Rejected == 0 ? "(none)" : "(shown above: no --rejects)") : Untrusted.Show(rejects, 300))}{(evidence is null ? "" : "; evidence: " + Untrusted.Show(evidence, 300))}"));
    }
}
