using System.CommandLine;
using System.Globalization;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Cli.Reports.Models;
using Smi.Retention.Impact;
using Smi.Retention.Inventory;
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
        var months = new Option<string?>("--months") { Description = "How many months to forecast (default 12)." };
        var cost = new Option<string?>("--cost-per-device") { Description = "The cost of one removal, a figure or a range such as 36-50." };
        var boundary = CommonOptions.Boundary();
        var output = new Option<string?>("--out") { Description = "Write the table here: month_start,<one column per type>,total,cost_low,cost_high; its first row, 'now', is the backlog already removable on --from; after the months, 'later' and 'undetermined' (no cost)." };
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
            var count = (int)CommonOptions.ParseWhole("--months", result.GetValue(months), 12, 1, RetentionPeriod.MaxMonths, "a number of months");

            var band = result.GetValue(cost) is { } costText ? CommonOptions.ParseCost(costText) : (CostBand?)null;

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
                (report, devices) = CommandInputs.Analyse(context, inventoryPath, start, maxRejectPercent, d => PolicyForecast.Run(compiled, d.Stream(), start, count, band, checkRepeats: false), compiled);
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
            var forecast = ForecastTable.Of(compiled, report, devices.Read, devices.Rejected);
            context.Render(forecast, json, outputs);

            return ExitCodes.Done;
        }));
        return command;
    }

    internal static void WritePage(OutputFile page, string html) => page.Stream.Write(System.Text.Encoding.UTF8.GetBytes(html));

    /// <summary>
    /// The table as the text shows it, a column for every device type (a fixed header): first the
    /// backlog, "now", then each month, so that those rows add up to the forecast's removals in
    /// all; then the devices that become removable after the window and those that cannot be
    /// decided (no cost: neither is a removal the forecast counts), so that every row adds up to the
    /// devices read but those no version ever removes.
    /// </summary>
    private static void Write(OutputFile output, ForecastReport report)
    {
        var types = DeviceTypes.All.ToArray();
        var file = new CsvOutput(output, "month_start," + string.Join(',', types) + ",total,cost_low,cost_high");
        void Row(Func<DeviceType, long> removals, long total, CostBand? cost)
        {
            foreach (var type in types)
            {
                file.Field(removals(type));
            }

            file.Field(total);
            file.UniqueField(cost?.Low.ToString(CultureInfo.InvariantCulture));
            file.UniqueField(cost?.High.ToString(CultureInfo.InvariantCulture));
            file.EndRow();
        }

        file.Field(BacklogRow);
        Row(report.Backlog, report.BacklogTotal, report.BacklogCost);
        for (var m = 0; m < report.MonthStarts.Count; m++)
        {
            file.Field(report.MonthStarts[m]);
            Row(type => report.Removals(m, type), report.Removals(m), report.Cost(m));
        }

        file.Field(ForecastTable.LaterRow);
        Row(report.DueLaterOf, report.DueLater, null);
        file.Field(ForecastTable.UndeterminedRow);
        Row(report.UndeterminedOf, report.Undetermined, null);

        file.Complete();
    }

    /// <summary>The first cell of the backlog's row, as the text table names it.</summary>
    internal const string BacklogRow = "now";
}
