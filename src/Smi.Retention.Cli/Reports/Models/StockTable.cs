using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Impact;
using Smi.Retention.Text;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary><c>stock</c>'s result: the pending devices by type, generation and model, in bands of months pending, the longest waiting first, and the Communications Hubs' stock charges.</summary>
/// <param name="Inventory">The inventory, as named.</param>
/// <param name="AsOf">The date of the count.</param>
/// <param name="Boundary">The boundary mode.</param>
/// <param name="Rows">Rows read = counted + rejected.</param>
/// <param name="Pending">Every pending device.</param>
/// <param name="Bands">The bands of months pending, each with its pending devices by type.</param>
/// <param name="Models">Each type, generation and model with a device pending, the longest waiting first.</param>
/// <param name="Hubs">The pending Communications Hubs and their charges.</param>
internal sealed record StockTable(
    string Inventory, LocalDate AsOf, BoundaryMode Boundary, StockTable.RowCounts Rows, long Pending, IReadOnlyList<StockTable.Band> Bands,
    IReadOnlyList<StockTable.Model> Models, StockTable.HubCharges Hubs)
    : ICommandReport
{
    /// <summary>The device types that can be pending: those with an SMI status.</summary>
    internal static readonly DeviceType[] Types = ByType.Shown(_ => false);

    /// <inheritdoc/>
    public static string Kind => "stock";

    /// <summary>The table of <paramref name="report"/>.</summary>
    public static StockTable Of(string inventory, StockReport report, long read, long rejected) =>
        new(inventory, report.AsOf, report.Boundary, new RowCounts(read, report.DevicesRead, rejected), report.Pending,
            [.. StockAgeing.BandStarts.Select((start, b) => new Band(StockReport.BandName(b), start, b + 1 < StockAgeing.BandStarts.Count ? StockAgeing.BandStarts[b + 1] : null, report.InBand(b), ByType.Of(t => report.InBand(b, t), Types)))],
            [.. report.Models.Select(m => new Model(m.Type.ToString(), m.Generation == SmetsGeneration.Unknown ? null : m.Generation.ToString(), m.Model, m.Devices, m.Pending, Math.Round(m.PendingShare * 100, 1), m.ByBand, m.MeanMonthsPending, m.OldestPendingSince, m.LongestWaitMonths))],
            new HubCharges(report.Hubs.Pending, report.Hubs.ByBand, report.Hubs.MonthsPending, report.Hubs.MonthlyRate, report.Hubs.MonthlyCost, report.Hubs.AccruedCost));

    /// <inheritdoc/>
    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var date = LocalDatePattern.Iso;
        output.WriteLine(string.Create(c, $"Stock      pending devices of {Untrusted.Show(Inventory, 300)} as of {date.Format(AsOf)} (London), boundary {Boundary}"));
        output.WriteLine(string.Create(c, $"Rows       {Rows.Read:N0} read = {Rows.Counted:N0} counted + {Rows.Rejected:N0} rejected"));
        output.WriteLine(string.Create(c, $"Pending    {Pending:N0} devices"));
        output.WriteLine();
        long InAll(DeviceType type) => Bands.Sum(b => b.ByType[type.ToString()]);
        var cell = Columns.Width(8, Bands.SelectMany(b => b.ByType.Values).Concat(Types.Select(InAll)));
        var total = Columns.Width(9, Bands.Select(b => b.Total).Append(Pending));
        output.WriteLine(string.Create(c, $"  {"months pending",-20}{string.Concat(Types.Select(t => Columns.Right(t.ToString(), cell)))}{Columns.Right("total", total)}"));
        foreach (var band in Bands)
        {
            output.WriteLine(string.Create(c, $"  {band.Name,-20}{string.Concat(Types.Select(t => Columns.Right(band.ByType[t.ToString()], cell)))}{Columns.Right(band.Total, total)}"));
        }

        output.WriteLine(string.Create(c, $"  {"in all",-20}{string.Concat(Types.Select(t => Columns.Right(InAll(t), cell)))}{Columns.Right(Pending, total)}"));
        output.WriteLine();
        output.WriteLine("Models, the longest waiting first (months pending: " + string.Join(", ", Bands.Select(b => b.Name)) + "; (none): not recorded):");
        var pending = Columns.Width(9, Models.Select(m => m.Pending));
        var of = Columns.Width(9, Models.Select(m => m.Devices));
        var bandWidth = Columns.Width(6, Models.SelectMany(m => m.ByBand));
        var byBand = (Bands.Count * (bandWidth + 1)) - 1; // the bands, a space between each
        output.WriteLine(string.Create(c, $"  {"type",-7}{"gen",-7}{"model",-22}{Columns.Right("pending", pending)}{Columns.Right("of", of)}{"share",8}  {"by band".PadRight(byBand)}{"mean months",12}{"oldest since",14}"));
        foreach (var model in Models)
        {
            var bands = string.Join(" ", model.ByBand.Select(n => Columns.Right(n, bandWidth)));
            var name = Untrusted.Cell(model.DeviceModel ?? "(none)", 21) + " "; // 22 columns, whatever its characters take
            output.WriteLine(string.Create(c, $"  {model.Type,-7}{model.Generation ?? "(none)",-7}{name}{Columns.Right(model.Pending, pending)}{Columns.Right(model.Devices, of)}{model.PendingPercent,7:F1}%  {bands.PadRight(byBand)}{model.MeanMonthsPending,12:F1}{date.Format(model.OldestPendingSince),14}"));
        }

        output.WriteLine();
        var charges = Hubs.MonthlyRate is { } rate
            ? string.Create(c, $"; at GBP {rate:N2} a hub a month: GBP {Hubs.MonthlyCost:N2} a month now, GBP {Hubs.AccruedCost:N2} over the {Hubs.MonthsPending:N0} hub-months they have been pending")
            : string.Create(c, $", {Hubs.MonthsPending:N0} hub-months pending in all (give --hub-monthly-rate to cost them)");
        output.WriteLine(string.Create(c, $"Hubs       {Hubs.Pending:N0} Communications Hubs pending (counted by their CHF){charges}"));
    }

    /// <summary>Rows read, and how they split.</summary>
    /// <param name="Read">Rows read.</param>
    /// <param name="Counted">Rows of devices counted.</param>
    /// <param name="Rejected">Rows rejected.</param>
    internal sealed record RowCounts(long Read, long Counted, long Rejected);

    /// <summary>A band of months pending.</summary>
    /// <param name="Name">Its name: "6 to 12 months".</param>
    /// <param name="FromMonths">The whole months pending it starts at.</param>
    /// <param name="ToMonths">The months it ends before, or null for the last.</param>
    /// <param name="Total">Its pending devices.</param>
    /// <param name="ByType">The same by device type.</param>
    internal sealed record Band(string Name, int FromMonths, int? ToMonths, long Total, IReadOnlyDictionary<string, long> ByType);

    /// <summary>One type, generation and model's pending stock.</summary>
    /// <param name="Type">The device type.</param>
    /// <param name="Generation">SMETS1 or SMETS2, or null when not recorded.</param>
    /// <param name="DeviceModel">The model, or null when not recorded.</param>
    /// <param name="Devices">All its devices.</param>
    /// <param name="Pending">Those pending.</param>
    /// <param name="PendingPercent">The share pending, in percent to one decimal.</param>
    /// <param name="ByBand">Pending in each band.</param>
    /// <param name="MeanMonthsPending">The whole months pending on average.</param>
    /// <param name="OldestPendingSince">The earliest date one has been pending from.</param>
    /// <param name="LongestWaitMonths">The whole months that one has waited.</param>
    internal sealed record Model(
        string Type, string? Generation, [property: System.Text.Json.Serialization.JsonPropertyName("model")] string? DeviceModel, long Devices, long Pending, decimal PendingPercent,
        IReadOnlyList<long> ByBand, decimal MeanMonthsPending, LocalDate OldestPendingSince, int LongestWaitMonths);

    /// <summary>The pending Communications Hubs and, at a rate, their charges.</summary>
    /// <param name="Pending">Hubs pending (by their CHF).</param>
    /// <param name="ByBand">The same in each band.</param>
    /// <param name="MonthsPending">Their whole months pending, summed.</param>
    /// <param name="MonthlyRate">The charge for one hub a month (GBP), or null.</param>
    /// <param name="MonthlyCost">What they cost a month at the rate, or null.</param>
    /// <param name="AccruedCost">What they have cost while pending, or null.</param>
    internal sealed record HubCharges(long Pending, IReadOnlyList<long> ByBand, long MonthsPending, decimal? MonthlyRate, decimal? MonthlyCost, decimal? AccruedCost);
}
