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
    public static DiffReport Compare(CompiledPolicy policy, CompiledPolicy against, IEnumerable<DeviceRecord> inventory, LocalDate asOf)
    {
        var changes = new List<DeviceChange>();
        return Compare(policy, against, inventory, asOf, checkRepeats: true, changes.Add, changes);
    }

    /// <summary>
    /// Decides every device under both policies and hands each whose action differs to <paramref name="onChange"/>
    /// as it is found, in inventory order, keeping none: memory stays the same however many devices change.
    /// </summary>
    /// <param name="policy">The proposed policy.</param>
    /// <param name="against">The policy it is compared with (the one in force, say).</param>
    /// <param name="inventory">The devices, streamed.</param>
    /// <param name="asOf">The date of both decisions.</param>
    /// <param name="onChange">Called once for each change. A device listed more than once is found only after the pass: treat what was handed over as provisional until this method returns.</param>
    /// <returns>The totals; its <see cref="DiffReport.Changes"/> throws, as they were not kept.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InventoryFormatException">A device is listed more than once: its rows cannot all be right, so the diff is refused.</exception>
    public static DiffReport Compare(CompiledPolicy policy, CompiledPolicy against, IEnumerable<DeviceRecord> inventory, LocalDate asOf, Action<DeviceChange> onChange) =>
        Compare(policy, against, inventory, asOf, checkRepeats: true, onChange, kept: null);

    /// <summary>The one pass of both overloads; <paramref name="checkRepeats"/> false when the caller's pass has rejected every row of a repeated device already.</summary>
    internal static DiffReport Compare(
        CompiledPolicy policy, CompiledPolicy against, IEnumerable<DeviceRecord> inventory, LocalDate asOf, bool checkRepeats, Action<DeviceChange> onChange, IReadOnlyList<DeviceChange>? kept)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(against);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(onChange);
        var proposed = policy.For(asOf);
        var current = against.For(asOf);
        var before = new RetentionDecision[InventoryBatches.Size];
        var after = new RetentionDecision[InventoryBatches.Size];
        var counts = new ChangeCounts();
        var read = InventoryBatches.ForEach(inventory, devices =>
        {
            current.Evaluate(devices, before);
            proposed.Evaluate(devices, after);
            for (var i = 0; i < devices.Length; i++)
            {
                if (before[i].Action != after[i].Action)
                {
                    var change = new DeviceChange(devices[i], before[i], after[i]);
                    counts.Add(change.Direction, devices[i].Type);
                    onChange(change);
                }
            }
        }, checkRepeats);

        return new DiffReport(policy.Name, against.Name, asOf, read, kept, counts);
    }
}
