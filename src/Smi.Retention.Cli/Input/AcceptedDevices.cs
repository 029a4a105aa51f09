using System.Collections;
using System.Globalization;
using Smi.Retention.Impact;
using Smi.Retention.Inventory;

namespace Smi.Retention.Cli.Input;

/// <summary>
/// The accepted devices of an inventory, in input order (parsed on every core, their records
/// gathered there), for commands that analyse rather than run: rejected rows (bad values, devices
/// listed more than once) are counted and the first 20 kept to show, never silently dropped.
/// </summary>
internal sealed class AcceptedDevices(InventoryReader reader, string source, DuplicateCheck duplicates, CancellationToken cancellation = default)
{
    private const int Shown = 20;
    private readonly List<string> _shown = [];

    public long Read { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>The accepted devices: an analysis that batches them (<see cref="IDeviceBatches"/>) takes them a chunk at a time.</summary>
    public IEnumerable<DeviceRecord> Stream() => new Devices(this);

    /// <summary>
    /// The accepted records of each chunk, in order, valid until the next is taken: a chunk with no
    /// reject in a first pass is taken whole (its ids collected at once); any other, row by row.
    /// </summary>
    private IEnumerable<(DeviceRecord[] Records, int Count)> Batches()
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
            if (chunk.Rejects == 0 && !duplicates.Rechecking)
            {
                duplicates.Collect(chunk.Records.AsSpan(0, chunk.Accepted));
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
                else if (Rejected++ < Shown)
                {
                    _shown.Add(string.Create(CultureInfo.InvariantCulture, $"Rejected line {row.Line} ({row.IdText ?? row.Record.Id.ToString()}): {problem}"));
                }
            }

            yield return (kept, count);
        }
    }

    /// <summary>Prints the first rejects, and how many more there were.</summary>
    public void ShowRejects(TextWriter error)
    {
        foreach (var line in _shown)
        {
            error.WriteLine(line);
        }

        if (Rejected > Shown)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... and {Rejected - Shown:N0} more rejected rows (see 'run --rejects')."));
        }
    }

    /// <summary>The devices, a device at a time or a batch at a time; each pass over them reads the inventory.</summary>
    private sealed class Devices(AcceptedDevices devices) : IDeviceBatches
    {
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
