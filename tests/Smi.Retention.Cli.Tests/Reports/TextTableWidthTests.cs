using System.Text.RegularExpressions;
using NodaTime;
using Smi.Retention.Cli.Reports.Models;

namespace Smi.Retention.Tests.Reports;

/// <summary>
/// A text table keeps its figures apart however large: 1,226,797 displays in an 8-wide column ran
/// into the next figure ("2551,226,7971,372,319", a review). Each table is given figures of up to
/// ten digits, and every row must still split into its label and as many figures as the header has
/// columns, each figure ending where its column's header ends.
/// </summary>
public sealed partial class TextTableWidthTests
{
    private static readonly string[] Types = [.. DeviceTypes.All.ToArray().Select(t => t.ToString())];

    public static TheoryData<long> Sizes() => [7, 1_226_797, 9_876_543_210];

    private static Dictionary<string, long> ByType(long size) => Types.Select((t, i) => (t, size + i)).ToDictionary(p => p.t, p => p.Item2);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Forecast_FiguresApartAndUnderTheirHeaders(long size)
    {
        var table = new ForecastTable(
            new PolicyRef("p", new string('a', 64)), new LocalDate(2019, 11, 7), BoundaryMode.OnCorrespondingDate, new ForecastTable.RowCounts(size, size, 0),
            size, ByType(size), null, null, size, size, ByType(size), size, ByType(size), null,
            [new ForecastTable.Month(new LocalDate(2019, 11, 7), size * 8, ByType(size), null)]);

        var lines = Write(table.WriteText);

        AssertAligned(lines, "  month from", ["  now", "  2019-11-07", "  later", "  undetermined"], Types.Length + 1);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Stock_FiguresApartAndUnderTheirHeaders(long size)
    {
        var stockTypes = Types.Where(t => Enum.Parse<DeviceType>(t).HasSmiStatus()).ToArray();
        var byType = stockTypes.ToDictionary(t => t, _ => size);
        var table = new StockTable(
            "i.csv", new LocalDate(2019, 11, 7), BoundaryMode.OnCorrespondingDate, new StockTable.RowCounts(size, size, 0), size * 30,
            [.. Enumerable.Range(0, 5).Select(b => new StockTable.Band($"band {(char)('a' + b)}", b, b + 1, size * 6, byType))],
            [new StockTable.Model("ESME", "SMETS2", "Aldor E1-100", size * 2, size, 50m, [size, size, size, size, size], 3.5m, new LocalDate(2019, 1, 1), 10)],
            new StockTable.HubCharges(0, [0, 0, 0, 0, 0], 0, null, null, null));

        var lines = Write(table.WriteText);

        AssertAligned(lines, "  months pending", ["  band a", "  band e", "  in all"], stockTypes.Length + 1);
        var header = lines.Single(l => l.StartsWith("  type   gen", StringComparison.Ordinal));
        var row = lines.Single(l => l.StartsWith("  ESME   SMETS2", StringComparison.Ordinal));
        Assert.Equal(header.IndexOf("oldest since", StringComparison.Ordinal) + "oldest since".Length, row.IndexOf("2019-01-01", StringComparison.Ordinal) + "2019-01-01".Length);
        Assert.Equal(9, Figures(row).Length); // pending, of, the share, the five bands, the mean
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RunAndDiff_FiguresApartAndUnderTheirHeaders(long size)
    {
        var run = new RunReport(
            new PolicyRef("p", new string('a', 64)), "p", new LocalDate(2019, 11, 7), BoundaryMode.OnCorrespondingDate, "2025b", "i.csv", new RunReport.RowCounts(size, size, 0),
            new RunReport.ActionCounts(new RunReport.ActionCount(size, ByType(size)), new RunReport.ActionCount(size, ByType(size)), new RunReport.ActionCount(size, ByType(size))),
            [], 1.0, null, null, null);
        var diff = new DiffTotals(
            new PolicyRef("p", new string('a', 64)), new PolicyRef("q", new string('b', 64)), new LocalDate(2019, 11, 7), BoundaryMode.OnCorrespondingDate, new DiffTotals.RowCounts(size, size, 0),
            new DiffTotals.ChangeCounts(size, size, size, size, ByType(size), ByType(size), ByType(size)));

        AssertAligned(Write(run.WriteText), "  type ", [.. Types.Select(t => $"  {t} ")], 3);
        AssertAligned(Write(diff.WriteText), "  type ", [.. Types.Select(t => $"  {t} ")], 3);
    }

    private static string[] Write(Action<TextWriter> write)
    {
        using var text = new StringWriter();
        write(text);
        return text.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }

    // Each row: as many figures as the header has columns after its label, each ending under its header's column.
    private static void AssertAligned(string[] lines, string headerStart, string[] rowStarts, int columns)
    {
        var header = lines.Single(l => l.StartsWith(headerStart, StringComparison.Ordinal));
        var ends = HeaderWord().Matches(header).Select(m => m.Index + m.Length).TakeLast(columns).ToArray();
        foreach (var start in rowStarts)
        {
            var row = lines.Single(l => l.StartsWith(start, StringComparison.Ordinal));
            var figures = Figure().Matches(row).ToArray();
            Assert.True(figures.Length == columns, $"{row}\n{header}");
            Assert.Equal(ends, figures.Select(m => m.Index + m.Length));
        }
    }

    private static string[] Figures(string row) => [.. Figure().Matches(row).Select(m => m.Value)];

    [GeneratedRegex(@"(?<=\s)[\d,.]+(?=\s|%|$)")]
    private static partial Regex Figure();

    // A column's header: words one space apart (the columns are two or more apart).
    [GeneratedRegex(@"\S+(?: \S+)*")]
    private static partial Regex HeaderWord();
}
