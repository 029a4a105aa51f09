using Smi.Retention.Evaluation;

namespace Smi.Retention.Hosting;

/// <summary>The outcome of a housekeeping run that the guard released.</summary>
/// <param name="Report">The counts, policy, dates and timings.</param>
/// <param name="Removals">The evidence for each removal, in inventory order: the devices to remove.</param>
public sealed record HousekeepingResult(HousekeepingReport Report, IReadOnlyList<RemovalEvidence> Removals)
{
    /// <summary>
    /// The alerts the removals send, grouped by the notifying Service User who must receive them
    /// (<see cref="RemovalAlerts.ByServiceUser"/>, as the tool's <c>run --alerts</c> groups them); the
    /// alerts of devices with no Service User recorded come last, under a null Service User.
    /// </summary>
    public IReadOnlyList<ServiceUserAlerts> AlertsByServiceUser { get; } = RemovalAlerts.ByServiceUser(Removals);
}
