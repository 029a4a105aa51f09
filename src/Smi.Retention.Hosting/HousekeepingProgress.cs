namespace Smi.Retention.Hosting;

/// <summary>How far a housekeeping run has got.</summary>
/// <param name="DevicesRead">Devices read so far.</param>
/// <param name="Removals">Removals decided so far (not yet released).</param>
public readonly record struct HousekeepingProgress(long DevicesRead, long Removals);
