using System.CommandLine;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Cli.Reports.Models;
using Smi.Retention.Cli.Problems;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
using NodaTime;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>diff</c>: every device whose action changes between two policies, with totals by type and direction.</summary>
internal static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var against = new Option<string>("--against") { Description = "The policy to compare with (a built-in name or a file), e.g. the one in force.", Required = true };
        // Required unless --symbolic, which answers from the two policies alone.
        var inventory = CommonOptions.Inventory();
        inventory.Required = false;
        var asOf = CommonOptions.AsOf();
        asOf.Required = false;
        var symbolic = new Option<bool>("--symbolic")
        {
            Description = "Answer from the two policies alone, with no inventory: every class of devices whose action changes (type, status, history, months held), merged into few regions; with --as-of, the versions in force then and each region's status dates.",
        };
        var boundary = CommonOptions.Boundary();
        var output = new Option<string?>("--out") { Description = "Write every changed device here: device_id,device_type,direction,action_against,rule_against,action_policy,rule_policy." };
        var html = new Option<string?>("--html") { Description = "Write a self-contained HTML report here: the totals and a chart by device type." };
        var maxRejects = CommonOptions.MaxRejectPercent("Refuse (exit 4, nothing written) if more than this percentage of the inventory's rows is rejected (default 1).");
        var format = CommonOptions.Format();
        var command = new Command("diff", "Which devices change action between two policies on one date, and how many of each type.")
        {
            policy, against, inventory, asOf, boundary, symbolic, output, html, maxRejects, format,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            if (result.GetValue(symbolic))
            {
                foreach (var unused in new Option[] { inventory, output, html, maxRejects }.Where(o => result.GetResult(o) is not null))
                {
                    throw new UsageException(ProblemCodes.OptionValue, CliMessages.SymbolicTakesNo(unused.Name));
                }

                return SymbolicDiffCommand.Execute(
                    context, result.GetValue(policy)!, result.GetValue(against)!, result.GetValue(asOf) is { } text ? CommonOptions.ParseDate("--as-of", text) : null,
                    CommonOptions.ParseBoundary(result.GetValue(boundary)), JsonReport.IsJson(result.GetValue(format)));
            }

            if (result.GetValue(inventory) is null || result.GetValue(asOf) is null)
            {
                throw new UsageException(ProblemCodes.CommandLine, CliMessages.DiffNeedsInventory());
            }

            var date = CommonOptions.ParseDate("--as-of", result.GetValue(asOf));
            var json = JsonReport.IsJson(result.GetValue(format));
            var mode = CommonOptions.ParseBoundary(result.GetValue(boundary));
            var proposed = CommandInputs.LoadPolicy(result.GetValue(policy)!, mode);
            var current = CommandInputs.LoadPolicy(result.GetValue(against)!, mode, "--against");
            var maxRejectPercent = CommonOptions.ParsePercent("--max-reject-percent", result.GetValue(maxRejects)) ?? CommonOptions.DefaultMaxRejectPercent;
            var inventoryPath = result.GetValue(inventory)!;
            (string, string?)[] written = [("--out", result.GetValue(output)), ("--html", result.GetValue(html))];
            (string, string?)[] read = [("--inventory", inventoryPath), .. CommandInputs.Inputs("--policy", proposed), .. CommandInputs.Inputs("--against", current)];
            var outputs = OutputPlan.Create(context, written, read);
            try
            {
                OutputPlan.CheckJsonHasStandardOutput(json, outputs);
                var passes = 0;
                var (report, devices) = CommandInputs.Analyse(context, inventoryPath, date, maxRejectPercent, d =>
                {
                    // A device listed twice is found only after a reading, which is then read again
                    // rejecting its rows: the changes written by the first reading are dropped with its outputs.
                    if (passes++ > 0)
                    {
                        outputs.Dispose();
                        outputs = OutputPlan.Create(context, written, read);
                    }

                    return Compare(proposed, current, d.Stream(), date, outputs["--out"]);
                }, proposed, current);

                if (outputs["--html"] is { } page)
                {
                    ForecastCommand.WritePage(page, Reports.HtmlReport.Diff(report, proposed, current));
                }

                context.Cancellation.ThrowIfCancellationRequested();
                outputs.Commit("--out", "--html");
                var totals = DiffTotals.Of(proposed, current, date, report, devices.Read, devices.Rejected);
                context.Render(totals, json, outputs);

                return ExitCodes.Done;
            }
            finally
            {
                outputs.Dispose();
            }
        }));
        return command;
    }

    /// <summary>One reading: every device decided under both policies, each change written to <paramref name="changes"/> as it is found (none kept).</summary>
    private static DiffReport Compare(CompiledPolicy proposed, CompiledPolicy current, IEnumerable<DeviceRecord> devices, LocalDate asOf, OutputFile? changes)
    {
        var file = changes is null ? null : new CsvOutput(changes, "device_id,device_type,direction,action_against,rule_against,action_policy,rule_policy");
        var report = PolicyDiff.Compare(proposed, current, devices, asOf, checkRepeats: false, change =>
        {
            if (file is null)
            {
                return;
            }

            file.Field(change.Device.Id);
            file.Field(Names.Of(change.Device.Type));
            file.Field(Names.Of(change.Direction));
            file.Field(Names.Of(change.Against.Action));
            file.Field(change.Against.Rule?.Name);
            file.Field(Names.Of(change.Proposed.Action));
            file.Field(change.Proposed.Rule?.Name);
            file.EndRow();
        }, kept: null);
        file?.Complete();
        return report;
    }
}

/// <summary>Names written to files, one string each so the writer encodes each once.</summary>
internal static class Names
{
    private static readonly Dictionary<Enum, string> Cache = [];

    public static string Of(Enum value)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(value, out var name))
            {
                Cache[value] = name = value.ToString();
            }

            return name;
        }
    }
}
