using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Smi.Retention.Cli;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// The tool end to end, in process, over a generated 10-million-row CSV: <c>run</c> (read,
/// validate every row, reject duplicates, decide, write every decision), <c>diff</c> (decide every
/// device under two policies, write the changes) and <c>forecast</c> (every device's due date, a
/// month at a time), against the tool's own fastest reading pass on every core
/// (<c>LocateFieldsAllCores</c>: blocks of lines read as every command reads them, each line's
/// ASCII checked and its commas found 32 bytes at a time, every field touched, nothing parsed).
/// <c>ParseAllCores</c> adds the parsing of every row into a record (the reader's whole fast path);
/// <c>LocateFieldsPlain</c> is the baseline on one thread, and <c>ParseOnly</c> the line reader and
/// general CSV splitter on one thread (the baseline of runs 8 and 9). Peak memory is measured on
/// the real process by <c>benchmarks/cli-memory.sh</c>, and the process against <c>cp</c> by
/// <c>benchmarks/cli-vs-copy.sh</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class CliBenchmarks
{
    private string _folder = "";
    private string _inventory = "";

    [Params(10_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("smi-bench-").FullName;
        _inventory = Path.Combine(_folder, "inventory.csv");
        Run("generate", "--devices", Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "1", "--as-of", "2026-11-28", "--out", _inventory);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// The baseline: the tool's own fastest reading pass, on every core. One thread reads blocks of
    /// whole lines (as every command does); each core checks its blocks' lines are plain ASCII and
    /// finds every comma 32 bytes at a time (the fast path's primitives), and touches every field.
    /// No value is parsed: a command cannot read its input faster.
    /// </summary>
    [Benchmark(Baseline = true)]
    public long LocateFieldsAllCores()
    {
        using var reader = InventoryReader.Open(_inventory);
        var blocks = reader.Blocks();
        var cores = Environment.ProcessorCount;
        using var full = new System.Collections.Concurrent.BlockingCollection<LineBlock>(cores * 2);
        using var empty = new System.Collections.Concurrent.BlockingCollection<LineBlock>();
        for (var i = 0; i < cores * 2 + 1; i++)
        {
            empty.Add(new LineBlock());
        }

        long characters = 0;
        var workers = Enumerable.Range(0, cores).Select(_ => Task.Run(() =>
        {
            var commas = new int[8];
            long mine = 0;
            foreach (var block in full.GetConsumingEnumerable())
            {
                mine += LocateFields(block, commas);
                empty.Add(block);
            }

            Interlocked.Add(ref characters, mine);
        })).ToArray();

        while (true)
        {
            var block = empty.Take();
            if (!blocks.Next(block))
            {
                break;
            }

            full.Add(block);
        }

        full.CompleteAdding();
        Task.WaitAll(workers);
        return characters;
    }

    /// <summary>The reader's full fast path on every core (every row parsed into a record, as every command's pass does), nothing decided.</summary>
    [Benchmark]
    public long ParseAllCores()
    {
        using var reader = InventoryReader.Open(_inventory);
        long accepted = 0;
        foreach (var chunk in ParsedChunks.Read(reader, _inventory, () => new ParsedChunk(), null, CancellationToken.None))
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                accepted += chunk.Rows[i].IsAccepted ? 1 : 0;
            }
        }

        return accepted;
    }

    /// <summary>The baseline of earlier runs: the line reader and general CSV splitter on one thread.</summary>
    [Benchmark]
    public long ParseOnly()
    {
        using var file = new FileStream(_inventory, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var lines = new LineReader(file);
        var text = new char[1024];
        var fields = new CsvField[16];
        long characters = 0;
        while (lines.Next(out var line, out _) == LineResult.Line)
        {
            System.Text.Unicode.Utf8.ToUtf16(line, text, out _, out var written, replaceInvalidSequences: false);
            var count = CsvLine.Split(text.AsSpan(0, written), ref fields, out _);
            for (var col = 0; col < count; col++)
            {
                characters += CsvLine.Value(text.AsSpan(0, written), fields[col]).Length;
            }
        }

        return characters;
    }

    [Benchmark]
    public long LocateFieldsPlain()
    {
        using var reader = InventoryReader.Open(_inventory);
        var blocks = reader.Blocks();
        var block = new LineBlock();
        var commas = new int[8];
        long characters = 0;
        while (blocks.Next(block))
        {
            characters += LocateFields(block, commas);
        }

        return characters;
    }

    /// <summary>Every plain line of a block checked and its fields located, as the fast path does; the characters of its fields.</summary>
    private static long LocateFields(LineBlock block, int[] commas)
    {
        long characters = 0;
        foreach (var range in block.Bytes.AsSpan(0, block.Length).Split((byte)'\n'))
        {
            var line = block.Bytes.AsSpan(0, block.Length)[range];
            if (line.ContainsAnyExceptInRange((byte)' ', (byte)'~'))
            {
                continue;
            }

            var count = PlainCsv.Commas(line, commas);
            var start = 0;
            for (var field = 0; field <= Math.Min(count, commas.Length); field++)
            {
                var end = field < count && field < commas.Length ? commas[field] : line.Length;
                characters += line[start..end].Length;
                start = end + 1;
            }
        }

        return characters;
    }

    [Benchmark]
    public int RunEndToEnd() =>
        Run("run", "--policy", "dcc-cr1022", "--inventory", _inventory, "--as-of", "2026-11-28", "--out", Path.Combine(_folder, "decisions.csv"));

    [Benchmark]
    public int DiffEndToEnd() =>
        Run("diff", "--policy", "dcc-cr1022", "--against", "secmp0060", "--inventory", _inventory, "--as-of", "2026-11-28", "--out", Path.Combine(_folder, "changes.csv"));

    [Benchmark]
    public int ForecastEndToEnd() =>
        Run("forecast", "--policy", "dcc-cr1022", "--inventory", _inventory, "--from", "2026-11-28", "--months", "12");

    private static int Run(params string[] args)
    {
        var exit = SmiRetentionCli.Run(args, TextWriter.Null, Console.Error, interactive: false);
        return exit == 0 ? exit : throw new InvalidOperationException($"smi-retention {string.Join(' ', args)} exited {exit}.");
    }
}
