using Smi.Retention.Evaluation;

namespace Smi.Retention.Hosting;

/// <summary>The outcome of a housekeeping run that the guard released.</summary>
/// <param name="Report">The counts, policy, dates and timings.</param>
/// <param name="Removals">The evidence for each removal, in inventory order: the devices to remove.</param>
public sealed record HousekeepingResult(HousekeepingReport Report, IReadOnlyList<RemovalEvidence> Removals);
