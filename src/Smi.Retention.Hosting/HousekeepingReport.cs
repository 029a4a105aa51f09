using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Hosting;

/// <summary>What a housekeeping run did: counts that reconcile with the devices read, the policy and its hash, the dates and timings.</summary>
public sealed class HousekeepingReport
{
    private readonly DecisionCounts _counts;

    internal HousekeepingReport(
        CompiledPolicy policy, PolicyEvaluator evaluator, string timeZoneId, long devicesRead, long rejected, IReadOnlyList<RejectedRow> rejects,
        DecisionCounts counts, IReadOnlyList<UndeterminedDevice> undetermined, Instant started, Instant finished)
    {
        PolicyName = policy.Name;
        PolicyHash = policy.ContentHash;
        PolicyInForce = evaluator.PolicyInForce.Name;
        AsOf = evaluator.AsOf;
        Boundary = policy.Boundary;
        TimeZoneId = timeZoneId;
        TzdbVersion = LondonDates.TzdbVersion;
        DevicesRead = devicesRead;
        Rejected = rejected;
        Rejects = rejects;
        _counts = counts;
        Undetermined = undetermined;
        Started = started;
        Finished = finished;
    }

    /// <summary>The policy or timeline run.</summary>
    public string PolicyName { get; }

    /// <summary>The SHA-256 of its text, lower-case hex.</summary>
    public string PolicyHash { get; }

    /// <summary>The version in force on <see cref="AsOf"/>.</summary>
    public string PolicyInForce { get; }

    /// <summary>The date of the run.</summary>
    public LocalDate AsOf { get; }

    /// <summary>How period ends were counted.</summary>
    public BoundaryMode Boundary { get; }

    /// <summary>The zone in which the clock's instant became <see cref="AsOf"/>.</summary>
    public string TimeZoneId { get; }

    /// <summary>The tzdb data version.</summary>
    public string TzdbVersion { get; }

    /// <summary>Every row read (a record handed over is a row): those decided, which the counts by action add up to, and <see cref="Rejected"/>.</summary>
    public long DevicesRead { get; }

    /// <summary>The devices decided: <see cref="DevicesRead"/> less <see cref="Rejected"/>; the blast-radius guard's denominator.</summary>
    public long Decided => DevicesRead - Rejected;

    /// <summary>
    /// Rows not decided: a line of a file or stream that cannot be read as a record, and every row
    /// of a device listed more than once (which of them is right cannot be told). None is removed.
    /// </summary>
    public long Rejected { get; }

    /// <summary>The first 1,000 rejects in input order, each with the reason (<see cref="Rejected"/> counts them all).</summary>
    public IReadOnlyList<RejectedRow> Rejects { get; }

    /// <summary>The devices that could not be decided, with the reason; none of them is removed.</summary>
    public IReadOnlyList<UndeterminedDevice> Undetermined { get; }

    /// <summary>When the run started, by the injected clock.</summary>
    public Instant Started { get; }

    /// <summary>When the run finished, by the injected clock.</summary>
    public Instant Finished { get; }

    /// <summary>How long the run took, by the injected clock.</summary>
    public Duration Elapsed => Finished - Started;

    /// <summary>Devices with this outcome.</summary>
    /// <param name="action">The outcome.</param>
    /// <returns>The count.</returns>
    public long Count(RetentionAction action) => _counts.Count(action);

    /// <summary>Devices of this type with this outcome.</summary>
    /// <param name="action">The outcome.</param>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    public long Count(RetentionAction action, DeviceType type) => DeviceTypes.IsDefined(type) ? _counts.Count(action, type) : 0;

    /// <summary>Records with no valid type (uninitialised), all undetermined.</summary>
    public long UntypedRecords => _counts.Count(RetentionAction.Undetermined, default);

    /// <summary>The report as text.</summary>
    /// <returns>Several lines.</returns>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"Policy {PolicyName} (sha256 {PolicyHash[..12]}), in force: {PolicyInForce}; as of {LocalDatePattern.Iso.Format(AsOf)} ({TimeZoneId}, tzdb {TzdbVersion}), {Boundary}\n");
        text.Append(c, $"{DevicesRead:N0} rows read = {Decided:N0} decided + {Rejected:N0} rejected\n");
        text.Append(c, $"{Decided:N0} devices: Remove {Count(RetentionAction.Remove):N0}, Retain {Count(RetentionAction.Retain):N0}, Undetermined {Count(RetentionAction.Undetermined):N0}\n");
        foreach (var type in DeviceTypes.All)
        {
            text.Append(c, $"  {type,-7} Remove {Count(RetentionAction.Remove, type),12:N0}  Retain {Count(RetentionAction.Retain, type),12:N0}  Undetermined {Count(RetentionAction.Undetermined, type),8:N0}\n");
        }

        if (UntypedRecords > 0)
        {
            text.Append(c, $"  untyped Undetermined {UntypedRecords:N0}\n");
        }

        text.Append(c, $"Elapsed {Elapsed.TotalSeconds:F2} s\n");
        return text.ToString();
    }
}
