using System.Globalization;
using System.Net;
using System.Text;
using NodaTime.Text;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Reports;

/// <summary>
/// Self-contained HTML reports (no scripts, no fonts, no network): a totals table and an inline
/// SVG bar chart, readable from a file with any browser.
/// </summary>
internal static class HtmlReport
{
    /// <summary>
    /// One colour per device type: the types with an SMI status, then the Type 2 devices, which a
    /// report shows only where it counts one (<see cref="Models.ByType.Shown"/>).
    /// </summary>
    internal static readonly (DeviceType Type, string Colour)[] Series =
    [
        (DeviceType.ESME, "#1f77b4"), (DeviceType.GSME, "#ff7f0e"), (DeviceType.CHF, "#d62728"),
        (DeviceType.GPF, "#9467bd"), (DeviceType.PPMID, "#2ca02c"), (DeviceType.HCALCS, "#8c564b"),
        (DeviceType.IHD, "#7f7f7f"), (DeviceType.CAD, "#17becf"),
    ];

    /// <summary>The colour of <paramref name="type"/>'s bars and keys.</summary>
    internal static string Colour(DeviceType type) => Series.First(s => s.Type == type).Colour;

    public static string Forecast(CompiledPolicy policy, ForecastReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var date = LocalDatePattern.Iso;
        var months = report.MonthStarts.Select(date.Format).ToArray();
        var types = Models.ForecastTable.TypesOf(report);
        var decimals = report.CostPerDevice?.Decimals; // every band with the price's decimals, alike
        var table = new StringBuilder();
        table.Append("<table><thead><tr><th>month from</th>");
        foreach (var type in types)
        {
            table.Append(c, $"<th><span class=\"key\" style=\"background:{Colour(type)}\"></span>{type}</th>");
        }

        table.Append("<th>total</th>").Append(report.CostPerDevice is null ? "" : "<th>cost (GBP)</th>").Append("</tr></thead><tbody>");
        table.Append(c, $"<tr><td>{BacklogLabel} ({months[0]})</td>");
        foreach (var type in types)
        {
            table.Append(c, $"<td>{report.Backlog(type):N0}</td>");
        }

        table.Append(c, $"<td>{report.BacklogTotal:N0}</td>");
        if (report.BacklogCost is { } backlogCost)
        {
            table.Append(c, $"<td>{backlogCost.Shown(decimals: decimals)}</td>");
        }

        table.Append("</tr>");
        for (var m = 0; m < months.Length; m++)
        {
            table.Append(c, $"<tr><td>{months[m]}</td>");
            foreach (var type in types)
            {
                table.Append(c, $"<td>{report.Removals(m, type):N0}</td>");
            }

            table.Append(c, $"<td>{report.Removals(m):N0}</td>");
            if (report.Cost(m) is { } band)
            {
                table.Append(c, $"<td>{band.Shown(decimals: decimals)}</td>");
            }

            table.Append("</tr>");
        }

        var inAll = report.TotalCost is { } totalCost ? $"<th>{totalCost.Shown(decimals: decimals)}</th>" : "";
        table.Append(c, $"<tr><th>in all</th>{string.Concat(types.Select(_ => "<th></th>"))}<th>{report.BacklogTotal + report.RemovalsTotal:N0}</th>{inAll}</tr>");

        var noCost = report.CostPerDevice is null ? "" : "<td></td>";
        table.Append(c, $"<tr><td>{Models.ForecastTable.LaterRow}</td>{string.Concat(types.Select(type => string.Create(c, $"<td>{report.DueLaterOf(type):N0}</td>")))}<td>{report.DueLater:N0}</td>{noCost}</tr>");
        table.Append(c, $"<tr><td>{Models.ForecastTable.UndeterminedRow}</td>{string.Concat(types.Select(type => string.Create(c, $"<td>{report.UndeterminedOf(type):N0}</td>")))}<td>{report.Undetermined:N0}</td>{noCost}</tr>");

        table.Append("</tbody></table>");
        var cost = report.TotalCost is { } all ? string.Create(c, $" Cost {all.Shown(decimals: decimals)} GBP, the backlog included.") : "";
        var summary = string.Create(c, $"{report.DevicesRead:N0} devices; {report.BacklogTotal:N0} already removable on {months[0]}; {report.RemovalsTotal:N0} become removable in these {months.Length} months; {report.DueLater:N0} later; {report.Undetermined:N0} undetermined.{cost} Assumes no status changes.");
        return Page(
            $"Forecast of removals under {policy.Name}",
            string.Create(c, $"Policy {policy.Name} (sha256 {policy.ContentHash[..12]}), {months.Length} months from {months[0]}"),
            summary,
            Chart("Devices removable now, and becoming removable each month, by device type", ForecastLabels(report), types, ForecastValues(report, months.Length, types), firstApart: true),
            table.ToString());
    }

    public static string Diff(DiffReport report, CompiledPolicy policy, CompiledPolicy against)
    {
        var c = CultureInfo.InvariantCulture;
        var directions = Directions(report.Count(ChangeDirection.Other) != 0);
        var labels = directions.Select(DirectionLabel).ToArray();
        var types = Models.ByType.Shown(type => directions.Any(d => report.Count(d, type) != 0));
        var values = directions.Select(d => types.Select(type => report.Count(d, type)).ToArray()).ToArray();
        var table = new StringBuilder("<table><thead><tr><th>device type</th>");
        table.Append(string.Concat(labels.Select(l => $"<th>{l}</th>"))).Append("</tr></thead><tbody>");
        for (var i = 0; i < types.Length; i++)
        {
            table.Append(c, $"<tr><td><span class=\"key\" style=\"background:{Colour(types[i])}\"></span>{types[i]}</td>");
            table.Append(string.Concat(values.Select(v => string.Create(c, $"<td>{v[i]:N0}</td>")))).Append("</tr>");
        }

        table.Append("<tr><th>total</th>").Append(string.Concat(directions.Select(d => string.Create(c, $"<th>{report.Count(d):N0}</th>")))).Append("</tr></tbody></table>");
        return Page(
            $"{policy.Name} against {against.Name}",
            string.Create(c, $"{policy.Name} (sha256 {policy.ContentHash[..12]}) against {against.Name} (sha256 {against.ContentHash[..12]}), as of {LocalDatePattern.Iso.Format(report.AsOf)}"),
            string.Create(c, $"{report.DevicesRead:N0} devices compared; {report.Total:N0} change action."),
            DiffChart(types, directions.Length > 2, report.Count),
            table.ToString());
    }

    /// <summary>
    /// The chart of a diff: a bar per direction (other changes with <paramref name="other"/>), a
    /// segment per type of <paramref name="types"/>, each <paramref name="count"/> of its direction.
    /// </summary>
    internal static string DiffChart(DeviceType[] types, bool other, Func<ChangeDirection, DeviceType, long> count)
    {
        var directions = Directions(other);
        return Chart(
            "Devices whose action changes, by device type",
            directions.Select(DirectionLabel).ToArray(),
            types,
            directions.Select(d => types.Select(type => count(d, type)).ToArray()).ToArray());
    }

    /// <summary>The directions a diff shows: other changes (to or from Undetermined) only when there are some.</summary>
    private static ChangeDirection[] Directions(bool other) =>
        other ? [ChangeDirection.NewlyRemoved, ChangeDirection.NewlyRetained, ChangeDirection.Other] : [ChangeDirection.NewlyRemoved, ChangeDirection.NewlyRetained];

    /// <summary>How a page names a direction of change.</summary>
    private static string DirectionLabel(ChangeDirection direction) => direction switch
    {
        ChangeDirection.NewlyRemoved => "newly removed",
        ChangeDirection.NewlyRetained => "newly retained",
        _ => "other (to or from undetermined)",
    };

    public static string Stock(Models.StockTable stock)
    {
        var c = CultureInfo.InvariantCulture;
        var labels = stock.Bands.Select(b => b.Name).ToArray();
        var types = Models.StockTable.Types;
        var values = stock.Bands.Select(b => types.Select(type => b.ByType[type.ToString()]).ToArray()).ToArray();
        var table = new StringBuilder("<table><thead><tr><th>type</th><th>generation</th><th>model</th><th>pending</th><th>of</th><th>share</th>");
        foreach (var band in stock.Bands)
        {
            table.Append(c, $"<th>{Encode(band.Name)}</th>");
        }

        table.Append("<th>mean months pending</th><th>oldest pending since</th></tr></thead><tbody>");
        foreach (var model in stock.Models)
        {
            var colour = Series.FirstOrDefault(s => s.Type.ToString() == model.Type).Colour ?? "#777";
            table.Append(c, $"<tr><td><span class=\"key\" style=\"background:{colour}\"></span>{model.Type}</td><td>{model.Generation ?? "not recorded"}</td><td>{Encode(model.DeviceModel ?? "not recorded")}</td>");
            table.Append(c, $"<td>{model.Pending:N0}</td><td>{model.Devices:N0}</td><td>{model.PendingPercent:F1}%</td>");
            foreach (var count in model.ByBand)
            {
                table.Append(c, $"<td>{count:N0}</td>");
            }

            table.Append(c, $"<td>{model.MeanMonthsPending:F1}</td><td>{LocalDatePattern.Iso.Format(model.OldestPendingSince)}</td></tr>");
        }

        table.Append("</tbody></table>");
        var hubs = stock.Hubs;
        var cost = hubs.MonthlyRate is { } rate
            ? string.Create(c, $" At GBP {rate:N2} a hub a month they cost GBP {hubs.MonthlyCost:N2} a month, and have cost GBP {hubs.AccruedCost:N2} over {hubs.MonthsPending:N0} hub-months pending.")
            : "";
        return Page(
            "Pending stock by months pending",
            string.Create(c, $"{stock.Inventory} as of {LocalDatePattern.Iso.Format(stock.AsOf)} (London)"),
            string.Create(c, $"{stock.Rows.Counted:N0} devices; {stock.Pending:N0} pending; {hubs.Pending:N0} Communications Hubs pending (by their CHF).{cost} Models are listed the longest waiting first (the most months pending on average)."),
            Chart("Pending devices by months pending, by device type", labels, types, values),
            table.ToString());
    }

    /// <summary>A month as a chart labels it: "Nov 2019" (never "19-11", which reads as a day).</summary>
    internal static string MonthLabel(NodaTime.LocalDate start) => LocalDatePattern.Create("MMM uuuu", CultureInfo.InvariantCulture).Format(start);

    /// <summary>The labels of a forecast's bars: the backlog already removable, then each month.</summary>
    internal static string[] ForecastLabels(ForecastReport report) =>
        [BacklogLabel, .. report.MonthStarts.Select(MonthLabel)];

    /// <summary>The first bar of a forecast: devices removable on the first day already.</summary>
    internal const string BacklogLabel = "removable now";

    /// <summary>A forecast's bars: the backlog by type, then each month's removals by type, for each of <paramref name="types"/>.</summary>
    internal static long[][] ForecastValues(ForecastReport report, int months, DeviceType[] types) =>
        [types.Select(report.Backlog).ToArray(), .. Enumerable.Range(0, months).Select(m => types.Select(type => report.Removals(m, type)).ToArray())];

    /// <summary>
    /// A stacked bar per label, a segment per device type of <paramref name="types"/> (each bar's
    /// values in their order), each bar's total above it, a key per type; a y axis with
    /// round ticks and gridlines, named by <paramref name="axis"/>; each bar is a group with class
    /// "bar". With <paramref name="firstApart"/>, the first bar (a forecast's backlog) is set apart
    /// by a dashed line.
    /// </summary>
    internal static string Chart(string title, string[] labels, DeviceType[] types, long[][] values, string axis = "devices", bool firstApart = false)
    {
        const int Width = 960, Height = 380, Left = 72, Bottom = 48, Top = 28, Right = 12;
        var c = CultureInfo.InvariantCulture;
        var (step, top) = Ticks(values.Length == 0 ? 0 : values.Max(v => v.Sum()));
        var plot = Height - Bottom - Top;
        var slot = (double)(Width - Left - Right) / Math.Max(1, labels.Length);
        var bar = Math.Max(4, slot * 0.7);
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{Encode(title)}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">");
        svg.Append(c, $"<title>{Encode(title)}</title>");

        // The y axis: a tick, its label and a gridline at every step up to the top.
        for (var tick = 0L; tick <= top; tick += step)
        {
            var y = Height - Bottom - (tick * plot / (double)top);
            svg.Append(c, $"<g class=\"tick\"><line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"{(tick == 0 ? "#333" : "#e3e3e3")}\"/>");
            svg.Append(c, $"<line x1=\"{Left - 5}\" y1=\"{y:F1}\" x2=\"{Left}\" y2=\"{y:F1}\" stroke=\"#333\"/><text x=\"{Left - 8}\" y=\"{y + 4:F1}\" text-anchor=\"end\" font-size=\"12\">{tick:N0}</text></g>");
        }

        svg.Append(c, $"<line x1=\"{Left}\" y1=\"{Top - 6}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>");
        svg.Append(c, $"<text transform=\"translate(16 {Top + (plot / 2)}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">{Encode(axis)}</text>");
        for (var i = 0; i < labels.Length; i++)
        {
            var x = Left + (i * slot) + ((slot - bar) / 2);
            var y = (double)(Height - Bottom);
            var total = values[i].Sum();
            svg.Append(c, $"<g class=\"bar\" data-label=\"{Encode(labels[i])}\" data-total=\"{total}\">");
            for (var s = 0; s < types.Length; s++)
            {
                if (values[i][s] == 0)
                {
                    continue;
                }

                var h = values[i][s] * plot / (double)top;
                y -= h;
                svg.Append(c, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{bar:F1}\" height=\"{h:F1}\" fill=\"{Colour(types[s])}\"><title>{Encode(labels[i])}, {types[s]}: {values[i][s]:N0}</title></rect>");
            }

            svg.Append(c, $"<text x=\"{x + (bar / 2):F1}\" y=\"{y - 4:F1}\" text-anchor=\"middle\" font-size=\"11\">{total:N0}</text>");
            svg.Append(c, $"</g><text x=\"{x + (bar / 2):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{Encode(labels[i])}</text>");
            if (firstApart && i == 0 && labels.Length > 1)
            {
                var edge = Left + slot;
                svg.Append(c, $"<line x1=\"{edge:F1}\" y1=\"{Top - 6}\" x2=\"{edge:F1}\" y2=\"{Height - Bottom + 24}\" stroke=\"#777\" stroke-dasharray=\"4 3\"/>");
            }
        }

        svg.Append("</svg>");
        var legend = string.Concat(types.Select(type => $"<span class=\"legend\"><span class=\"key\" style=\"background:{Colour(type)}\"></span>{type}</span>"));
        return $"<figure><figcaption>{Encode(title)}</figcaption>{svg}<div>{legend}</div></figure>";
    }

    /// <summary>A round step (1, 2 or 5 times a power of ten) giving at most six ticks, and the top of the axis, a multiple of it at or above <paramref name="max"/>.</summary>
    internal static (long Step, long Top) Ticks(long max)
    {
        if (max <= 0)
        {
            return (1, 1);
        }

        var step = 1L;
        while (true)
        {
            foreach (var factor in new[] { 1L, 2L, 5L })
            {
                if (max <= step * factor * 5)
                {
                    var chosen = step * factor;
                    return (chosen, (max + chosen - 1) / chosen * chosen);
                }
            }

            step *= 10;
        }
    }

    private static string Page(string title, string subtitle, string summary, string chart, string table) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Encode(title) + "</title><style>"
        + "body{font-family:sans-serif;margin:24px;color:#222;background:#fff}table{border-collapse:collapse;margin-top:16px}"
        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td{white-space:nowrap}th:first-child,td:first-child{text-align:left}"
        + ".key{display:inline-block;width:10px;height:10px;margin-right:4px}.legend{margin-right:12px;font-size:13px}figure{margin:16px 0}"
        + "</style></head><body><h1>" + Encode(title) + "</h1><p>" + Encode(subtitle) + "</p><p>" + Encode(summary) + "</p>"
        + chart + table + "<p><small>Made by smi-retention. No scripts, fonts or network: this file is the whole report.</small></p></body></html>\n";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
