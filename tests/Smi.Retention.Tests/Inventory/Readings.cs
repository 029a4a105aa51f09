using System.Text;

namespace Smi.Retention.Tests.Inventory;

/// <summary>An inventory's rows read both ways the library reads them, for tests that hold the two alike.</summary>
internal static class Readings
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";

    /// <summary>Every row, read line by line with <see cref="InventoryReader.Read"/>.</summary>
    public static List<InventoryRow> LineByLine(byte[] file)
    {
        using var reader = InventoryReader.FromStream(new MemoryStream(file), "file");
        var rows = new List<InventoryRow>();
        while (reader.Read(out var row))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Every row, read in blocks as the parallel pass does, each block checked to follow the one before and the last to end the file.</summary>
    /// <param name="file">The file's bytes.</param>
    /// <param name="stream">The stream it is read from: a memory stream unless given (one that returns short reads, say).</param>
    public static List<InventoryRow> InBlocks(byte[] file, Stream? stream = null)
    {
        using var reader = InventoryReader.FromStream(stream ?? new MemoryStream(file), "file");
        var parser = reader.NewParser();
        var blocks = reader.Blocks();
        var block = new LineBlock();
        var parsed = new InventoryRow[16];
        var rows = new List<InventoryRow>();
        var position = (long)Encoding.UTF8.GetByteCount(Header + "\n");
        while (blocks.Next(block))
        {
            var count = block.Parse(parser, ref parsed);
            Assert.Equal(block.Lines, count);
            Assert.Equal(rows.Count + 2, block.FirstLine);
            Assert.True(block.Position > position);
            position = block.Position;
            rows.AddRange(parsed.Take(count));
        }

        Assert.Equal(file.Length, position);
        return rows;
    }
}
