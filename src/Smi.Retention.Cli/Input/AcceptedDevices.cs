using System.Globalization;
using Smi.Retention.Inventory;

namespace Smi.Retention.Cli.Input;

/// <summary>
/// The accepted devices of an inventory, streamed in input order (parsed on every core), for
/// commands that analyse rather than run: rejected rows (bad values, devices listed more than
/// once) are counted and the first 20 kept to show, never silently dropped.
/// </summary>
internal sealed class AcceptedDevices(InventoryReader reader, string source, DuplicateCheck duplicates, CancellationToken cancellation = default)
{
    private const int Shown = 20;
    private readonly List<string> _shown = [];

    public long Read { get; private set; }

    public long Rejected { get; private set; }

    public IEnumerable<DeviceRecord> Stream()
    {
        var first = true;
        foreach (var chunk in ParsedChunks.Read(reader, source, () => new ParsedChunk(), null, cancellation))
        {
            if (first)
            {
                duplicates.Expect(chunk, reader.Length);
                first = false;
            }

            for (var i = 0; i < chunk.Count; i++)
            {
                var row = chunk.Rows[i];
                Read++;
                var problem = duplicates.Problem(row);
                if (problem is null)
                {
                    yield return row.Record;
                }
                else if (Rejected++ < Shown)
                {
                    _shown.Add(string.Create(CultureInfo.InvariantCulture, $"Rejected line {row.Line} ({row.IdText ?? row.Record.Id.ToString()}): {problem}"));
                }
            }
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
}
