using System.Globalization;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Evaluation;
using Smi.Retention.Text;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary><c>run</c>'s result: rows read, decided and rejected, decisions by action and type, and the files written.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="PolicyInForce">The version in force on the as-of date.</param>
/// <param name="AsOf">The as-of date.</param>
/// <param name="Boundary">The boundary mode.</param>
/// <param name="Tzdb">The tzdb version London dates came from.</param>
/// <param name="Inventory">The inventory, as named.</param>
/// <param name="Rows">Rows read = decided + rejected.</param>
/// <param name="Decisions">Decisions by action, each by device type.</param>
/// <param name="Undetermined">The distinct reasons of undetermined decisions, the first 20 met.</param>
/// <param name="ElapsedSeconds">The run's time, to the millisecond.</param>
/// <param name="DecisionsFile">Where the decisions went (<c>--out</c>), or null.</param>
/// <param name="RejectsFile">Where the rejects went (<c>--rejects</c>), or null.</param>
/// <param name="EvidenceFile">Where the evidence went (<c>--evidence</c>), or null.</param>
internal sealed record RunReport(
    PolicyRef Policy, string PolicyInForce, LocalDate AsOf, BoundaryMode Boundary, string Tzdb, string Inventory, RunReport.RowCounts Rows,
    RunReport.ActionCounts Decisions, IReadOnlyList<string> Undetermined, double ElapsedSeconds, string? DecisionsFile, string? RejectsFile, string? EvidenceFile)
    : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "run";

    /// <summary>The alerts the removals send: how many, to how many Service Users, how many with none recorded.</summary>
    public AlertCounts Alerts { get; init; } = new(0, 0, 0);

    /// <summary>Where the alerts went (<c>--alerts</c>), or null.</summary>
    public string? AlertsFile { get; init; }

    /// <summary>How many devices each of <see cref="Undetermined"/>'s reasons stopped, in the same order.</summary>
    public IReadOnlyList<long> UndeterminedCounts { get; init; } = [];

    /// <summary>Whether the policy is a timeline of more than one version (the text then names the one in force).</summary>
    [JsonIgnore]
    public bool HasVersions { get; init; }

    /// <summary>The run's time, exactly.</summary>
    [JsonIgnore]
    public TimeSpan Elapsed { get; init; }

    /// <summary>The report of a run: its counts, reasons, files and time.</summary>
    public static RunReport Of(
        CompiledPolicy policy, PolicyEvaluator evaluator, string inventory, (long Read, long Decided, long Rejected) rows, Func<RetentionAction, DeviceType, long> count,
        IReadOnlyList<string> undetermined, string? decisions, string? rejects, string? evidence, TimeSpan elapsed)
    {
        ActionCount Of(RetentionAction action) => new(DeviceTypes.All.ToArray().Sum(type => count(action, type)), ByType.Of(type => count(action, type)));
        return new(PolicyRef.Of(policy), evaluator.PolicyInForce.Name, evaluator.AsOf, policy.Boundary, LondonDates.TzdbVersion.Split(' ')[1], inventory,
            new RowCounts(rows.Read, rows.Decided, rows.Rejected), new ActionCounts(Of(RetentionAction.Remove), Of(RetentionAction.Retain), Of(RetentionAction.Undetermined)),
            undetermined, Math.Round(elapsed.TotalSeconds, 3), decisions, rejects, evidence)
        {
            HasVersions = policy.Timeline.Versions.Count > 1,
            Elapsed = elapsed,
        };
    }

    /// <inheritdoc/>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SaysWhatWasWritten => true;

    /// <inheritdoc/>
    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var inForce = HasVersions ? $", version in force: {PolicyInForce}" : "";
        output.WriteLine(string.Create(c, $"Policy     {Policy.Name} (sha256 {Policy.Sha256[..12]}){inForce}"));
        output.WriteLine(string.Create(c, $"As of      {LocalDatePattern.Iso.Format(AsOf)} (London), boundary {Boundary}, tzdb {Tzdb}"));
        output.WriteLine(string.Create(c, $"Inventory  {Untrusted.Show(Inventory, 300)}"));
        output.WriteLine(string.Create(c, $"Rows       {Rows.Read:N0} read = {Rows.Decided:N0} decided + {Rows.Rejected:N0} rejected"));
        output.WriteLine(string.Create(c, $"Decisions  Remove {Decisions.Remove.Total:N0}, Retain {Decisions.Retain.Total:N0}, Undetermined {Decisions.Undetermined.Total:N0}"));
        output.WriteLine();
        var remove = Columns.Width(12, Decisions.Remove.ByType.Values);
        var retain = Columns.Width(12, Decisions.Retain.ByType.Values);
        var undetermined = Columns.Width(14, Decisions.Undetermined.ByType.Values);
        output.WriteLine(string.Create(c, $"  {"type",-7}{Columns.Right("Remove", remove)}{Columns.Right("Retain", retain)}{Columns.Right("Undetermined", undetermined)}"));
        foreach (var type in DeviceTypes.All)
        {
            var name = type.ToString();
            output.WriteLine(string.Create(c, $"  {type,-7}{Columns.Right(Decisions.Remove.ByType[name], remove)}{Columns.Right(Decisions.Retain.ByType[name], retain)}{Columns.Right(Decisions.Undetermined.ByType[name], undetermined)}"));
        }

        output.WriteLine();
        for (var i = 0; i < Undetermined.Count; i++)
        {
            var devices = i < UndeterminedCounts.Count && Decisions.Undetermined.Total > 1 ? string.Create(c, $" ({UndeterminedCounts[i]:N0} device{(UndeterminedCounts[i] == 1 ? "" : "s")})") : "";
            output.WriteLine("Undetermined" + devices + ": " + Undetermined[i]);
        }

        if (Alerts.Total > 0 || AlertsFile is not null)
        {
            var unaddressed = Alerts.WithoutServiceUser == 0 ? "" : string.Create(c, $"; {Alerts.WithoutServiceUser:N0} with no Service User recorded, which cannot be sent until one is");
            output.WriteLine(string.Create(c, $"Alerts     {Alerts.Total:N0} to {Alerts.ServiceUsers:N0} Service User{(Alerts.ServiceUsers == 1 ? "" : "s")}{unaddressed}"));
        }

        var seconds = Math.Max(Elapsed.TotalSeconds, 1e-6);
        output.WriteLine(string.Create(c, $"Elapsed    {Elapsed.TotalSeconds:F2} s, {Rows.Read / seconds:N0} rows/s"));
        output.WriteLine(string.Create(c, $"Written    decisions: {(DecisionsFile is null ? "(not written: no --out)" : Untrusted.Show(DecisionsFile, 300))}; rejects: {(RejectsFile is null ? (Rows.Rejected == 0 ? "(none)" : "(shown above: no --rejects)") : Untrusted.Show(RejectsFile, 300))}{(EvidenceFile is null ? "" : "; evidence: " + Untrusted.Show(EvidenceFile, 300))}{(AlertsFile is null ? "" : "; alerts: " + Untrusted.Show(AlertsFile, 300))}"));
    }

    /// <summary>Rows read, and how they split.</summary>
    /// <param name="Read">Rows read.</param>
    /// <param name="Decided">Rows of devices decided.</param>
    /// <param name="Rejected">Rows rejected.</param>
    internal sealed record RowCounts(long Read, long Decided, long Rejected);

    /// <summary>Decisions by action, named as the actions are.</summary>
    /// <param name="Remove">Removals.</param>
    /// <param name="Retain">Devices retained.</param>
    /// <param name="Undetermined">Devices that could not be decided (never removed).</param>
    internal sealed record ActionCounts(
        [property: JsonPropertyName("Remove")] ActionCount Remove,
        [property: JsonPropertyName("Retain")] ActionCount Retain,
        [property: JsonPropertyName("Undetermined")] ActionCount Undetermined);

    /// <summary>The alerts a run's removals send.</summary>
    /// <param name="Total">Removals that send an alert.</param>
    /// <param name="ServiceUsers">The Service Users they go to.</param>
    /// <param name="WithoutServiceUser">Alerts of devices with no Service User recorded.</param>
    internal sealed record AlertCounts(long Total, int ServiceUsers, long WithoutServiceUser);

    /// <summary>The decisions of one action.</summary>
    /// <param name="Total">All of them.</param>
    /// <param name="ByType">By device type.</param>
    internal sealed record ActionCount(long Total, IReadOnlyDictionary<string, long> ByType);
}
