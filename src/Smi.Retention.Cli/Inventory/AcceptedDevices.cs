using System.Globalization;
using Smi.Retention.Inventory;

namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// The accepted devices of an inventory, streamed, for commands that analyse rather than run:
/// rejected rows (bad values, devices listed more than once) are counted and the first 20 kept to
/// show, never silently dropped.
/// </summary>
internal sealed class AcceptedDevices(InventoryReader reader, DuplicateCheck duplicates, CancellationToken cancellation = default)
{
    private const int Shown = 20;
    private readonly List<string> _shown = [];

    public long Read { get; private set; }

    public long Rejected { get; private set; }

    public IEnumerable<DeviceRecord> Stream()
    {
        while (reader.Read(out var row))
        {
            if ((++Read & 0xFFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            var problem = duplicates.Problem(row);
            if (problem is null)
            {
                yield return row.Record;
                continue;
            }

            if (Rejected++ < Shown)
            {
                _shown.Add(string.Create(CultureInfo.InvariantCulture, $"Rejected line {row.Line} ({row.IdText ?? row.Record.Id.ToString()}): {problem}"));
            }
        }

        cancellation.ThrowIfCancellationRequested();
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
}
