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
