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
        long read = 0;
        using var seen = checkRepeats && inventory is not IDeviceBatches { ListsEachDeviceOnce: true } ? new SeenDeviceIds(0) : null;
        void Take(ReadOnlySpan<DeviceRecord> devices)
        {
            for (var start = 0; start < devices.Length; start += Size)
            {
                var batch = devices.Slice(start, Math.Min(Size, devices.Length - start));
                if (seen is not null)
                {
                    foreach (ref readonly var device in batch)
                    {
                        if (device.IsInitialized)
                        {
                            seen.Add(device.Id);
                        }
                    }
                }

                action(batch);
                read += batch.Length;
            }
        }

        if (inventory is IDeviceBatches batched)
        {
            // Devices parsed in chunks: taken a chunk at a time, without a call per device.
            batched.ForEachBatch(Take);
        }
        else
        {
            var buffer = new DeviceRecord[Size];
            var count = 0;
            foreach (var device in inventory)
            {
                buffer[count++] = device;
                if (count == Size)
                {
                    Take(buffer);
                    count = 0;
                }
            }

            Take(buffer.AsSpan(0, count));
        }

        if (seen?.Repeated(CancellationToken.None) is { Count: > 0 } repeated)
        {
            throw new InventoryFormatException(Messages.AnalysisRepeated(repeated.Count, repeated.ToArray().Take(3)));
        }

        return read;
    }
}

/// <summary>
/// Devices that arrive in batches already (an inventory parsed in chunks on every core): an
/// analysis takes them a batch at a time, in order, rather than a device at a time through
/// <see cref="IEnumerable{T}"/>.
/// </summary>
internal interface IDeviceBatches : IEnumerable<DeviceRecord>
{
    /// <summary>Runs <paramref name="action"/> on every batch, in order; each batch is valid only during the call.</summary>
    /// <param name="action">The work on a batch (of any length).</param>
    void ForEachBatch(BatchAction action);

    /// <summary>Whether no device is among them twice, as the duplicate rule has already made sure (a reading that rejects every row of a repeated device): a check for repeats would find none.</summary>
    bool ListsEachDeviceOnce { get; }
}
