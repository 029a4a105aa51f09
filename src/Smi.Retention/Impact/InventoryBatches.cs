using Smi.Retention.Inventory;

namespace Smi.Retention.Impact;

/// <summary>Work on a batch of devices held in a reused buffer.</summary>
/// <param name="devices">The batch, valid only during the call.</param>
internal delegate void BatchAction(ReadOnlySpan<DeviceRecord> devices);

/// <summary>
/// Streams an inventory in fixed-size batches through one reused buffer, so batch evaluation applies
/// and memory stays flat. An analysis over records handed over follows the duplicate rule of every
/// pass: a device listed more than once cannot be counted, so when <c>checkRepeats</c> finds one
/// (memory bounded, as the tool's check is) the analysis is refused; the tool, the workbench and
/// <see cref="Inventory.DuplicateCheck"/>'s callers have rejected such rows already.
/// </summary>
internal static class InventoryBatches
{
    public const int Size = 4096;

    /// <exception cref="InventoryFormatException"><paramref name="checkRepeats"/>, and a device is listed more than once.</exception>
    public static long ForEach(IEnumerable<DeviceRecord> inventory, BatchAction action, bool checkRepeats)
    {
        var buffer = new DeviceRecord[Size];
        var count = 0;
        long read = 0;
        using var seen = checkRepeats ? new SeenDeviceIds(0) : null;
        foreach (var device in inventory)
        {
            if (seen is not null && device.IsInitialized)
            {
                seen.Add(device.Id);
            }

            buffer[count++] = device;
            if (count == Size)
            {
                action(buffer);
                read += count;
                count = 0;
            }
        }

        action(buffer.AsSpan(0, count));
        if (seen?.Repeated(CancellationToken.None) is { Count: > 0 } repeated)
        {
            throw new InventoryFormatException(Messages.AnalysisRepeated(repeated.Count, repeated.ToArray().Take(3)));
        }

        return read + count;
    }
}
