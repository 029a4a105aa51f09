using System.Text.Json;
using BenchmarkDotNet.Attributes;
using NodaTime;
using Smi.Retention.Authoring;
using Smi.Retention.Cli.Workbench;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// The workbench's server-side work for one edit, over 1 million devices in memory: the text
/// parsed and validated, linted, its test cases run, compiled, every device decided, counted by
/// action and type, compared with the baseline's decisions (a sample of the flipped devices
/// explained), the 12-month forecast worked out, both charts drawn, and the answer serialised as
/// the page receives it. The target is under 250 ms. The baseline is one decision of every device
/// with an already compiled policy, for scale.
/// </summary>
[MemoryDiagnoser]
public class WorkbenchBenchmarks
{
    private static readonly LocalDate AsOf = new(2026, 11, 28);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private WorkbenchSession _workbench = null!;
    private string _edited = "";
    private DeviceRecord[] _devices = [];
    private RetentionDecision[] _decisions = [];
    private PolicyEvaluator _evaluator = null!;

    [Params(1_000_000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var examples = Path.Combine(RepositoryRoot(), "examples", "policies");
        var text = File.ReadAllText(Path.Combine(examples, "exclusion-per-type.json"));
        var tests = File.ReadAllText(Path.Combine(examples, "exclusion-per-type.tests.json"))
            .Replace("\"Policy\": \"exclusion-per-type.json\"", "\"Policy\": \"secmp0060\"", StringComparison.Ordinal);
        _edited = text.Replace("P36M", "P24M", StringComparison.Ordinal);
        _devices = SyntheticInventory.Generate(Devices, seed: 1, AsOf).ToArray();
        _decisions = new RetentionDecision[_devices.Length];
        var baseline = CompiledPolicy.Compile(PolicyCatalog.Parse(text));
        _evaluator = CompiledPolicy.Compile(PolicyCatalog.Parse(_edited)).For(AsOf);
        _workbench = new WorkbenchSession(new WorkbenchSetup(
            text, "exclusion-per-type.json", baseline, _devices, "synthetic", AsOf, BoundaryMode.OnCorrespondingDate,
            PolicyTestSuite.Parse(tests), new CostBand(36, 50), Force: false));
        if (!_workbench.Check(_edited).Valid)
        {
            throw new InvalidOperationException("The edited policy should be valid.");
        }
    }

    [Benchmark(Baseline = true)]
    public int DecideOnly()
    {
        _evaluator.EvaluateParallel(_devices, _decisions);
        return _decisions.Length;
    }

    [Benchmark]
    public int Edit() => JsonSerializer.SerializeToUtf8Bytes(_workbench.Check(_edited), Web).Length;

    /// <summary>The repository holding this build (BenchmarkDotNet runs the benchmarks from a folder under bin/).</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Smi.Retention.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository (Smi.Retention.sln) is not above " + AppContext.BaseDirectory);
    }
}
