using System.CommandLine;
using System.Diagnostics;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Cli.Problems;
using Smi.Retention.Evaluation;
using Smi.Retention.Inventory;

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
        var alerts = new Option<string?>("--alerts") { Description = "Write the alerts the removals send here (- for standard output): " + AlertSink.Header + ", one line per alert (N8 to the notifying Service User), grouped by Service User; those with none recorded last." };
        var maxRemovals = new Option<string?>("--max-removals") { Description = "Refuse the run (exit 3, nothing written) if it would remove more devices than this; given alone, it replaces the default 5% limit." };
        var maxPercent = new Option<string?>("--max-removal-percent") { Description = "Refuse the run (exit 3, nothing written) if it would remove more than this percentage of the devices decided; 5 unless --max-removals is given." };
        var maxRejects = CommonOptions.MaxRejectPercent("End the run with exit 4, writing only the rejects, if more than this percentage of the rows is rejected (default 1).");
        var format = CommonOptions.Format();

        var command = new Command("run", "Evaluate every device of an inventory and write the decisions.")
        {
            policy, inventory, asOf, boundary, output, rejects, evidence, alerts, maxRemovals, maxPercent, maxRejects, format,
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
            result.GetValue(alerts),
            new BlastRadiusLimits(
                CommonOptions.ParseCount("--max-removals", result.GetValue(maxRemovals)),
                CommonOptions.ParsePercent("--max-removal-percent", result.GetValue(maxPercent)) / 100m),
            CommonOptions.ParsePercent("--max-reject-percent", result.GetValue(maxRejects)) ?? CommonOptions.DefaultMaxRejectPercent,
            JsonReport.IsJson(result.GetValue(format)))));
        return command;
    }

    private static int Execute(
        CliContext context, string policyName, string inventoryPath, LocalDate asOf, BoundaryMode boundary,
        string? outputPath, string? rejectsPath, string? evidencePath, string? alertsPath, BlastRadiusLimits limits, decimal maxRejectPercent, bool json)
    {
        var clock = Stopwatch.StartNew();
        var policy = CommandInputs.LoadPolicy(policyName, boundary);
        var evaluator = policy.For(asOf);
        using var duplicates = new DuplicateCheck();
        var warned = false;
        while (true)
        {
            using var outputs = OutputPlan.Create(context, [("--out", outputPath), ("--rejects", rejectsPath), ("--evidence", evidencePath), ("--alerts", alertsPath)], [("--inventory", inventoryPath), .. CommandInputs.Inputs("--policy", policy)]);
            OutputPlan.CheckJsonHasStandardOutput(json, outputs);
            var (summary, rejected, end) = Pass(context, evaluator, inventoryPath, asOf, outputs, duplicates, warned ? null : policy);
            warned = true;

            // A device listed twice had its first row decided before the second was met: read the
            // inventory again, rejecting every row of such devices, with fresh outputs (the second
            // reading proves it read the same bytes).
            switch (end)
            {
                case PassEnd.ReadAgain:
                    continue;
                case PassEnd.CannotReadAgain:
                    throw new TooManyRejectsException(ProblemCodes.RepeatedUnrereadable, CliMessages.DuplicatesNotRereadable(duplicates.Repeated, inventoryPath), new Dictionary<string, decimal> { ["repeatedDevices"] = duplicates.Repeated });
            }

            rejected.Show(context, summary.Rejected);

            // A run that rejects too much of its input is suspect as a whole: its rejects are written
            // so the operator can see why, its decisions are not.
            if (summary.Rejected * 100m > maxRejectPercent * summary.Read)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                outputs.Commit("--rejects");
                throw new TooManyRejectsException(
                    ProblemCodes.TooManyRejects,
                    CliMessages.TooManyRejects(summary.Rejected, summary.Read, maxRejectPercent, maxRejectPercent == CommonOptions.DefaultMaxRejectPercent, rejectsPath, byRun: true),
                    TooManyRejectsException.RejectFacts(summary.Rejected, summary.Read, maxRejectPercent));
            }

            var removals = summary.Count(RetentionAction.Remove);
            if (limits.Exceeded(removals, summary.Decided) is { } exceeded)
            {
                var facts = new Dictionary<string, decimal> { ["removals"] = removals, ["decided"] = summary.Decided };
                if (limits.MaxRemovals is { } most)
                {
                    facts["maxRemovals"] = most;
                }

                if (limits.FractionInForce is { } fraction)
                {
                    facts["maxRemovalPercent"] = fraction * 100;
                }

                throw new RefusedException(CliMessages.Refused(removals, summary.Decided, limits, exceeded), facts);
            }

            context.Cancellation.ThrowIfCancellationRequested();

            // The summary names the tzdb and writes the date: NodaTime's time zone data and date
            // patterns (about 25 ms on first use) are read on another core while this one waits for
            // the outputs to reach the disk.
            _ = Task.Run(() => (LondonDates.TzdbVersion, LocalDatePattern.Iso.Format(asOf)));
            outputs.Commit("--out", "--rejects", "--evidence", "--alerts");
            clock.Stop();
            var report = summary.Report(policy, evaluator, inventoryPath, outputPath, rejectsPath, evidencePath, alertsPath, clock.Elapsed);
            context.Render(report, json, outputs);

            return ExitCodes.Done;
        }
    }

    /// <summary>One reading of the inventory: every row decided or rejected, the outputs written (not committed).</summary>
    /// <returns>The counts, the rejects (written, or the first to show), and whether the inventory must be read again.</returns>
    private static (RunSummary Summary, RejectSink Rejected, PassEnd End) Pass(
        CliContext context, PolicyEvaluator evaluator, string inventoryPath, LocalDate asOf, OutputPlan outputs, DuplicateCheck duplicates, CompiledPolicy? warnFor)
    {
        using var reader = CommandInputs.OpenInventory(context, inventoryPath, asOf);
        duplicates.CheckReopened(reader); // a second reading of a file replaced or changed since the first: refused before a row is decided
        if (warnFor is not null)
        {
            CommandInputs.WarnOfThePolicies(context, reader, [warnFor]);
        }

        var decisionsFile = outputs["--out"] is { } decisionsOutput ? new CsvOutput(decisionsOutput, DecisionRows.Header) : null;
        var rejected = new RejectSink(outputs["--rejects"]);
        using var evidence = outputs["--evidence"] is { } evidenceOutput ? new EvidenceJsonLinesWriter(evidenceOutput.Stream, leaveOpen: true) : null;
        using var progress = Progress.Start(context, reader.Length > LargeInput, reader.Length);
        var summary = new RunSummary(new AlertSink(outputs["--alerts"], evaluator));
        var first = true;

        // Every core parses rows, decides them and formats their decisions, a chunk at a time; this
        // thread takes the chunks in input order to check ids, count, and write.
        var chunks = ParsedChunks.Read(reader, inventoryPath, () => new FormattedChunk(decisionsFile is not null), chunk => chunk.Decide(evaluator), context.Cancellation);
        foreach (var chunk in chunks)
        {
            if (first)
            {
                duplicates.Expect(chunk, reader.Length);
                first = false;
            }

            Take(chunk, evaluator, duplicates, decisionsFile, rejected, evidence, summary);
            progress.Report(chunk.Position, summary.Read);
        }

        decisionsFile?.Complete();
        outputs["--out"]?.StartFlush(); // the largest output reaches the disk while the duplicates are checked
        rejected.Complete();
        summary.Alerts.Complete();
        if (warnFor is not null)
        {
            CommandInputs.WarnOfUnseenModels(context, reader, [warnFor]);
        }

        return (summary, rejected, duplicates.AfterPass(reader, context.Cancellation));
    }

    /// <summary>Counts a decided chunk's rows and writes them, in input order: its decisions, and every reject with its line.</summary>
    private static void Take(FormattedChunk chunk, PolicyEvaluator evaluator, DuplicateCheck duplicates, CsvOutput? decisionsFile, RejectSink rejected, EvidenceJsonLinesWriter? evidence, RunSummary summary)
    {
        if (duplicates.Rechecking)
        {
            TakeRowByRow(chunk, evaluator, duplicates, decisionsFile, rejected, evidence, summary);
            return;
        }

        // A first pass decides every valid row: the chunk's counts and text are taken whole.
        summary.Read += chunk.Count;
        if (chunk.Rejects > 0)
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                ref readonly var row = ref chunk.Rows[i];
                if (row.Error is { } error)
                {
                    summary.Rejected++;
                    rejected.Add(row.Line, row.IdText!, error);
                    duplicates.CollectRejected(row);
                }
            }
        }

        var records = chunk.Records.AsSpan(0, chunk.Accepted);
        duplicates.Collect(records);
        summary.Add(chunk.Counts, chunk.Undetermined.Select(index => chunk.Decisions[index]));
        foreach (var index in chunk.Removals)
        {
            evidence?.Write(RemovalEvidence.Of(evaluator, records[index], chunk.Decisions[index]));
            summary.Alerts.Add(records[index], chunk.Decisions[index]);
        }

        decisionsFile?.Rows(chunk.Decided(0, chunk.Accepted));
    }

    /// <summary>A second pass: the rows of devices listed more than once are rejected, and their decisions left out, row by row.</summary>
    private static void TakeRowByRow(FormattedChunk chunk, PolicyEvaluator evaluator, DuplicateCheck duplicates, CsvOutput? decisionsFile, RejectSink rejected, EvidenceJsonLinesWriter? evidence, RunSummary summary)
    {
        var decided = 0;
        for (var i = 0; i < chunk.Count; i++)
        {
            ref readonly var row = ref chunk.Rows[i];
            summary.Read++;
            var error = duplicates.Problem(row);
            var index = row.IsAccepted ? decided++ : -1;
            if (error is not null)
            {
                summary.Rejected++;
                rejected.Add(row.Line, row.IdText ?? row.Record.Id.ToString(), error);
                continue;
            }

            var decision = chunk.Decisions[index];
            summary.Add(row.Record.Type, decision);
            if (decision.IsRemoval)
            {
                evidence?.Write(RemovalEvidence.Of(evaluator, chunk.Records[index], decision));
                summary.Alerts.Add(chunk.Records[index], decision);
            }

            decisionsFile?.Rows(chunk.Decided(index));
        }
    }

    /// <summary>A decided chunk whose decisions are formatted as CSV on its parsing thread, when they are written.</summary>
    private sealed class FormattedChunk(bool format) : DecidedChunk
    {
        private readonly CsvOutput _text = new();
        private readonly DecisionRows _rows = new();
        private int[] _ends = [];

        /// <summary>The formatted decisions of valid rows <paramref name="first"/> up to <paramref name="end"/> (exclusive).</summary>
        public ReadOnlySpan<byte> Decided(int first, int end) => _text.Written(first == 0 ? 0 : _ends[first - 1], end == 0 ? 0 : _ends[end - 1]);

        /// <summary>The formatted decision of one valid row.</summary>
        public ReadOnlySpan<byte> Decided(int index) => Decided(index, index + 1);

        /// <inheritdoc />
        protected override void Decided()
        {
            _text.Clear();
            if (!format)
            {
                return;
            }

            if (_ends.Length < Accepted)
            {
                _ends = new int[Records.Length];
            }

            for (var i = 0; i < Accepted; i++)
            {
                _rows.Write(_text, Records[i].Id, Decisions[i]);
                _ends[i] = _text.Length;
            }
        }
    }
}
