using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using nietras.SeparatedValues;
using Smi.Retention.Cli;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// The tool end to end, in process: <c>smi-retention run</c> over a generated 10-million-row CSV
/// (read, validate every row, reject duplicates, decide, write every decision), against a pass
/// that only reads the same file with the same CSV reader and touches every field. Peak memory is
/// measured on the real process by <c>benchmarks/cli-memory.sh</c>.
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
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(_inventory);
        long characters = 0;
        foreach (var row in reader)
        {
            for (var col = 0; col < row.ColCount; col++)
            {
                characters += row[col].Span.Length;
            }
        }

        return characters;
    }

    [Benchmark]
    public int RunEndToEnd() =>
        Run("run", "--policy", "dcc-cr1022", "--inventory", _inventory, "--as-of", "2026-11-28", "--out", Path.Combine(_folder, "decisions.csv"));

    private static int Run(params string[] args)
    {
        var exit = SmiRetentionCli.Run(args, TextWriter.Null, Console.Error, interactive: false);
        return exit == 0 ? exit : throw new InvalidOperationException($"smi-retention {string.Join(' ', args)} exited {exit}.");
    }
}
