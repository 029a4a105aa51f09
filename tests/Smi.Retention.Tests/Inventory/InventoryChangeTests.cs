using System.Text;

namespace Smi.Retention.Tests.Inventory;

/// <summary>
/// A file must not change while it is read: the reader and the parallel pass refuse, at the end of
/// the reading, a file appended to or rewritten in place (its size kept and its time put back), with
/// <see cref="InventoryChangedException"/>. Each change is made at a fixed point, not by timing.
/// </summary>
public sealed class InventoryChangeTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private const string Repeated = "88-73-84-57-00-00-00-01,ESME,Pending,2010-01-01,";
    private const string Other = "88-73-84-57-00-00-00-02,ESME,Pending,2010-01-01,";
    private readonly string _folder = Directory.CreateTempSubdirectory("smi-change-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Rows(params string[] rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    private string Write(string content)
    {
        var path = Path.Combine(_folder, "inventory.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Read_FileAppendedToWhileRead_RefusedAtTheEnd()
    {
        var inventory = Write(Rows(Other));
        using var reader = InventoryReader.Open(inventory);
        Assert.True(reader.Read(out _));
        File.AppendAllText(inventory, Repeated + "\n");

        var error = Assert.Throws<InventoryChangedException>(() =>
        {
            while (reader.Read(out _))
            {
            }
        });
        Assert.Contains("changed while it was read", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing was written", error.Message, StringComparison.Ordinal); // a reader's message: it wrote nothing, and knows of no output
    }

    /// <summary>The second review's case: a row rewritten in place during the reading, its size kept and its modification time put back.</summary>
    [Fact]
    public void Read_FileRewrittenInPlaceWithItsTimePutBack_RefusedAtTheEnd()
    {
        var inventory = Write(Rows(Other, Repeated.Replace("01,", "09,", StringComparison.Ordinal)));
        var modified = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc); // a time put back exactly
        File.SetLastWriteTimeUtc(inventory, modified);
        using var reader = InventoryReader.Open(inventory);
        Assert.True(reader.Read(out _));
        Thread.Sleep(50); // the kernel stamps times at its tick (a few ms): the edit comes a tick later, as any real one does
        var bytes = File.ReadAllBytes(inventory);
        var at = Encoding.ASCII.GetString(bytes).LastIndexOf("2010", StringComparison.Ordinal);
        bytes[at + 3] = (byte)'1';
        using (var file = new FileStream(inventory, FileMode.Open, FileAccess.Write))
        {
            file.Write(bytes);
        }

        File.SetLastWriteTimeUtc(inventory, modified);

        var error = Assert.Throws<InventoryChangedException>(() =>
        {
            while (reader.Read(out _))
            {
            }
        });
        Assert.Contains("it was modified while it was read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParallelPass_FileAppendedToWhileRead_RefusedAfterTheLastChunk()
    {
        var inventory = Write(Rows(Other));
        using var reader = InventoryReader.Open(inventory);
        var chunks = ParsedChunks.Read(reader, inventory, () => new ParsedChunk(), null, default);

        var error = Assert.Throws<InventoryChangedException>(() =>
        {
            foreach (var chunk in chunks)
            {
                File.AppendAllText(inventory, Repeated + "\n");
            }
        });
        Assert.Contains("its length changed", error.Message, StringComparison.Ordinal);
    }

    // Where the file system keeps no status-change time, or the handle's facts agree for another
    // reason, the hash of the bytes read is the last word: the handle's check at the open passes,
    // the end's comparison refuses.
    [Fact]
    public void Snapshots_AlikeButForTheirBytes_RefusedWhenTheSecondReadingEnds()
    {
        var facts = new Smi.Retention.Files.FileFacts(Smi.Retention.Files.FileKind.Regular, "8:1:42", 100, Modified: 5, Changed: 5);
        var first = new InventorySnapshot("inventory.csv", facts, facts, BytesRead: 100, Hash: 1);
        var second = first with { Hash = 2 };

        Assert.Null(first.DifferenceAtOpen(second));
        Assert.Equal("its bytes differ from those of the first reading", first.DifferenceFrom(second));
        Assert.Null(first.DifferenceFrom(first with { }));
    }
}
