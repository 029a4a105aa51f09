using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Smi.Retention.Cli.Inventory;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>run</c>: decide every device of an inventory, guard the blast radius, write decisions and rejects.</summary>
internal static class RunCommand
{
    private const int Chunk = 1 << 16;
    private const long LargeInput = 64L << 20;
    private const double DefaultMaxRemovalPercent = 5;

    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var inventory = CommonOptions.Inventory();
        var asOf = CommonOptions.AsOf();
        var boundary = CommonOptions.Boundary();
        var output = new Option<string?>("--out") { Description = "Write decisions here: device_id,action,rule,due_date,alert, one row per accepted input row, in input order." };
        var rejects = new Option<string?>("--rejects") { Description = "Write rejected rows here: line,device_id,error." };
        var maxRemovals = new Option<long?>("--max-removals") { Description = "Refuse the run (exit 3, nothing written) if it would remove more devices than this." };
        var maxPercent = new Option<double>("--max-removal-percent")
        {
            Description = "Refuse the run (exit 3, nothing written) if it would remove more than this percentage of the decided devices.",
            DefaultValueFactory = _ => DefaultMaxRemovalPercent,
        };

        var command = new Command("run", "Evaluate every device of an inventory and write the decisions.")
        {
            policy, inventory, asOf, boundary, output, rejects, maxRemovals, maxPercent,
        };
        command.SetAction(result => context.Guarded(() => Execute(
            context,
            result.GetValue(policy)!,
            result.GetValue(inventory)!,
            CommonOptions.ParseDate("--as-of", result.GetValue(asOf)),
            CommonOptions.ParseBoundary(result.GetValue(boundary)),
            result.GetValue(output),
            result.GetValue(rejects),
            result.GetValue(maxRemovals),
            result.GetValue(maxPercent))));
        return command;
    }

    private static int Execute(
        CliContext context, string policyName, string inventoryPath, LocalDate asOf, BoundaryMode boundary,
        string? outputPath, string? rejectsPath, long? maxRemovals, double maxPercent)
    {
        if (maxPercent is < 0 or > 100 || double.IsNaN(maxPercent))
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--max-removal-percent {maxPercent} is not a percentage; give a number from 0 to 100."));
        }

        if (maxRemovals is < 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--max-removals {maxRemovals} is negative; give a count of devices, 0 or more."));
        }

        var clock = Stopwatch.StartNew();
        var policy = CommonOptions.LoadPolicy(policyName, boundary);
        var evaluator = policy.For(asOf);
        using var reader = InventoryReader.Open(inventoryPath, asOf);
        using var decisionsFile = outputPath is null ? null : new CsvOutput(outputPath, "device_id,action,rule,due_date,alert");
        using var rejectsFile = rejectsPath is null ? null : new CsvOutput(rejectsPath, "line,device_id,error");
        using var progress = Progress.Start(context, reader.Length > LargeInput, reader.Length);

        var summary = new RunSummary();
        var records = new DeviceRecord[Chunk];
        var decisions = new RetentionDecision[Chunk];
        var pending = 0;
        var shownRejects = 0;
        while (reader.Read(out var row))
        {
            summary.Read++;
            if (row.IsAccepted)
            {
                records[pending++] = row.Record;
                if (pending == Chunk)
                {
                    Decide(evaluator, records, decisions, pending, decisionsFile, summary);
                    pending = 0;
                    progress.Report(reader.Position, summary.Read);
                }

                continue;
            }

            summary.Rejected++;
            if (rejectsFile is not null)
            {
                rejectsFile.Field(row.Line);
                rejectsFile.Field(row.IdText);
                rejectsFile.Field(row.Error);
                rejectsFile.EndRow();
            }
            else if (shownRejects++ < 20)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rejected line {row.Line} ({row.IdText}): {row.Error}"));
            }
        }

        Decide(evaluator, records, decisions, pending, decisionsFile, summary);
        progress.Report(reader.Position, summary.Read);
        progress.Dispose();

        if (rejectsFile is null && summary.Rejected > 20)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... and {summary.Rejected - 20:N0} more rejected rows; use --rejects <csv> to write them all."));
        }

        var removals = summary.Count(RetentionAction.Remove);
        var decided = summary.Decided;
        var overCount = maxRemovals is { } max && removals > max;
        var overPercent = decided > 0 && removals * 100.0 / decided > maxPercent;
        if (overCount || overPercent)
        {
            var limit = overCount
                ? maxRemovals!.Value.ToString("N0", CultureInfo.InvariantCulture) + " devices (--max-removals)"
                : maxPercent.ToString(CultureInfo.InvariantCulture) + "% (--max-removal-percent" + (maxPercent == DefaultMaxRemovalPercent ? ", the default" : "") + ")";
            context.Error.WriteLine(CliMessages.Refused(removals, decided, limit));
            return ExitCodes.Refused;
        }

        decisionsFile?.Commit();
        rejectsFile?.Commit();
        clock.Stop();
        summary.Print(context.Output, policy, evaluator, inventoryPath, outputPath, rejectsPath, clock.Elapsed);
        return ExitCodes.Done;
    }

    private static void Decide(PolicyEvaluator evaluator, DeviceRecord[] records, RetentionDecision[] decisions, int count, CsvOutput? output, RunSummary summary)
    {
        if (count == 0)
        {
            return;
        }

        evaluator.Evaluate(records.AsSpan(0, count), decisions.AsSpan(0, count));
        for (var i = 0; i < count; i++)
        {
            var decision = decisions[i];
            summary.Add(records[i].Type, decision);
            if (output is null)
            {
                continue;
            }

            output.Field(records[i].Id);
            output.Field(ActionText(decision.Action));
            output.Field(decision.Rule?.Name);
            output.Field(decision.DueDate);
            output.Field(decision.Alert);
            output.EndRow();
        }
    }

    private static string ActionText(RetentionAction action) => action switch
    {
        RetentionAction.Remove => "Remove",
        RetentionAction.Retain => "Retain",
        _ => "Undetermined",
    };
}
