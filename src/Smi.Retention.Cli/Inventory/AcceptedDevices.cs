using System.Globalization;

namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// The accepted devices of an inventory, streamed, for commands that analyse rather than run:
/// rejected and repeated rows are counted and the first 20 shown, never silently dropped.
/// </summary>
internal sealed class AcceptedDevices(InventoryReader reader, TextWriter error, CancellationToken cancellation = default)
{
    private const int Shown = 20;

    public long Read { get; private set; }

    public long Rejected { get; private set; }

    public IEnumerable<DeviceRecord> Stream()
    {
        var seen = new DeviceIdSet();
        while (reader.Read(out var row))
        {
            if ((++Read & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            var problem = row.Error ?? (seen.Add(row.Record.Id) ? null : CliMessages.Duplicate(row.Record.Id));
            if (problem is null)
            {
                yield return row.Record;
                continue;
            }

            if (Rejected++ < Shown)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rejected line {row.Line} ({row.IdText ?? row.Record.Id.ToString()}): {problem}"));
            }
        }

        cancellation.ThrowIfCancellationRequested();
        if (Rejected > Shown)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... and {Rejected - Shown:N0} more rejected rows (see 'run --rejects')."));
        }
    }
}
