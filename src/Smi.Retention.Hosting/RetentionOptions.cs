using Smi.Retention.Policies;

using Smi.Retention.Evaluation;

namespace Smi.Retention.Hosting;

/// <summary>
/// How a DSP system runs housekeeping: bound from code or from the configuration section
/// <see cref="SectionName"/> by <see cref="RetentionServiceCollectionExtensions.AddSmiRetention(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{RetentionOptions})"/>.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section read by default: <c>SmiRetention</c>.</summary>
    public const string SectionName = "SmiRetention";

    /// <summary>
    /// The policy: a built-in name (e.g. <c>sec-timeline</c>) or the path of a policy or timeline JSON
    /// file. Required: there is no default, so a missing or misspelt setting stops the host instead
    /// of running a policy nobody chose.
    /// </summary>
    public string Policy { get; set; } = "";

    /// <summary>When a period counts as elapsed; on the corresponding date by default.</summary>
    public BoundaryMode Boundary { get; set; } = BoundaryMode.OnCorrespondingDate;

    /// <summary>The tzdb zone in which instants become inventory dates; Europe/London unless there is a reason.</summary>
    public string TimeZoneId { get; set; } = LondonDates.ZoneId;

    /// <summary>The alert for removals by rules that set none of their own; <c>N8</c> by default, empty for none.</summary>
    public string AlertCode { get; set; } = RetentionRule.DefaultAlert;

    /// <summary>
    /// Refuse a run that would remove more than this many devices; null for no count limit. Given
    /// alone, it replaces the default fraction (see <see cref="BlastRadiusLimits"/>).
    /// </summary>
    public long? MaxRemovals { get; set; }

    /// <summary>
    /// Refuse a run that would remove more than this fraction (0 to 1, at most 10 decimal places) of the devices decided. When
    /// neither limit is given, 5% applies; the SECMP0060 report's forecast of 1.2 million Communications Hubs was
    /// about 1% of the SMI.
    /// </summary>
    public decimal? MaxRemovalFraction { get; set; }

    /// <summary>The guard these options configure.</summary>
    public BlastRadiusLimits Limits => new(MaxRemovals, MaxRemovalFraction);
}
