using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Inventory;

namespace Smi.Retention.Impact;

/// <summary>Which devices change action between two policies on one date, and how many of each type.</summary>
public static class PolicyDiff
{

    /// <summary>Decides every device under both policies and keeps those whose action differs.</summary>
    /// <param name="policy">The proposed policy.</param>
    /// <param name="against">The policy it is compared with (the one in force, say).</param>
    /// <param name="inventory">The devices, streamed.</param>
    /// <param name="asOf">The date of both decisions.</param>
    /// <returns>The changes and their totals.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InventoryFormatException">A device is listed more than once: its rows cannot all be right, so none is compared, and the diff is refused.</exception>
    public static DiffReport Compare(CompiledPolicy policy, CompiledPolicy against, IEnumerable<DeviceRecord> inventory, LocalDate asOf) =>
        Compare(policy, against, inventory, asOf, checkRepeats: true);

    /// <summary>As the public overload; <paramref name="checkRepeats"/> false when the caller's pass has rejected every row of a repeated device already.</summary>
    internal static DiffReport Compare(CompiledPolicy policy, CompiledPolicy against, IEnumerable<DeviceRecord> inventory, LocalDate asOf, bool checkRepeats)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(against);
        ArgumentNullException.ThrowIfNull(inventory);
        var proposed = policy.For(asOf);
        var current = against.For(asOf);
        var before = new RetentionDecision[InventoryBatches.Size];
        var after = new RetentionDecision[InventoryBatches.Size];
        var changes = new List<DeviceChange>();
        var read = InventoryBatches.ForEach(inventory, devices =>
        {
            current.Evaluate(devices, before);
            proposed.Evaluate(devices, after);
            for (var i = 0; i < devices.Length; i++)
            {
                if (before[i].Action != after[i].Action)
                {
                    changes.Add(new DeviceChange(devices[i], before[i], after[i]));
                }
            }
        }, checkRepeats);

        return new DiffReport(policy.Name, against.Name, asOf, read, changes);
    }
}

/// <summary>How a device's action changes from the compared policy to the proposed one.</summary>
public enum ChangeDirection
{
    /// <summary>Removed under the proposed policy, not under the one compared.</summary>
    NewlyRemoved,

    /// <summary>Removed under the one compared, kept under the proposed policy.</summary>
    NewlyRetained,

    /// <summary>Any other change (to or from Undetermined).</summary>
    Other,
}

/// <summary>One device whose action differs between two policies.</summary>
/// <param name="Device">The device.</param>
/// <param name="Against">Its decision under the policy compared with.</param>
/// <param name="Proposed">Its decision under the proposed policy.</param>
public sealed record DeviceChange(DeviceRecord Device, RetentionDecision Against, RetentionDecision Proposed)
{
    /// <summary>Newly removed, newly retained, or another change.</summary>
    public ChangeDirection Direction =>
        Proposed.IsRemoval && Against.Action == RetentionAction.Retain ? ChangeDirection.NewlyRemoved
        : Against.IsRemoval && Proposed.Action == RetentionAction.Retain ? ChangeDirection.NewlyRetained
        : ChangeDirection.Other;
}

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
