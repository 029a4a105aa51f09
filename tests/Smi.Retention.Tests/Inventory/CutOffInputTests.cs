using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Inventory;

/// <summary>
/// An input cut off part-way (an export still being written, a stream that dropped) ends without a
/// line end. Its last row may have lost the end of its history or the time of its instant, so it is
/// a reject, never decided, on every path that reads lines: the block reader the tool and the
/// parallel pass use, and the line-by-line <see cref="InventoryReader.Read"/>. (The tool's run over
/// such a file: CutOffRunTests.)
/// </summary>
public sealed class CutOffInputTests
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";

    [Fact]
    public void Read_InstantCutToItsDate_Rejected()
    {
        using var reader = InventoryReader.FromStream(Utf8(Header + "\n88-73-84-57-00-00-00-01,ESME,Pending,2018-06-30"), "cut");

        Assert.True(reader.Read(out var row));
        Assert.False(row.IsAccepted);
        Assert.Equal(2, row.Line);
        Assert.Equal("88-73-84-57-00-00-00-01", row.IdText);
        Assert.StartsWith("the last line has no line end", row.Error, StringComparison.Ordinal);
        Assert.False(reader.Read(out _));
    }

    [Fact]
    public void Read_BadLastLineCutOff_BothProblemsSaid()
    {
        using var reader = InventoryReader.FromStream(Utf8(Header + "\n88-73-84-57-00-00-00-01,ESME,Pend"), "cut");

        Assert.True(reader.Read(out var row));
        Assert.Contains("may be cut off", row.Error, StringComparison.Ordinal);
        Assert.Contains("status", row.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HeaderWithoutLineEnd_RefusedSayingTheInputMayBeCutOff()
    {
        var error = Assert.Throws<InventoryFormatException>(() => InventoryReader.FromStream(Utf8(Header), "cut"));

        Assert.Contains("the header is the whole input and has no line end", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryLineEnded_NothingRejected()
    {
        using var reader = InventoryReader.FromStream(Utf8(Header + "\r\n88-73-84-57-00-00-00-01,ESME,Pending,2018-06-30,\r\n"), "whole");

        Assert.True(reader.Read(out var row));
        Assert.True(row.IsAccepted, row.Error);
        Assert.False(reader.Read(out _));
    }

    /// <summary>
    /// Any inventory cut at any byte after its header's line end: every complete line is read as it
    /// was, and a part-line left at the end is a reject, by both readers alike.
    /// </summary>
    [Property(MaxTest = 200)]
    public Property AnyCut_PartLineRejected_WholeLinesAsBefore() =>
        Prop.ForAll(
            Gen.Choose(1, 40).SelectMany(rows => Gen.Choose(0, 1000).Select(cut => (rows, cut))).ToArbitrary(),
            pair =>
            {
                var lines = Enumerable.Range(1, pair.rows).Select(i => FormattableString.Invariant($"88-73-84-57-00-00-00-{i:X2},ESME,Pending,2015-01-01T10:00:00Z,Commissioned;Decommissioned")).ToArray();
                var whole = Header + "\n" + string.Join("\n", lines) + "\n";
                var cut = Header.Length + 1 + (pair.cut % (whole.Length - Header.Length));
                var text = whole[..cut];
                var complete = text.Count(c => c == '\n') - 1;
                var partial = !text.EndsWith('\n');

                var lineByLine = Readings.LineByLine(Encoding.UTF8.GetBytes(text));
                var byBlocks = Readings.InBlocks(Encoding.UTF8.GetBytes(text));

                var expected = complete + (partial ? 1 : 0);
                return (lineByLine.Count == expected
                        && byBlocks.SequenceEqual(lineByLine)
                        && lineByLine.Take(complete).All(r => r.IsAccepted)
                        && (!partial || (!lineByLine[^1].IsAccepted && lineByLine[^1].Error!.Contains("may be cut off", StringComparison.Ordinal))))
                    .Label(FormattableString.Invariant($"cut at {cut} of {whole.Length}"));
            });

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
