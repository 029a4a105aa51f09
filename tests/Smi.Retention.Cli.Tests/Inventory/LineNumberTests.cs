using System.Text;

namespace Smi.Retention.Tests.Inventory;

/// <summary>
/// Line numbers are 64-bit: a gzip of a few megabytes can hold more than 2^31 lines, and a line
/// number that wraps to a negative one would name no line of the input.
/// </summary>
public sealed class LineNumberTests
{
    [Fact]
    public void Parse_BlockPastTwoToTheThirtyOneLines_NumbersKeepCounting()
    {
        using var reader = InventoryReader.FromStream(new MemoryStream(Encoding.UTF8.GetBytes("device_id,device_type,status,status_since,prior_statuses\n")), "lines");
        var block = new LineBlock { FirstLine = int.MaxValue };
        var bytes = "88-73-84-57-00-00-00-01,ESME,Pending,2015-01-01,\n\n"u8;
        bytes.CopyTo(block.Bytes);
        block.Length = bytes.Length;
        block.Lines = 2;
        var rows = new InventoryRow[2];

        Assert.Equal(2, block.Parse(reader.NewParser(), ref rows));

        Assert.Equal((long)int.MaxValue, rows[0].Line);
        Assert.Equal(int.MaxValue + 1L, rows[1].Line);
        Assert.False(rows[1].IsAccepted);
    }

    [Fact]
    public void RejectsFile_LineBeyondThirtyTwoBits_WrittenWhole()
    {
        var csv = new Smi.Retention.Cli.Output.CsvOutput();
        csv.Field(5_000_000_000L);
        csv.EndRow();

        Assert.Equal("5000000000\n", Encoding.ASCII.GetString(csv.Written(0, csv.Length)));
    }
}
