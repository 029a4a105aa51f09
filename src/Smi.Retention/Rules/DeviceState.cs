namespace Smi.Retention.Rules;

/// <summary>
/// What a rule observes of a device apart from dates: its type, its current status, the statuses
/// it held before, its SMETS generation and its model. Dates enter only through a member's period,
/// as whether it has elapsed.
/// </summary>
/// <param name="Type">The device type.</param>
/// <param name="Status">The current SMI status.</param>
/// <param name="Prior">The statuses held before the current status run.</param>
/// <param name="Generation">The SMETS generation; <see cref="SmetsGeneration.Unknown"/> when the record lacks it.</param>
/// <param name="Model">The device model; null when the record lacks it.</param>
internal readonly record struct DeviceState(DeviceType Type, SmiStatus Status, SmiStatusSet Prior, SmetsGeneration Generation = SmetsGeneration.Unknown, string? Model = null)
{
    /// <summary>The state of a device record.</summary>
    public static DeviceState Of(in DeviceRecord device) => new(device.Type, device.Status, device.PriorStatuses, device.Generation, device.Model);

    /// <summary>The facts among <paramref name="reads"/> that this state lacks: a member that reads them cannot be asked of it.</summary>
    public DeviceFactKinds Lacks(DeviceFactKinds reads) =>
        reads & ((Generation == SmetsGeneration.Unknown ? DeviceFactKinds.Generation : 0) | (Model is null ? DeviceFactKinds.Model : 0));
}
