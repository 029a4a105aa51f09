using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Smi.Retention.Cli;
using Smi.Retention.Hosting;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// A DSP service deciding an inventory file against the tool deciding the same file: the tool's
/// <c>run</c> (in process, decisions written; the baseline) and
/// <see cref="HousekeepingService.RunInventory"/> over the same 10-million-row CSV (every row read,
/// parsed and decided on every core, the ids collected with where each row was and how it was
/// decided, the removals' evidence built and held for the guard). The target: the service at no
/// less than 0.8x the tool's rows per second, a ratio of at most 1.25 here.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class HostBenchmarks
{
    private static readonly LocalDate AsOf = new(2026, 11, 28);
    private string _folder = "";
    private string _inventory = "";
    private ServiceProvider? _services;

    [Params(10_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("smi-bench-").FullName;
        _inventory = Path.Combine(_folder, "inventory.csv");
        Tool("generate", "--devices", Rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "1", "--as-of", "2026-11-28", "--out", _inventory);
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FixedClock(Instant.FromUtc(2026, 11, 28, 2, 0)));
        services.AddSmiRetention(o => { o.Policy = "dcc-cr1022"; o.MaxRemovalFraction = 1; });
        _services = services.BuildServiceProvider();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int ToolRun() =>
        Tool("run", "--policy", "dcc-cr1022", "--inventory", _inventory, "--as-of", "2026-11-28", "--out", Path.Combine(_folder, "decisions.csv"), "--max-removal-percent", "100");

    [Benchmark]
    public long ServiceRunInventory()
    {
        using var reader = InventoryReader.Open(_inventory, AsOf);
        var result = _services!.GetRequiredService<HousekeepingService>().RunInventory(reader, new HousekeepingRunOptions { AsOf = AsOf });
        return result.Report.Decided == Rows ? result.Removals.Count : throw new InvalidOperationException("Not every row was decided.");
    }

    private static int Tool(params string[] args)
    {
        var exit = SmiRetentionCli.Run(args, TextWriter.Null, Console.Error, interactive: false);
        return exit == 0 ? exit : throw new InvalidOperationException($"smi-retention {string.Join(' ', args)} exited {exit}.");
    }
}

/// <summary>A clock stopped at one instant: a benchmark's run date never moves.</summary>
internal sealed class FixedClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
