using System.Collections;
using Smi.Retention.Impact;

namespace Smi.Retention.Inventory;

/// <summary>
/// The accepted devices of one reading of an inventory, in input order (parsed on every core, their
/// records gathered there), for an analysis rather than a run (<see cref="InventoryAnalysis"/>):
/// a rejected row, and every row of a device a second reading finds listed more than once, is
/// counted and the first <see cref="InventoryAnalysis.RejectsKept"/> kept, never silently dropped.
/// The devices can be enumerated once, to the end: the duplicate rule needs every row.
/// </summary>
internal sealed class AcceptedDevices(InventoryReader reader, string source, DuplicateCheck duplicates, CancellationToken cancellation = default)
{
    private readonly List<InventoryRow> _firstRejected = [];
    private readonly bool _secondReading = duplicates.Rechecking; // every row of a repeated device is rejected in it
    private int _taken;

    /// <summary>Rows read.</summary>
    public long Read { get; private set; }

    /// <summary>Rows rejected: invalid ones, and in a second reading every row of a device listed more than once.</summary>
    public long Rejected { get; private set; }

    /// <summary>The first rejected rows, each with why (<see cref="InventoryRow.Error"/>), in input order.</summary>
    public IReadOnlyList<InventoryRow> FirstRejected => _firstRejected;

    /// <summary>Whether the devices were enumerated to the last.</summary>
    public bool Complete { get; private set; }

    /// <summary>The accepted devices: an analysis that batches them (<see cref="IDeviceBatches"/>) takes them a chunk at a time.</summary>
    public IEnumerable<DeviceRecord> Stream() => new Devices(this);

    /// <summary>Reads every row for the duplicate rule alone, handing no device to any analysis (a first reading's only work when the analysis may see only devices that may be counted).</summary>
    public void FindRepeats()
    {
        foreach (var _ in Batches())
        {
        }
    }

    /// <summary>
    /// The accepted records of each chunk, in order, valid until the next is taken: a chunk with no
    /// reject is taken whole in a first pass (its ids collected at once) and in a second that
    /// excludes no device; any other, row by row.
    /// </summary>
    /// <exception cref="InvalidOperationException">The devices were enumerated before: the reading is over.</exception>
    private IEnumerable<(DeviceRecord[] Records, int Count)> Batches()
    {
        if (Interlocked.Exchange(ref _taken, 1) != 0)
        {
            throw new InvalidOperationException(Messages.DevicesEnumeratedTwice());
        }

        return Reading();

        IEnumerable<(DeviceRecord[] Records, int Count)> Reading()
        {
            var first = true;
            DeviceRecord[]? kept = null;
            foreach (var chunk in ParsedChunks.Read(reader, source, () => new AcceptedChunk(), chunk => chunk.Accept(), cancellation))
            {
                if (first)
                {
                    duplicates.Expect(chunk, reader.Length);
                    first = false;
                }

                Read += chunk.Count;
                if (chunk.Rejects == 0 && (!duplicates.Rechecking || duplicates.ExcludesNone))
                {
                    if (!duplicates.Rechecking)
                    {
                        duplicates.Collect(chunk.Records.AsSpan(0, chunk.Accepted));
                    }

                    yield return (chunk.Records, chunk.Accepted);
                    continue;
                }

                if (kept is null || kept.Length < chunk.Count)
                {
                    kept = new DeviceRecord[chunk.Rows.Length];
                }

                var count = 0;
                for (var i = 0; i < chunk.Count; i++)
                {
                    ref readonly var row = ref chunk.Rows[i];
                    var problem = duplicates.Problem(row);
                    if (problem is null)
                    {
                        kept[count++] = row.Record;
                    }
                    else if (Rejected++ < InventoryAnalysis.RejectsKept)
                    {
                        _firstRejected.Add(row.IsAccepted ? new InventoryRow(row.Line, default, row.Record.Id.ToString(), problem) { Names = [row.Record.Id] } : row);
                    }
                }

                yield return (kept, count);
            }

            Complete = true;
        }
    }

    /// <summary>The devices, a device at a time or a batch at a time, once.</summary>
    private sealed class Devices(AcceptedDevices devices) : IDeviceBatches
    {
        public bool ListsEachDeviceOnce => devices._secondReading;

        public void ForEachBatch(BatchAction action)
        {
            foreach (var (records, count) in devices.Batches())
            {
                action(records.AsSpan(0, count));
            }
        }

        public IEnumerator<DeviceRecord> GetEnumerator()
        {
            foreach (var (records, count) in devices.Batches())
            {
                for (var i = 0; i < count; i++)
                {
                    yield return records[i];
                }
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
