using System.CommandLine;
using System.Globalization;
using NodaTime.Text;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>forecast</c>: removals per month by device type, and their cost, if no status changes.</summary>
internal static class ForecastCommand
{
    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var inventory = CommonOptions.Inventory();
        var from = new Option<string>("--from") { Description = "The first day of the forecast, yyyy-MM-dd (the inventory's date).", Required = true };
        var months = new Option<int>("--months") { Description = "How many months to forecast.", DefaultValueFactory = _ => 12 };
        var cost = new Option<string?>("--cost-per-device") { Description = "The cost of one removal, a figure or a range such as 36-50." };
        var boundary = CommonOptions.Boundary();
        var output = new Option<string?>("--out") { Description = "Write the months here: month_start,<one column per type>,total,cost_low,cost_high." };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report here: the table and a chart of removals per month by device type." };
        var maxRejects = CommonOptions.MaxRejectPercent("Refuse (exit 4, nothing written) if more than this percentage of the inventory's rows is rejected (default 1).");
        var format = CommonOptions.Format();
        var command = new Command("forecast", "Removals per month by device type under a policy or timeline, assuming no status changes.")
        {
            policy, inventory, from, months, cost, boundary, output, html, maxRejects, format,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            var json = JsonReport.IsJson(result.GetValue(format));
            var start = CommonOptions.ParseDate("--from", result.GetValue(from));
            var count = result.GetValue(months);
            if (count is < 1 or > RetentionPeriod.MaxMonths)
            {
                throw new UsageException(ProblemCodes.OptionValue, string.Create(CultureInfo.InvariantCulture, $"--months {count} is out of range; give 1 to {RetentionPeriod.MaxMonths}."));
            }

            CostBand? band = null;
            if (result.GetValue(cost) is { } costText)
            {
                try
                {
                    band = CostBand.Parse(costText);
                }
                catch (FormatException e)
                {
                    throw new UsageException(ProblemCodes.OptionValue, "--cost-per-device: " + e.Message);
                }
            }

            var compiled = CommandInputs.LoadPolicy(result.GetValue(policy)!, CommonOptions.ParseBoundary(result.GetValue(boundary)));
            var maxRejectPercent = CommonOptions.ParsePercent("--max-reject-percent", result.GetValue(maxRejects)) ?? CommonOptions.DefaultMaxRejectPercent;
            var inventoryPath = result.GetValue(inventory)!;
            using var outputs = OutputPlan.Create(
                context,
                [("--out", result.GetValue(output)), ("--html", result.GetValue(html))],
                [("--inventory", inventoryPath), .. CommandInputs.Inputs("--policy", compiled)]);
            OutputPlan.CheckJsonHasStandardOutput(json, outputs);
            ForecastReport report;
            AcceptedDevices devices;
            try
            {
                (report, devices) = CommandInputs.Analyse(context, inventoryPath, start, maxRejectPercent, d => PolicyForecast.Run(compiled, d.Stream(), start, count, band, checkRepeats: false));
            }
            catch (ArgumentOutOfRangeException e) when (e.ParamName == "months")
            {
                throw new UsageException(ProblemCodes.OptionValue, Messages.ForecastPastTheEndOfDates(start, count));
            }

            if (outputs["--out"] is { } table)
            {
                Write(table, report);
            }

            if (outputs["--html"] is { } page)
            {
                WritePage(page, Reports.HtmlReport.Forecast(compiled, report));
            }

            context.Cancellation.ThrowIfCancellationRequested();
            outputs.Commit("--out", "--html");
            if (json)
            {
                PrintJson(context.Output, compiled, report, devices);
            }
            else
            {
                Print(outputs.WritesStandardOutput ? context.Error : context.Output, compiled, report, devices);
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    internal static void WritePage(OutputFile page, string html) => page.Stream.Write(System.Text.Encoding.UTF8.GetBytes(html));

    private static void Write(OutputFile output, ForecastReport report)
    {
        var types = DeviceTypes.All.ToArray();
        var file = new CsvOutput(output, "month_start," + string.Join(',', types) + ",total,cost_low,cost_high");
        for (var m = 0; m < report.MonthStarts.Count; m++)
        {
            file.Field(report.MonthStarts[m]);
            foreach (var type in types)
            {
                file.UniqueField(report.Removals(m, type).ToString(CultureInfo.InvariantCulture));
            }

            file.UniqueField(report.Removals(m).ToString(CultureInfo.InvariantCulture));
            file.UniqueField(report.Cost(m)?.Low.ToString(CultureInfo.InvariantCulture));
            file.UniqueField(report.Cost(m)?.High.ToString(CultureInfo.InvariantCulture));
            file.EndRow();
        }

        file.Complete();
    }

    /// <summary>The forecast as one JSON document (schemas/output/forecast.schema.json).</summary>
    private static void PrintJson(TextWriter output, CompiledPolicy policy, ForecastReport report, AcceptedDevices devices)
    {
        var types = DeviceTypes.All.ToArray().Where(t => t.HasSmiStatus()).ToArray();
        using var document = JsonReport.Start(output, "forecast");
        var json = document.Writer;
        JsonReport.Policy(json, "policy", policy);
        JsonReport.Date(json, "from", report.MonthStarts[0]);
        json.WriteString("boundary", policy.Boundary.ToString());
        JsonReport.Rows(json, devices.Read, "forecast", report.DevicesRead, devices.Rejected);
        json.WriteNumber("backlog", report.BacklogTotal);
        JsonReport.ByType(json, "backlogByType", report.Backlog, types);
        Band(json, "backlogCost", report.BacklogCost);
        Band(json, "totalCost", report.TotalCost);
        json.WriteNumber("removalsInWindow", report.RemovalsTotal);
        json.WriteNumber("dueLater", report.DueLater);
        json.WriteNumber("undetermined", report.Undetermined);
        Band(json, "costPerDevice", report.CostPerDevice);
        json.WriteStartArray("months");
        for (var m = 0; m < report.MonthStarts.Count; m++)
        {
            json.WriteStartObject();
            JsonReport.Date(json, "start", report.MonthStarts[m]);
            json.WriteNumber("total", report.Removals(m));
            JsonReport.ByType(json, "byType", type => report.Removals(m, type), types);
            Band(json, "cost", report.Cost(m));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Band(System.Text.Json.Utf8JsonWriter json, string name, CostBand? band)
    {
        if (band is not { } b)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteNumber("low", b.Low);
        json.WriteNumber("high", b.High);
        json.WriteEndObject();
    }

    private static void Print(TextWriter o, CompiledPolicy policy, ForecastReport report, AcceptedDevices devices)
    {
        var c = CultureInfo.InvariantCulture;
        var date = LocalDatePattern.Iso;
        var types = DeviceTypes.All.ToArray().Where(t => t.HasSmiStatus()).ToArray();
        o.WriteLine(string.Create(c, $"Forecast   {policy.Name} (sha256 {policy.ContentHash[..12]}), {report.MonthStarts.Count} months from {date.Format(report.MonthStarts[0])}, if no status changes"));
        o.WriteLine(string.Create(c, $"Rows       {devices.Read:N0} read = {report.DevicesRead:N0} forecast + {devices.Rejected:N0} rejected"));
        o.WriteLine(string.Create(c, $"Backlog    {report.BacklogTotal:N0} devices already removable on {date.Format(report.MonthStarts[0])}"));
        o.WriteLine(string.Create(c, $"Window     {report.RemovalsTotal:N0} become removable in the window; {report.DueLater:N0} later; {report.Undetermined:N0} undetermined"));
        o.WriteLine();
        var header = string.Concat(types.Select(t => $"{t,8}"));
        o.WriteLine(string.Create(c, $"  {"month from",-12}{header}{"total",9}{(report.CostPerDevice is null ? "" : "   cost (GBP)")}"));
        static string Band(CostBand? band) => band is { } b ? string.Create(CultureInfo.InvariantCulture, $"   {b.Low:N0}-{b.High:N0}") : "";
        var backlog = string.Concat(types.Select(t => string.Create(c, $"{report.Backlog(t),8:N0}")));
        o.WriteLine(string.Create(c, $"  {"now",-12}{backlog}{report.BacklogTotal,9:N0}{Band(report.BacklogCost)}"));
        for (var m = 0; m < report.MonthStarts.Count; m++)
        {
            var cells = string.Concat(types.Select(t => string.Create(c, $"{report.Removals(m, t),8:N0}")));
            o.WriteLine(string.Create(c, $"  {date.Format(report.MonthStarts[m]),-12}{cells}{report.Removals(m),9:N0}{Band(report.Cost(m))}"));
        }

        o.WriteLine(string.Create(c, $"  {"in all",-12}{new string(' ', types.Length * 8)}{report.BacklogTotal + report.RemovalsTotal,9:N0}{Band(report.TotalCost)}"));
    }
}
