using NodaTime;

namespace Smi.Retention.Impact;

/// <summary>What <see cref="SymbolicDiff.Compare"/> found: every class of devices whose action changes, as few regions.</summary>
/// <param name="Policy">The proposed policy's name.</param>
/// <param name="Against">The name of the policy it is compared with.</param>
/// <param name="Boundary">When a period counts as elapsed, for both.</param>
/// <param name="AsOf">The as-of date compared on; null for every date.</param>
/// <param name="Regions">The regions, ordered by the change, then status, months and types; empty when no device changes.</param>
public sealed record SymbolicDiffResult(string Policy, string Against, BoundaryMode Boundary, LocalDate? AsOf, IReadOnlyList<ChangeRegion> Regions)
{
    /// <summary>The region holding <paramref name="device"/> on <paramref name="asOf"/>, or null when its action does not change.</summary>
    /// <param name="device">The device.</param>
    /// <param name="asOf">The date of the decisions.</param>
    /// <returns>The region, or null.</returns>
    public ChangeRegion? RegionOf(in DeviceRecord device, LocalDate asOf)
    {
        foreach (var region in Regions)
        {
            if (region.Contains(device, asOf, Boundary))
            {
                return region;
            }
        }

        return null;
    }
}
