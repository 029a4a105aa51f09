using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary><c>forecast</c>'s result: the backlog removable now, then the removals of each month by type, with their cost.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="From">The first month's start.</param>
/// <param name="Boundary">The boundary mode.</param>
/// <param name="Rows">Rows read = forecast + rejected.</param>
/// <param name="Backlog">Devices already removable on the first day.</param>
/// <param name="BacklogByType">The backlog by device type.</param>
/// <param name="BacklogCost">The backlog's cost band, or null without a cost per device.</param>
/// <param name="TotalCost">The backlog and the window's cost band, or null.</param>
/// <param name="RemovalsInWindow">Devices that become removable in the window.</param>
/// <param name="DueLater">Devices that become removable after it.</param>
/// <param name="DueLaterByType">The same, by device type.</param>
/// <param name="Undetermined">Devices that cannot be decided.</param>
/// <param name="UndeterminedByType">The same, by device type.</param>
/// <param name="CostPerDevice">The cost per removed device, or null.</param>
/// <param name="Months">Each month's removals.</param>
internal sealed record ForecastTable(
    PolicyRef Policy, LocalDate From, BoundaryMode Boundary, ForecastTable.RowCounts Rows, long Backlog, IReadOnlyDictionary<string, long> BacklogByType,
    ForecastTable.Band? BacklogCost, ForecastTable.Band? TotalCost, long RemovalsInWindow, long DueLater, IReadOnlyDictionary<string, long> DueLaterByType,
    long Undetermined, IReadOnlyDictionary<string, long> UndeterminedByType, ForecastTable.Band? CostPerDevice,
    IReadOnlyList<ForecastTable.Month> Months)
    : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "forecast";

    /// <summary>The device types a forecast shows (<see cref="ByType.Shown"/>): a Type 2 type only when the backlog, a month, the later or the undetermined count one.</summary>
    public static DeviceType[] TypesOf(ForecastReport report) =>
        ByType.Shown(type => report.Backlog(type) != 0 || report.DueLaterOf(type) != 0 || report.UndeterminedOf(type) != 0
            || Enumerable.Range(0, report.MonthStarts.Count).Any(m => report.Removals(m, type) != 0));

    /// <summary>The table of <paramref name="report"/>.</summary>
    public static ForecastTable Of(CompiledPolicy policy, ForecastReport report, long read, long rejected)
    {
        var types = TypesOf(report);
        return new(PolicyRef.Of(policy), report.MonthStarts[0], policy.Boundary, new RowCounts(read, report.DevicesRead, rejected),
            report.BacklogTotal, ByType.Of(report.Backlog, types), Band.Of(report.BacklogCost), Band.Of(report.TotalCost),
            report.RemovalsTotal, report.DueLater, ByType.Of(report.DueLaterOf, types), report.Undetermined, ByType.Of(report.UndeterminedOf, types), Band.Of(report.CostPerDevice),
            [.. Enumerable.Range(0, report.MonthStarts.Count).Select(m => new Month(report.MonthStarts[m], report.Removals(m), ByType.Of(type => report.Removals(m, type), types), Band.Of(report.Cost(m))))]);
    }

    /// <inheritdoc/>
    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var date = LocalDatePattern.Iso;
        output.WriteLine(string.Create(c, $"Forecast   {Policy.Name} (sha256 {Policy.Sha256[..12]}), {Months.Count} months from {date.Format(From)}, if no status changes"));
        output.WriteLine(string.Create(c, $"Rows       {Rows.Read:N0} read = {Rows.Forecast:N0} forecast + {Rows.Rejected:N0} rejected"));
        output.WriteLine(string.Create(c, $"Backlog    {Backlog:N0} devices already removable on {date.Format(From)}"));
        output.WriteLine(string.Create(c, $"Window     {RemovalsInWindow:N0} become removable in the window; {DueLater:N0} later; {Undetermined:N0} undetermined"));
        output.WriteLine();
        var types = BacklogByType.Keys.ToArray(); // the types shown (TypesOf), in order

        var cell = Columns.Width(8, new[] { BacklogByType, DueLaterByType, UndeterminedByType }.Concat(Months.Select(m => m.ByType)).SelectMany(r => r.Values));
        var total = Columns.Width(9, new[] { Backlog, DueLater, Undetermined, Backlog + RemovalsInWindow }.Concat(Months.Select(m => m.Total)));
        var header = string.Concat(types.Select(t => Columns.Right(t, cell)));
        output.WriteLine(string.Create(c, $"  {"month from",-12}{header}{Columns.Right("total", total)}{(CostPerDevice is null ? "" : "   cost (GBP)")}"));
        var decimals = CostPerDevice is { } per ? new CostBand(per.Low, per.High).Decimals : 0; // every band with the price's decimals, alike
        string Cost(Band? band) => band is { } b ? "   " + new CostBand(b.Low, b.High).Shown(decimals: decimals) : "";
        string Cells(IReadOnlyDictionary<string, long> byType) => string.Concat(types.Select(t => Columns.Right(byType[t], cell)));
        output.WriteLine(string.Create(c, $"  {"now",-12}{Cells(BacklogByType)}{Columns.Right(Backlog, total)}{Cost(BacklogCost)}"));
        foreach (var month in Months)
        {
            output.WriteLine(string.Create(c, $"  {date.Format(month.Start),-12}{Cells(month.ByType)}{Columns.Right(month.Total, total)}{Cost(month.Cost)}"));
        }

        output.WriteLine(string.Create(c, $"  {"in all",-12}{new string(' ', types.Length * cell)}{Columns.Right(Backlog + RemovalsInWindow, total)}{Cost(TotalCost)}"));
        output.WriteLine(string.Create(c, $"  {LaterRow,-12}{Cells(DueLaterByType)}{Columns.Right(DueLater, total)}"));
        output.WriteLine(string.Create(c, $"  {UndeterminedRow,-12}{Cells(UndeterminedByType)}{Columns.Right(Undetermined, total)}"));
    }

    /// <summary>The first cell of the row of devices that become removable after the window, in the text and the CSV.</summary>
    internal const string LaterRow = "later";

    /// <summary>The first cell of the row of devices that cannot be decided, in the text and the CSV.</summary>
    internal const string UndeterminedRow = "undetermined";

    /// <summary>Rows read, and how they split.</summary>
    /// <param name="Read">Rows read.</param>
    /// <param name="Forecast">Rows of devices forecast.</param>
    /// <param name="Rejected">Rows rejected.</param>
    internal sealed record RowCounts(long Read, long Forecast, long Rejected);

    /// <summary>A month of the window.</summary>
    /// <param name="Start">Its first day.</param>
    /// <param name="Total">Devices that become removable in it.</param>
    /// <param name="ByType">The same, by device type.</param>
    /// <param name="Cost">Their cost band, or null.</param>
    internal sealed record Month(LocalDate Start, long Total, IReadOnlyDictionary<string, long> ByType, Band? Cost);

    /// <summary>A cost band in pounds.</summary>
    /// <param name="Low">The low end.</param>
    /// <param name="High">The high end.</param>
    internal sealed record Band(decimal Low, decimal High)
    {
        /// <summary>The band of <paramref name="band"/>, or null.</summary>
        public static Band? Of(CostBand? band) => band is { } b ? new(b.Low, b.High) : null;
    }
}
