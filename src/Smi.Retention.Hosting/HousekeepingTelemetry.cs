using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using NodaTime.Text;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Hosting;

/// <summary>
/// What the host tells operations, in one place: the log events (stable ids, the table in docs/hosting.md), the
/// <c>Smi.Retention</c> meter (OpenTelemetry naming) and an activity per run. Alerting on
/// "removals today" or "policy reload failed" needs only these names.
/// </summary>
internal sealed partial class HousekeepingTelemetry : IDisposable
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Smi.Retention";

    private static readonly ActivitySource Activities = new(Name, typeof(HousekeepingTelemetry).Assembly.GetName().Version?.ToString());

    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _decided;
    private readonly Counter<long> _removed;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _policyLoads;

    public HousekeepingTelemetry(ILogger logger, IMeterFactory? meters)
    {
        _logger = logger;
        _ownsMeter = meters is null;
        _meter = meters?.Create(Name) ?? new Meter(Name);
        _decided = _meter.CreateCounter<long>("smi.retention.devices.decided", "{device}", "Devices decided, by action and device type.");
        _removed = _meter.CreateCounter<long>("smi.retention.devices.removed", "{device}", "Removals released by runs the guard allowed.");
        _duration = _meter.CreateHistogram<double>("smi.retention.run.duration", "s", "How long a run took, by outcome (done, refused, cancelled, failed).");
        _policyLoads = _meter.CreateCounter<long>("smi.retention.policy.loads", "{load}", "Policy compilations, by outcome (loaded, reloaded, rejected).");
    }

    /// <summary>
    /// A policy is in force (event 1), and each of its lint warnings is said (event 7): what
    /// <c>validate --strict</c> refuses (a rule disabled, a rule that never decides, a device type
    /// no rule removes) may still reach the host's configuration, and is said where it runs.
    /// </summary>
    public void PolicyLoaded(Smi.Retention.Evaluation.CompiledPolicy policy, bool reload)
    {
        LogPolicyInForce(_logger, policy.Name, policy.ContentHash);
        foreach (var warning in Smi.Retention.Impact.PolicyLint.Check(policy.Timeline))
        {
            LogPolicyWarning(_logger, policy.Name, warning.ToString());
        }

        _policyLoads.Add(1, new KeyValuePair<string, object?>("outcome", reload ? "reloaded" : "loaded"));
    }

    public void PolicyRejected(string policy, string hash, string problems)
    {
        LogPolicyRejected(_logger, policy, hash, problems);
        _policyLoads.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
    }

    /// <summary>Settings other than the policy changed, and are in force.</summary>
    public void SettingsInForce(RetentionOptions options) =>
        LogSettingsInForce(_logger, options.Boundary, options.TimeZoneId, options.MaxRemovals, options.MaxRemovalFraction, options.AlertCode.Length == 0 ? "(none)" : options.AlertCode);

    /// <summary>The configuration, rejected before (event 3), is whole again and in force.</summary>
    public void ConfigurationWhole(string policy, string hash) => LogConfigurationWhole(_logger, policy, hash);

    /// <summary>The operating system will not tell of changes in a folder of the policy's files: the check every second finds them.</summary>
    public void FolderNotWatched(string folder, string reason) => LogFolderNotWatched(_logger, folder, reason);

    /// <summary>Logs the start of a run and starts its activity (null when nobody listens).</summary>
    public Activity? RunStarted(CompiledPolicy policy, PolicyEvaluator evaluator)
    {
        var asOf = LocalDatePattern.Iso.Format(evaluator.AsOf);
        LogRunStarted(_logger, policy.Name, policy.ContentHash, asOf);
        var activity = Activities.StartActivity("smi.retention.run");
        activity?.SetTag("smi.retention.policy", policy.Name);
        activity?.SetTag("smi.retention.policy.sha256", policy.ContentHash);
        activity?.SetTag("smi.retention.as_of", asOf);
        return activity;
    }

    public void RunFinished(Activity? activity, HousekeepingReport report, int removals)
    {
        Decided(report);
        _removed.Add(removals);
        _duration.Record(report.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "done"));
        var asOf = LocalDatePattern.Iso.Format(report.AsOf);
        var retained = report.Count(RetentionAction.Retain);
        var undetermined = report.Count(RetentionAction.Undetermined);
        LogRunFinished(_logger, report.PolicyName, report.PolicyHash, asOf, report.DevicesRead, removals, retained, undetermined, report.Elapsed.TotalMilliseconds);
        if (report.Undetermined.Count > 0)
        {
            LogUndetermined(_logger, report.Undetermined.Count, report.Undetermined[0].Reason);
        }

        End(activity, "done", report.DevicesRead, removals);
    }

    public void RunRefused(Activity? activity, HousekeepingReport report, int removals, string message)
    {
        Decided(report);
        _duration.Record(report.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "refused"));
        LogRunRefused(_logger, report.PolicyName, removals, report.DevicesRead, message);
        activity?.SetStatus(ActivityStatusCode.Error, "refused by the blast-radius guard");
        End(activity, "refused", report.DevicesRead, 0);
    }

    /// <summary>A warning of the policy over the inventory a run read (event 16): a fact a rule tests that it has no column for, a model a rule names that it lacks or spells alike.</summary>
    public void InventoryWarning(string policy, string warning) => LogInventoryWarning(_logger, policy, warning);

    public void RunCancelled(Activity? activity, long read, double seconds)
    {
        _duration.Record(seconds, new KeyValuePair<string, object?>("outcome", "cancelled"));
        LogRunCancelled(_logger, read);
        End(activity, "cancelled", read, 0);
    }

    public void RunFailed(Activity? activity, long read, double seconds, string kind, string cause, string reason)
    {
        _duration.Record(seconds, new KeyValuePair<string, object?>("outcome", "failed"));
        LogRunFailed(_logger, read, cause, kind, reason);
        activity?.SetStatus(ActivityStatusCode.Error, kind);
        End(activity, "failed", read, 0);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void Decided(HousekeepingReport report)
    {
        foreach (var action in new[] { RetentionAction.Remove, RetentionAction.Retain, RetentionAction.Undetermined })
        {
            foreach (var type in DeviceTypes.All)
            {
                if (report.Count(action, type) is var count and > 0)
                {
                    _decided.Add(count, new("smi.retention.action", action.ToString()), new("smi.retention.device_type", type.ToString()));
                }
            }
        }
    }

    private static void End(Activity? activity, string outcome, long read, int removals)
    {
        activity?.SetTag("smi.retention.outcome", outcome);
        activity?.SetTag("smi.retention.devices.read", read);
        activity?.SetTag("smi.retention.devices.removed", removals);
        activity?.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Housekeeping policy {Policy} (sha256 {Hash}) is now in force.")]
    private static partial void LogPolicyInForce(ILogger logger, string policy, string hash);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Housekeeping policy {Policy}, now in force, has a warning (validate --strict refuses it): {Warning}")]
    private static partial void LogPolicyWarning(ILogger logger, string policy, string warning);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Housekeeping run under {Policy}: {Warning}")]
    private static partial void LogInventoryWarning(ILogger logger, string policy, string warning);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "A reload of the housekeeping policy {Policy} and its settings was rejected; the last good policy (sha256 {Hash}) stays in force and nothing is removed on the reload's account. {Problems}")]
    private static partial void LogPolicyRejected(ILogger logger, string policy, string hash, string problems);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "The housekeeping configuration rejected before is whole again and in force, with policy {Policy} (sha256 {Hash}).")]
    private static partial void LogConfigurationWhole(ILogger logger, string policy, string hash);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Housekeeping settings now in force: Boundary {Boundary}, TimeZoneId {TimeZoneId}, MaxRemovals {MaxRemovals}, MaxRemovalFraction {MaxRemovalFraction}, AlertCode {AlertCode}.")]
    private static partial void LogSettingsInForce(ILogger logger, BoundaryMode boundary, string timeZoneId, long? maxRemovals, decimal? maxRemovalFraction, string alertCode);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Changes in {Folder}, a folder of the housekeeping policy's files, are not told by the operating system ({Reason}); the check of the files every second finds them instead.")]
    private static partial void LogFolderNotWatched(ILogger logger, string folder, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Housekeeping run started under {Policy} (sha256 {Hash}) as of {AsOf}.")]
    private static partial void LogRunStarted(ILogger logger, string policy, string hash, string asOf);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Housekeeping run under {Policy} (sha256 {Hash}) as of {AsOf} finished: {Read} devices read, {Removed} removed, {Retained} retained, {Undetermined} undetermined, in {ElapsedMs} ms.")]
    private static partial void LogRunFinished(ILogger logger, string policy, string hash, string asOf, long read, int removed, long retained, long undetermined, double elapsedMs);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Housekeeping run under {Policy} refused by the blast-radius guard: {Removals} removals of {Read} devices; none released. {Reason}")]
    private static partial void LogRunRefused(ILogger logger, string policy, int removals, long read, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "{Count} devices were undetermined (never removed); the first: {FirstReason}")]
    private static partial void LogUndetermined(ILogger logger, int count, string firstReason);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Housekeeping run failed after {Read} devices: {Cause} ({Kind}: {Reason}); nothing released.")]
    private static partial void LogRunFailed(ILogger logger, long read, string cause, string kind, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Housekeeping run cancelled after {Read} devices; nothing released.")]
    private static partial void LogRunCancelled(ILogger logger, long read);
}
