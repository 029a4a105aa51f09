using System.CommandLine;
using System.Diagnostics;
using NodaTime;
using Smi.Retention.Cli.Inventory;
using Smi.Retention.Cli.Output;
using Smi.Retention.Evaluation;
using Smi.Retention.Hosting;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>run</c>: decide every device of an inventory, guard the blast radius, write decisions and rejects.</summary>
internal static class RunCommand
{
    private const long LargeInput = 64L << 20;

    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var inventory = CommonOptions.Inventory();
        var asOf = CommonOptions.AsOf();
        var boundary = CommonOptions.Boundary();
        var output = new Option<string?>("--out") { Description = "Write decisions here (- for standard output): device_id,action,rule,due_date,alert, one row per accepted input row, in input order." };
        var rejects = new Option<string?>("--rejects") { Description = "Write rejected rows here (- for standard output): line,device_id,error." };
        var evidence = new Option<string?>("--evidence") { Description = "Write the evidence of every removal here as JSON Lines (- for standard output): one object per removal, with the policy's hash (schemas/output/evidence.schema.json)." };
        var maxRemovals = new Option<string?>("--max-removals") { Description = "Refuse the run (exit 3, nothing written) if it would remove more devices than this; given alone, it replaces the default 5% limit." };
        var maxPercent = new Option<string?>("--max-removal-percent") { Description = "Refuse the run (exit 3, nothing written) if it would remove more than this percentage of the devices decided; 5 unless --max-removals is given." };
        var maxRejects = CommonOptions.MaxRejectPercent("End the run with exit 4, writing only the rejects, if more than this percentage of the rows is rejected (default 1).");
        var format = CommonOptions.Format();

        var command = new Command("run", "Evaluate every device of an inventory and write the decisions.")
        {
            policy, inventory, asOf, boundary, output, rejects, evidence, maxRemovals, maxPercent, maxRejects, format,
        };
        command.SetAction(result => context.Guarded(() => Execute(
            context,
            result.GetValue(policy)!,
            result.GetValue(inventory)!,
            CommonOptions.ParseDate("--as-of", result.GetValue(asOf)),
            CommonOptions.ParseBoundary(result.GetValue(boundary)),
            result.GetValue(output),
            result.GetValue(rejects),
            result.GetValue(evidence),
            new BlastRadiusLimits(
                CommonOptions.ParseCount("--max-removals", result.GetValue(maxRemovals)),
                CommonOptions.ParsePercent("--max-removal-percent", result.GetValue(maxPercent)) / 100m),
            CommonOptions.ParsePercent("--max-reject-percent", result.GetValue(maxRejects)) ?? CommonOptions.DefaultMaxRejectPercent,
            JsonReport.IsJson(result.GetValue(format)))));
        return command;
    }

    private static int Execute(
        CliContext context, string policyName, string inventoryPath, LocalDate asOf, BoundaryMode boundary,
        string? outputPath, string? rejectsPath, string? evidencePath, BlastRadiusLimits limits, decimal maxRejectPercent, bool json)
    {
        var clock = Stopwatch.StartNew();
        var policy = CommonOptions.LoadPolicy(policyName, boundary);
        var evaluator = policy.For(asOf);
        var duplicates = new DuplicateCheck();
        while (true)
        {
            using var outputs = OutputPlan.Create(context, [("--out", outputPath), ("--rejects", rejectsPath), ("--evidence", evidencePath)], [("--inventory", inventoryPath), .. CommonOptions.Inputs("--policy", policy)]);
            CommonOptions.CheckJsonHasStandardOutput(json, outputs);
            var (summary, rejected) = Pass(context, evaluator, inventoryPath, asOf, outputs, duplicates);

            // A device listed twice had its first row decided before the second was met: read the
            // inventory again, rejecting every row of such devices, with fresh outputs.
            if (duplicates.ReadAgain(inventoryPath))
            {
                continue;
            }

            rejected.Show(context.Error, summary.Rejected);

            // A run that rejects too much of its input is suspect as a whole: its rejects are written
            // so the operator can see why, its decisions are not.
            if (summary.Rejected * 100m > maxRejectPercent * summary.Read)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                outputs.Commit("--rejects");
                context.Error.WriteLine(CliMessages.TooManyRejects(summary.Rejected, summary.Read, maxRejectPercent, maxRejectPercent == CommonOptions.DefaultMaxRejectPercent, rejectsPath));
                return ExitCodes.TooManyRejects;
            }

            var removals = summary.Count(RetentionAction.Remove);
            if (limits.Exceeded(removals, summary.Decided) is { } exceeded)
            {
                context.Error.WriteLine(CliMessages.Refused(removals, summary.Decided, limits, exceeded));
                return ExitCodes.Refused;
            }

            context.Cancellation.ThrowIfCancellationRequested();
            outputs.Commit("--out", "--rejects", "--evidence");
            clock.Stop();
            if (json)
            {
                summary.PrintJson(context.Output, policy, evaluator, inventoryPath, outputPath, rejectsPath, evidencePath, clock.Elapsed);
            }
            else
            {
                summary.Print(outputs.WritesStandardOutput ? context.Error : context.Output, policy, evaluator, inventoryPath, outputPath, rejectsPath, evidencePath, clock.Elapsed);
            }

            return ExitCodes.Done;
        }
    }

    /// <summary>One reading of the inventory: every row decided or rejected, the outputs written (not committed).</summary>
    /// <returns>The counts, and the rejects (written, or the first to show).</returns>
    private static (RunSummary Summary, RejectSink Rejected) Pass(
        CliContext context, PolicyEvaluator evaluator, string inventoryPath, LocalDate asOf, OutputPlan outputs, DuplicateCheck duplicates)
    {
        using var reader = CommonOptions.OpenInventory(context, inventoryPath, asOf);
        var decisionsFile = outputs["--out"] is { } decisionsOutput ? new CsvOutput(decisionsOutput, "device_id,action,rule,due_date,alert") : null;
        var rejected = new RejectSink(outputs["--rejects"]);
        using var evidence = outputs["--evidence"] is { } evidenceOutput ? new EvidenceJsonLinesWriter(evidenceOutput.Stream, leaveOpen: true) : null;
        using var progress = Progress.Start(context, reader.Length > LargeInput, reader.Length);

        var summary = new RunSummary();
        var records = new DeviceRecord[ParsedChunks.Size];
        var decisions = new RetentionDecision[ParsedChunks.Size];
        var sized = false;

        // Two stages on two cores: this thread checks ids, decides and writes while a second one
        // reads and parses the next rows. Chunks keep input order and are recycled.
        foreach (var chunk in ParsedChunks.Read(reader, inventoryPath, context.Cancellation))
        {
            // Size the set of ids once from the first chunk's bytes per row, so it need not grow.
            if (!sized)
            {
                duplicates.Expect(chunk.Position == 0 || reader.Length == 0 ? chunk.Count : reader.Length * chunk.Count / chunk.Position);
                sized = true;
            }

            var accepted = 0;
            for (var i = 0; i < chunk.Count; i++)
            {
                ref readonly var row = ref chunk.Rows[i];
                summary.Read++;
                var error = duplicates.Problem(row);
                if (error is null)
                {
                    records[accepted++] = row.Record;
                    continue;
                }

                summary.Rejected++;
                rejected.Add(row.Line, row.IdText ?? row.Record.Id.ToString(), error);
            }

            Decide(evaluator, records, decisions, accepted, decisionsFile, evidence, summary);
            progress.Report(chunk.Position, summary.Read);
            chunk.Recycle();
        }

        decisionsFile?.Complete();
        rejected.Complete();
        return (summary, rejected);
    }

    private static void Decide(PolicyEvaluator evaluator, DeviceRecord[] records, RetentionDecision[] decisions, int count, CsvOutput? output, EvidenceJsonLinesWriter? evidence, RunSummary summary)
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
            if (evidence is not null && decision.IsRemoval)
            {
                evidence.Write(RemovalEvidence.Of(evaluator, records[i], decision));
            }

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
