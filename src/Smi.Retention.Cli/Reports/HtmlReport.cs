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
    /// <summary>One colour per device type with an SMI status (Type 2 devices are never removed by AC 7.2).</summary>
    internal static readonly (DeviceType Type, string Colour)[] Series =
    [
        (DeviceType.ESME, "#1f77b4"), (DeviceType.GSME, "#ff7f0e"), (DeviceType.CHF, "#d62728"),
        (DeviceType.GPF, "#9467bd"), (DeviceType.PPMID, "#2ca02c"), (DeviceType.HCALCS, "#8c564b"),
    ];

    public static string Forecast(CompiledPolicy policy, ForecastReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var date = LocalDatePattern.Iso;
        var months = report.MonthStarts.Select(date.Format).ToArray();
        var values = months.Select((_, m) => Series.Select(s => report.Removals(m, s.Type)).ToArray()).ToArray();
        var table = new StringBuilder();
        table.Append("<table><thead><tr><th>month from</th>");
        foreach (var (type, colour) in Series)
        {
            table.Append(c, $"<th><span class=\"key\" style=\"background:{colour}\"></span>{type}</th>");
        }

        table.Append("<th>total</th>").Append(report.CostPerDevice is null ? "" : "<th>cost (GBP)</th>").Append("</tr></thead><tbody>");
        for (var m = 0; m < months.Length; m++)
        {
            table.Append(c, $"<tr><td>{months[m]}</td>");
            foreach (var value in values[m])
            {
                table.Append(c, $"<td>{value:N0}</td>");
            }

            table.Append(c, $"<td>{report.Removals(m):N0}</td>");
            if (report.Cost(m) is { } band)
            {
                table.Append(c, $"<td>{band.Low:N0}-{band.High:N0}</td>");
            }

            table.Append("</tr>");
        }

        table.Append("</tbody></table>");
        var summary = string.Create(c, $"{report.DevicesRead:N0} devices; {report.BacklogTotal:N0} already removable on {months[0]}; {report.RemovalsTotal:N0} become removable in these {months.Length} months; {report.DueLater:N0} later; {report.Undetermined:N0} undetermined. Assumes no status changes.");
        return Page(
            $"Forecast of removals under {policy.Name}",
            string.Create(c, $"Policy {policy.Name} (sha256 {policy.ContentHash[..12]}), {months.Length} months from {months[0]}"),
            summary,
            Chart("Devices becoming removable per month, by device type", months, values),
            table.ToString());
    }

    public static string Diff(DiffReport report, CompiledPolicy policy, CompiledPolicy against)
    {
        var c = CultureInfo.InvariantCulture;
        var labels = new[] { "newly removed", "newly retained" };
        var values = new[]
        {
            Series.Select(s => report.Count(ChangeDirection.NewlyRemoved, s.Type)).ToArray(),
            Series.Select(s => report.Count(ChangeDirection.NewlyRetained, s.Type)).ToArray(),
        };
        var table = new StringBuilder("<table><thead><tr><th>device type</th><th>newly removed</th><th>newly retained</th></tr></thead><tbody>");
        for (var i = 0; i < Series.Length; i++)
        {
            table.Append(c, $"<tr><td><span class=\"key\" style=\"background:{Series[i].Colour}\"></span>{Series[i].Type}</td><td>{values[0][i]:N0}</td><td>{values[1][i]:N0}</td></tr>");
        }

        table.Append(c, $"<tr><th>total</th><th>{report.Count(ChangeDirection.NewlyRemoved):N0}</th><th>{report.Count(ChangeDirection.NewlyRetained):N0}</th></tr></tbody></table>");
        return Page(
            $"{policy.Name} against {against.Name}",
            string.Create(c, $"{policy.Name} (sha256 {policy.ContentHash[..12]}) against {against.Name} (sha256 {against.ContentHash[..12]}), as of {LocalDatePattern.Iso.Format(report.AsOf)}"),
            string.Create(c, $"{report.DevicesRead:N0} devices compared; {report.Changes.Count:N0} change action."),
            Chart("Devices whose action changes, by device type", labels, values),
            table.ToString());
    }

    /// <summary>A stacked bar per label, a segment per device type; each bar is a group with class "bar".</summary>
    internal static string Chart(string title, string[] labels, long[][] values)
    {
        const int Width = 960, Height = 360, Left = 60, Bottom = 40, Top = 20;
        var c = CultureInfo.InvariantCulture;
        var max = Math.Max(1, values.Max(v => v.Sum()));
        var slot = (double)(Width - Left - 10) / labels.Length;
        var bar = Math.Max(4, slot * 0.7);
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{Encode(title)}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">");
        svg.Append(c, $"<title>{Encode(title)}</title>");
        svg.Append(c, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - 10}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>");
        svg.Append(c, $"<text x=\"{Left - 8}\" y=\"{Top + 4}\" text-anchor=\"end\" font-size=\"12\">{max:N0}</text>");
        svg.Append(c, $"<text x=\"{Left - 8}\" y=\"{Height - Bottom}\" text-anchor=\"end\" font-size=\"12\">0</text>");
        for (var i = 0; i < labels.Length; i++)
        {
            var x = Left + (i * slot) + ((slot - bar) / 2);
            var y = (double)(Height - Bottom);
            svg.Append(c, $"<g class=\"bar\" data-label=\"{Encode(labels[i])}\">");
            for (var s = 0; s < Series.Length; s++)
            {
                var h = values[i][s] * (Height - Bottom - Top) / (double)max;
                if (values[i][s] == 0)
                {
                    continue;
                }

                y -= h;
                svg.Append(c, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{bar:F1}\" height=\"{h:F1}\" fill=\"{Series[s].Colour}\"><title>{Series[s].Type}: {values[i][s]:N0}</title></rect>");
            }

            svg.Append(c, $"</g><text x=\"{x + (bar / 2):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{Encode(labels[i].Length == 10 ? labels[i][2..7] : labels[i])}</text>");
        }

        svg.Append("</svg>");
        var legend = string.Concat(Series.Select(s => $"<span class=\"legend\"><span class=\"key\" style=\"background:{s.Colour}\"></span>{s.Type}</span>"));
        return $"<figure><figcaption>{Encode(title)}</figcaption>{svg}<div>{legend}</div></figure>";
    }

    private static string Page(string title, string subtitle, string summary, string chart, string table) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Encode(title) + "</title><style>"
        + "body{font-family:sans-serif;margin:24px;color:#222;background:#fff}table{border-collapse:collapse;margin-top:16px}"
        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}"
        + ".key{display:inline-block;width:10px;height:10px;margin-right:4px}.legend{margin-right:12px;font-size:13px}figure{margin:16px 0}"
        + "</style></head><body><h1>" + Encode(title) + "</h1><p>" + Encode(subtitle) + "</p><p>" + Encode(summary) + "</p>"
        + chart + table + "<p><small>Made by smi-retention. No scripts, fonts or network: this file is the whole report.</small></p></body></html>\n";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
