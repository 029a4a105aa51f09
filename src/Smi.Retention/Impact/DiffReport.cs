using NodaTime;

namespace Smi.Retention.Impact;

/// <summary>The devices whose action changes between two policies on one date, with totals by type and direction.</summary>
public sealed class DiffReport
{
    internal DiffReport(string policy, string against, LocalDate asOf, long devicesRead, IReadOnlyList<DeviceChange> changes)
    {
        Policy = policy;
        Against = against;
        AsOf = asOf;
        DevicesRead = devicesRead;
        Changes = changes;
    }

    /// <summary>The proposed policy.</summary>
    public string Policy { get; }

    /// <summary>The policy compared with.</summary>
    public string Against { get; }

    /// <summary>The date of the decisions.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Devices compared.</summary>
    public long DevicesRead { get; }

    /// <summary>Every device whose action changes, in inventory order.</summary>
    public IReadOnlyList<DeviceChange> Changes { get; }

    /// <summary>Changes in one direction for one device type.</summary>
    /// <param name="direction">The direction.</param>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    public long Count(ChangeDirection direction, DeviceType type) => Changes.LongCount(c => c.Direction == direction && c.Device.Type == type);

    /// <summary>Changes in one direction.</summary>
    /// <param name="direction">The direction.</param>
    /// <returns>The count.</returns>
    public long Count(ChangeDirection direction) => Changes.LongCount(c => c.Direction == direction);
}
