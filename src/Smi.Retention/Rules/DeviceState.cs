namespace Smi.Retention.Rules;

/// <summary>
/// What a rule observes of a device apart from dates: its type, its current status and the
/// statuses it held before. Dates enter only through a member's period, as whether it has elapsed.
/// </summary>
/// <param name="Type">The device type.</param>
/// <param name="Status">The current SMI status.</param>
/// <param name="Prior">The statuses held before the current status run.</param>
internal readonly record struct DeviceState(DeviceType Type, SmiStatus Status, SmiStatusSet Prior)
{
    /// <summary>The state of a device record.</summary>
    public static DeviceState Of(in DeviceRecord device) => new(device.Type, device.Status, device.PriorStatuses);
}
