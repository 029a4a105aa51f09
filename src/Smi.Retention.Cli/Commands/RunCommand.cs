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
        DeviceIdSet? seen = null;
        var shownRejects = 0;

        // Two stages on two cores: this thread checks ids, decides and writes while a second one
        // reads and parses the next rows. Chunks keep input order and are recycled.
        foreach (var chunk in ParsedChunks(reader))
        {
            // Size the duplicate set once from the first chunk's bytes per row, so it need not grow.
            seen ??= new DeviceIdSet(chunk.Position == 0 ? chunk.Count : reader.Length * chunk.Count / chunk.Position);
            var accepted = 0;
            for (var i = 0; i < chunk.Count; i++)
            {
                ref readonly var row = ref chunk.Rows[i];
                summary.Read++;
                var error = row.Error;
                if (error is null && !seen.Add(row.Record.Id))
                {
                    error = CliMessages.Duplicate(row.Record.Id);
                }

                if (error is null)
                {
                    records[accepted++] = row.Record;
                    continue;
                }

                summary.Rejected++;
                var id = row.IdText ?? row.Record.Id.ToString();
                if (rejectsFile is not null)
                {
                    rejectsFile.Field(row.Line);
                    rejectsFile.UniqueField(id);
                    rejectsFile.UniqueField(error);
                    rejectsFile.EndRow();
                }
                else if (shownRejects++ < 20)
                {
                    context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rejected line {row.Line} ({id}): {error}"));
                }
            }

            Decide(evaluator, records, decisions, accepted, decisionsFile, summary);
            progress.Report(chunk.Position, summary.Read);
            chunk.Recycle();
        }

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

    /// <summary>Parses the inventory on a second thread, handing over chunks of rows in input order.</summary>
    private static IEnumerable<ParsedChunk> ParsedChunks(InventoryReader reader)
    {
        using var stop = new CancellationTokenSource();
        using var full = new System.Collections.Concurrent.BlockingCollection<ParsedChunk>(boundedCapacity: 3);
        var free = new System.Collections.Concurrent.ConcurrentBag<ParsedChunk>();
        var parser = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    var chunk = ParsedChunk.Rent(free);
                    while (reader.Read(out var row))
                    {
                        chunk.Rows[chunk.Count++] = row;
                        if (chunk.Count == Chunk)
                        {
                            chunk.Position = reader.Position;
                            full.Add(chunk, stop.Token);
                            chunk = ParsedChunk.Rent(free);
                        }
                    }

                    chunk.Position = reader.Position;
                    full.Add(chunk, stop.Token);
                }
                finally
                {
                    full.CompleteAdding();
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            foreach (var chunk in full.GetConsumingEnumerable())
            {
                yield return chunk;
            }

            parser.GetAwaiter().GetResult(); // rethrows a read error
        }
        finally
        {
            stop.Cancel();
            try
            {
                parser.Wait();
            }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
            {
                // The consumer stopped early; the parser saw the cancellation.
            }
        }
    }

    /// <summary>Rows parsed by the reading thread; returned to a free list when decided.</summary>
    private sealed class ParsedChunk
    {
        private System.Collections.Concurrent.ConcurrentBag<ParsedChunk>? _free;

        public InventoryRow[] Rows { get; } = new InventoryRow[Chunk];

        public int Count { get; set; }

        /// <summary>Bytes of the file read when the chunk was full, for progress and sizing.</summary>
        public long Position { get; set; }

        public static ParsedChunk Rent(System.Collections.Concurrent.ConcurrentBag<ParsedChunk> free)
        {
            var chunk = free.TryTake(out var reused) ? reused : new ParsedChunk();
            chunk._free = free;
            chunk.Count = 0;
            return chunk;
        }

        public void Recycle()
        {
            Array.Clear(Rows, 0, Count); // drop references to strings of rejected rows
            _free?.Add(this);
        }
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
