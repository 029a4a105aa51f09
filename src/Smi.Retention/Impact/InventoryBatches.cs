namespace Smi.Retention.Impact;

/// <summary>Work on a batch of devices held in a reused buffer.</summary>
/// <param name="devices">The batch, valid only during the call.</param>
internal delegate void BatchAction(ReadOnlySpan<DeviceRecord> devices);

/// <summary>Streams an inventory in fixed-size batches through one reused buffer, so batch evaluation applies and memory stays flat.</summary>
internal static class InventoryBatches
{
    public const int Size = 4096;

    public static long ForEach(IEnumerable<DeviceRecord> inventory, BatchAction action)
    {
        var buffer = new DeviceRecord[Size];
        var count = 0;
        long read = 0;
        foreach (var device in inventory)
        {
            buffer[count++] = device;
            if (count == Size)
            {
                action(buffer);
                read += count;
                count = 0;
            }
        }

        action(buffer.AsSpan(0, count));
        return read + count;
    }
}
