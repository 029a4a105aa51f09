using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Smi.Retention.Cli;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// The tool end to end, in process, over a generated 10-million-row CSV: <c>run</c> (read,
/// validate every row, reject duplicates, decide, write every decision), <c>diff</c> (decide every
/// device under two policies, write the changes) and <c>forecast</c> (every device's due date, a
/// month at a time), against a pass that only reads the same file on one thread with the reader's
/// line reader and general CSV splitter (UTF-8 checked, every field located) and touches every
/// field (the baseline the speed targets were set against). <c>LocateFieldsPlain</c> is the same
/// pass with the reader's fast-path primitives (blocks of lines, the ASCII check, the commas found
/// 32 bytes at a time), for the floor. Peak memory is measured on the real process by
/// <c>benchmarks/cli-memory.sh</c>.
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

    [Benchmark(Baseline = true)]
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
