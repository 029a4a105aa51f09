using NodaTime;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary>A device as a report shows it: what the policy decides on.</summary>
/// <param name="Id">The EUI-64.</param>
/// <param name="Type">The device type.</param>
/// <param name="Status">The current SMI status.</param>
/// <param name="Since">The London date the status applies from.</param>
/// <param name="Prior">The statuses held before, in the vocabulary's order.</param>
/// <param name="Generation">The SMETS generation, or null when not recorded.</param>
/// <param name="Model">The device model, or null when not recorded.</param>
internal sealed record DeviceFacts(DeviceId Id, DeviceType Type, SmiStatus Status, LocalDate Since, IReadOnlyList<SmiStatus> Prior, SmetsGeneration? Generation, string? Model)
{
    /// <summary>The facts of <paramref name="device"/>.</summary>
    public static DeviceFacts Of(in DeviceRecord device)
    {
        var prior = device.PriorStatuses;
        return new(device.Id, device.Type, device.Status, device.StatusSince, [.. SmiStatuses.All.ToArray().Where(prior.Contains)], device.Generation == SmetsGeneration.Unknown ? null : device.Generation, device.Model);
    }
}
