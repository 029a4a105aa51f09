using System.Diagnostics;
using System.Text.RegularExpressions;
using FsCheck.Xunit;
using Smi.Retention.Cli.Reports;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// The HTML reports render in a real browser: headless Chromium (Debian's chromium package, which
/// .ci/run installs) draws each report; the screenshot must show the chart's bars in the series
/// colours, and the rendered DOM the expected number of bars.
/// </summary>
public sealed partial class HtmlReportTests : IDisposable
{
    private static readonly string Chromium = ChromiumFactAttribute.Executable;
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Sample => Path.Combine(Repository.Root(), "samples", "inventory.csv");

    [ChromiumFact]
    public void Forecast_Html_TheBacklogAndTwelveMonthBarsInTheSeriesColours_OnALabelledAxis()
    {
        var page = _cli.PathOf("forecast.html");
        Assert.Equal(0, _cli.Run("forecast", "--policy", "sec-timeline", "--inventory", Sample, "--from", "2019-11-07", "--months", "12", "--cost-per-device", "36-50", "--html", page).Exit);
        var html = File.ReadAllText(page);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);

        var dom = Browser("--dump-dom", page);
        Assert.Equal(13, BarGroup().Count(dom));

        // The backlog is its own bar, first; months read as months; the axis has round ticks; the cost counts the backlog.
        Assert.Contains("<g class=\"bar\" data-label=\"removable now\" data-total=\"139\">", dom, StringComparison.Ordinal);
        Assert.Contains(">Nov 2019</text>", dom, StringComparison.Ordinal);
        Assert.Contains(">Oct 2020</text>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain(">19-11<", dom, StringComparison.Ordinal);
        Assert.Equal(["0", "50", "100", "150"], TickLabel().Matches(dom).Select(m => m.Groups[1].Value));
        Assert.Contains("Cost 6,948-9,650 GBP, the backlog included.", dom, StringComparison.Ordinal);

        // Every series colour also fills two 10x10 keys (legend and table header): 200 pixels that are not bars.
        var screenshot = Screenshot(page);
        var bars = CountSeriesPixels(screenshot).ToDictionary(p => p.Key, p => p.Value - 200);
        Assert.True(bars[DeviceType.CHF] > 500, $"CHF bars: {bars[DeviceType.CHF]} pixels");
        Assert.True(bars[DeviceType.GSME] > 500, $"GSME bars: {bars[DeviceType.GSME]} pixels");
        Assert.True(bars[DeviceType.PPMID] > 30, $"PPMID bar: {bars[DeviceType.PPMID]} pixels");
        Assert.True(bars[DeviceType.HCALCS] is > 0 and < 400, $"HCALCS: {bars[DeviceType.HCALCS]} pixels"); // one HCALCS, in the backlog only
        if (Environment.GetEnvironmentVariable("SMI_RETENTION_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.Copy(_cli.PathOf("forecast.png"), Path.Combine(folder, "forecast-sec-timeline.png"), overwrite: true);
        }
    }

    [ChromiumFact]
    public void Stock_Html_ABarPerBandOfMonthsPending_InTheSeriesColours_AndTheModelsTable()
    {
        var inventory = _cli.PathOf("stock-inventory.csv");
        Assert.Equal(0, _cli.Run("generate", "--devices", "60000", "--seed", "20191107", "--as-of", "2019-11-07", "--out", inventory).Exit);
        var page = _cli.PathOf("stock.html");
        var json = _cli.Run("stock", "--inventory", inventory, "--as-of", "2019-11-07", "--hub-monthly-rate", "1.20", "--html", page, "--format", "json");
        Assert.Equal(0, json.Exit);
        var html = File.ReadAllText(page);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);

        var dom = Browser("--dump-dom", page);
        using var document = System.Text.Json.JsonDocument.Parse(json.Output);
        var bands = document.RootElement.GetProperty("bands").EnumerateArray().ToArray();
        Assert.Equal(5, BarGroup().Count(dom));
        foreach (var band in bands)
        {
            Assert.Contains($"<g class=\"bar\" data-label=\"{band.GetProperty("name").GetString()}\" data-total=\"{band.GetProperty("total").GetInt64()}\">", dom, StringComparison.Ordinal);
        }

        Assert.Contains(">Hub Central 2</td>", dom, StringComparison.Ordinal);
        Assert.Contains("a hub a month they cost GBP", dom, StringComparison.Ordinal);
        var screenshot = Screenshot(page);
        var bars = CountSeriesPixels(screenshot).ToDictionary(p => p.Key, p => p.Value);
        Assert.True(bars[DeviceType.CHF] > 500, $"CHF bars: {bars[DeviceType.CHF]} pixels");
        Assert.True(bars[DeviceType.ESME] > 500, $"ESME bars: {bars[DeviceType.ESME]} pixels");
        if (Environment.GetEnvironmentVariable("SMI_RETENTION_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.Copy(_cli.PathOf("stock.png"), Path.Combine(folder, "stock.png"), overwrite: true);
        }
    }

    [Property(MaxTest = 500)]
    public bool Ticks_RoundStepsCoveringTheMaximumInAtMostSixTicks(FsCheck.PositiveInt max)
    {
        var (step, top) = HtmlReport.Ticks(max.Get);
        var mantissa = step;
        while (mantissa % 10 == 0)
        {
            mantissa /= 10;
        }

        return top >= max.Get && top - step < max.Get && top % step == 0 && top / step <= 5 && mantissa is 1 or 2 or 5;
    }

    [ChromiumFact]
    public void Diff_Html_RendersTwoBars()
    {
        var page = _cli.PathOf("diff.html");
        Assert.Equal(0, _cli.Run("diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", Sample, "--as-of", "2019-11-07", "--html", page).Exit);

        Assert.Equal(2, BarGroup().Count(Browser("--dump-dom", page)));
        var bars = CountSeriesPixels(Screenshot(page)).ToDictionary(p => p.Key, p => p.Value - 200);
        Assert.True(bars[DeviceType.CHF] > 500, $"CHF segment: {bars[DeviceType.CHF]} pixels");
    }

    private Png Screenshot(string page)
    {
        var png = _cli.PathOf(Path.GetFileNameWithoutExtension(page) + ".png");
        Browser($"--screenshot={png}", page, "--window-size=1100,1000");
        return Png.Read(File.ReadAllBytes(png));
    }

    private static Dictionary<DeviceType, int> CountSeriesPixels(Png image)
    {
        var counts = HtmlReport.Series.ToDictionary(s => s.Type, _ => 0);
        var rgb = HtmlReport.Series.ToDictionary(
            s => s.Type,
            s => (Convert.ToByte(s.Colour[1..3], 16), Convert.ToByte(s.Colour[3..5], 16), Convert.ToByte(s.Colour[5..7], 16)));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var pixel = image[x, y];
                foreach (var (type, colour) in rgb)
                {
                    if (pixel == colour)
                    {
                        counts[type]++;
                    }
                }
            }
        }

        return counts;
    }

    private string Browser(string action, string page, string? extra = null)
    {
        Assert.True(File.Exists(Chromium), "Chromium is not installed: apt-get install chromium (.ci/run does this).");
        var info = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={_cli.PathOf("chromium-profile")}", action,
        })
        {
            info.ArgumentList.Add(arg);
        }

        if (extra is not null)
        {
            info.ArgumentList.Add(extra);
        }

        info.ArgumentList.Add(new Uri(page).AbsoluteUri);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "Chromium did not finish in 60 seconds.");
        return output.Result;
    }

    [GeneratedRegex("<g class=\"tick\">.*?<text[^>]*>([0-9,]+)</text></g>")]
    private static partial Regex TickLabel();

    [GeneratedRegex("<g class=\"bar\"")]
    private static partial Regex BarGroup();

    [GeneratedRegex("(src|href)=\"(https?:)?//")]
    private static partial Regex ExternalReference();
}
