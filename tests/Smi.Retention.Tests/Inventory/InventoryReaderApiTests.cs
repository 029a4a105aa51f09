using System.IO.Compression;
using System.Text;
using NodaTime;

namespace Smi.Retention.Tests.Inventory;

/// <summary>
/// The inventory reader as a service or an auditor uses it from the library: records and rejects
/// with their line numbers, exactly as the tool reads them; gzip read transparently; a header that
/// cannot be read is an <see cref="InventoryFormatException"/>.
/// </summary>
public sealed class InventoryReaderApiTests
{
    private const string Csv =
        "device_id,device_type,status,status_since,prior_statuses\n" +
        "88-73-84-57-00-2F-96-1E,ESME,Pending,2018-01-01,\n" +
        "not-an-id,ESME,Pending,2018-01-01,\n" +
        "\n" +
        "88-73-84-57-00-2F-96-1F,IHD,Pending,2018-01-01,\n" +
        "88-73-84-57-00-2F-96-20,GSME,Commissioned,2030-01-01,\n" +
        "88-73-84-57-00-2F-96-21,CHF,Pending,2017-06-01,Commissioned;Decommissioned\n";

    private static List<InventoryRow> ReadAll(InventoryReader reader)
    {
        var rows = new List<InventoryRow>();
        while (reader.Read(out var row))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public void FromStream_EveryLineARecordOrARejectWithItsLine()
    {
        using var reader = InventoryReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), "export.csv", new LocalDate(2019, 11, 7));

        var rows = ReadAll(reader);

        Assert.Equal([2, 3, 4, 5, 6, 7], rows.Select(r => r.Line));
        Assert.Equal([true, false, false, false, false, true], rows.Select(r => r.IsAccepted));
        Assert.Equal("not-an-id", rows[1].IdText);
        Assert.All(rows.Where(r => !r.IsAccepted), r => Assert.False(string.IsNullOrWhiteSpace(r.Error)));
        Assert.Equal(SmiStatusSet.Of(SmiStatus.Commissioned, SmiStatus.Decommissioned), rows[5].Record.PriorStatuses);
    }

    [Fact]
    public void Gzipped_TheSameRows()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Csv));
        }

        compressed.Position = 0;
        using var plain = InventoryReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), "a", new LocalDate(2019, 11, 7));
        using var zipped = InventoryReader.FromStream(compressed, "a.gz", new LocalDate(2019, 11, 7));

        Assert.Equal(ReadAll(plain), ReadAll(zipped));
    }

    [Theory]
    [InlineData("")]
    [InlineData("device_id,device_type\n88-73-84-57-00-2F-96-1E,ESME\n")]
    public void BadHeader_InventoryFormatExceptionSayingWhat(string csv)
    {
        var error = Assert.Throws<InventoryFormatException>(() => InventoryReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "export.csv"));

        Assert.StartsWith("export.csv ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AFolder_InventoryFormatException()
    {
        var folder = Directory.CreateTempSubdirectory("smi-reader-");
        try
        {
            Assert.Throws<InventoryFormatException>(() => InventoryReader.Open(folder.FullName));
        }
        finally
        {
            folder.Delete();
        }
    }

    [Fact]
    public void FromStream_UnreadableStream_ArgumentException()
    {
        var disposed = new MemoryStream();
        disposed.Dispose();

        Assert.Throws<ArgumentException>(() => InventoryReader.FromStream(disposed, "gone"));
        using var writeOnly = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        Assert.Throws<ArgumentException>(() => InventoryReader.FromStream(writeOnly, "write-only"));
    }

    // Who owns the stream does not change when the header is refused.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromStream_HeaderRefused_StreamDisposedUnlessLeftOpen(bool leaveOpen)
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("a,b\n"));

        Assert.Throws<InventoryFormatException>(() => InventoryReader.FromStream(stream, "s", leaveOpen: leaveOpen));

        Assert.Equal(leaveOpen, stream.CanRead);
    }

    [Fact]
    public void Read_AfterDispose_ObjectDisposed()
    {
        var reader = InventoryReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), "export.csv");
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.Read(out _));
    }

    // A pipe whose writing end this process holds never ends: reading it waited for ever (standard
    // input closed at start, `<&-`, gives the runtime's own pipe as descriptor 0). Refused at once.
    [Fact]
    public async Task Open_PipeThisProcessWritesTo_RefusedNotWaitedOn()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);
        var reading = "/proc/self/fd/" + pipe.SafePipeHandle.DangerousGetHandle().ToString();

        var opening = Task.Run(() => InventoryReader.Open(reading, new LocalDate(2019, 11, 7)));
        var refused = await Assert.ThrowsAsync<InventoryFormatException>(() => opening.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("can never end: it is a pipe whose writing end this process holds too", refused.Message, StringComparison.Ordinal);
        Assert.True(Smi.Retention.Files.PipeEnds.WrittenHere((int)pipe.SafePipeHandle.DangerousGetHandle()));
        pipe.DisposeLocalCopyOfClientHandle();
        Assert.False(Smi.Retention.Files.PipeEnds.WrittenHere((int)pipe.SafePipeHandle.DangerousGetHandle()));
    }

    [Fact]
    public void Open_EmptyPath_SaysSoWithoutTheToolsOption()
    {
        var refused = Assert.Throws<InventoryFormatException>(() => InventoryReader.Open(""));
        Assert.Equal("The inventory's path is empty; give the inventory CSV file, or - for standard input.", refused.Message);
    }

    // A named pipe this process holds open for writing too (3<>fifo) can never end either: it was
    // waited on for ever (found by a review: only an anonymous pipe's link was recognised).
    [Fact]
    public async Task Open_NamedPipeThisProcessHoldsForWriting_RefusedNotWaitedOn()
    {
        var folder = Directory.CreateTempSubdirectory("smi-fifo-");
        try
        {
            var fifo = Path.Combine(folder.FullName, "inventory.csv");
            Fifo.Make(fifo);
            using var held = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);

            var opening = Task.Run(() => InventoryReader.Open(fifo, new LocalDate(2019, 11, 7)));
            var refused = await Assert.ThrowsAsync<InventoryFormatException>(() => opening.WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.Equal($"{fifo} can never end: it is a pipe whose writing end this process holds too (so it is when standard input was closed as the process started, or when a pipe's writing end was passed to the process), so reading it would wait for ever. Give the inventory as a file, or as a pipe that another process writes and closes.", refused.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
