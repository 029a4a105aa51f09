using System.CommandLine;
using System.Globalization;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Cli.Reports;
using Smi.Retention.Cli.Reports.Models;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>stock</c>: how long the pending devices have waited, by type, generation and model, and what the pending hubs cost.</summary>
internal static class StockCommand
{
    /// <summary>The header of <c>--out</c>: one row per type, generation and model with a device pending.</summary>
    public static readonly string Header =
        "device_type,smets_generation,device_model,devices,pending,pending_percent," + string.Join(',', StockAgeing.BandStarts.Select((s, b) => "months_" + (b + 1 < StockAgeing.BandStarts.Count ? $"{s}_{StockAgeing.BandStarts[b + 1]}" : $"{s}_plus"))) + ",mean_months_pending,oldest_pending_since,longest_wait_months";

    public static Command Create(CliContext context)
    {
        var inventory = CommonOptions.Inventory();
        var asOf = CommonOptions.AsOf();
        var boundary = CommonOptions.Boundary();
        var rate = new Option<string?>("--hub-monthly-rate") { Description = "The DCC stock level charge for one Communications Hub a month, in pounds (e.g. 1.20): the pending hubs' monthly and accrued cost." };
        var output = new Option<string?>("--out") { Description = "Write the models here (- for standard output): " + Header + "." };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report here: a chart of pending devices by months pending and type, and the models' table." };
        var maxRejects = CommonOptions.MaxRejectPercent("Refuse (exit 4, nothing written) if more than this percentage of the inventory's rows is rejected (default 1).");
        var format = CommonOptions.Format();
        var command = new Command("stock", "Pending devices by type, SMETS generation and model, in bands of months pending (the longest waiting first), and the Communications Hubs' stock charges.")
        {
            inventory, asOf, boundary, rate, output, html, maxRejects, format,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            var json = JsonReport.IsJson(result.GetValue(format));
            var date = CommonOptions.ParseDate("--as-of", result.GetValue(asOf));
            var mode = CommonOptions.ParseBoundary(result.GetValue(boundary));
            var hubRate = CommonOptions.ParsePounds("--hub-monthly-rate", result.GetValue(rate));
            var maxRejectPercent = CommonOptions.ParsePercent("--max-reject-percent", result.GetValue(maxRejects)) ?? CommonOptions.DefaultMaxRejectPercent;
            var inventoryPath = result.GetValue(inventory)!;
            using var outputs = OutputPlan.Create(context, [("--out", result.GetValue(output)), ("--html", result.GetValue(html))], [("--inventory", inventoryPath)]);
            OutputPlan.CheckJsonHasStandardOutput(json, outputs);
            var (report, devices) = CommandInputs.Analyse(context, inventoryPath, date, maxRejectPercent, d => StockAgeing.Analyse(d.Stream(), date, mode, hubRate, checkRepeats: false));
            var table = StockTable.Of(inventoryPath, report, devices.Read, devices.Rejected);
            if (outputs["--out"] is { } file)
            {
                Write(file, table);
            }

            if (outputs["--html"] is { } page)
            {
                ForecastCommand.WritePage(page, HtmlReport.Stock(table));
            }

            context.Cancellation.ThrowIfCancellationRequested();
            outputs.Commit("--out", "--html");
            context.Render(table, json, outputs);

            return ExitCodes.Done;
        }));
        return command;
    }

    private static void Write(OutputFile output, StockTable table)
    {
        var file = new CsvOutput(output, Header);
        foreach (var model in table.Models)
        {
            file.Field(model.Type);
            file.Field(model.Generation);
            file.Field(model.DeviceModel);
            file.Field(model.Devices);
            file.Field(model.Pending);
            file.UniqueField(model.PendingPercent.ToString("F1", CultureInfo.InvariantCulture));
            foreach (var count in model.ByBand)
            {
                file.Field(count);
            }

            file.UniqueField(model.MeanMonthsPending.ToString("F1", CultureInfo.InvariantCulture));
            file.Field(model.OldestPendingSince);
            file.Field(model.LongestWaitMonths);
            file.EndRow();
        }

        file.Complete();
    }
}
