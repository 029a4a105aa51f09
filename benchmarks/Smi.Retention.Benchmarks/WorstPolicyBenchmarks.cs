using BenchmarkDotNet.Attributes;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// The most a policy within <see cref="PolicyLimits"/> can cost before the first device
/// (<see cref="SyntheticPolicies.Worst"/>): reading and validating it, compiling it, and what
/// <c>smi-retention validate</c> does (read, validate, lint). The target is under 1 s each on this
/// machine; the baseline is the same work for the built-in dcc-cr1022.
/// </summary>
[MemoryDiagnoser]
public class WorstPolicyBenchmarks
{
    private string _folder = "";
    private string _path = "";

    [Params("dcc-cr1022", "many-rules", "expanding", "timeline")]
    public string Policy { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("smi-worst-").FullName;
        var files = Policy == "dcc-cr1022" ? [("dcc-cr1022.json", PolicyCatalog.BuiltInText("dcc-cr1022"))] : SyntheticPolicies.Worst(Policy);
        foreach (var (name, json) in files)
        {
            File.WriteAllText(Path.Combine(_folder, name), json);
        }

        _path = Path.Combine(_folder, files[0].Name);
        _ = Validate(); // every worst policy is valid: it loads, compiles and lints
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public RetentionTimeline Load() => PolicyCatalog.Load(_path);

    [Benchmark]
    public CompiledPolicy LoadCompile() => CompiledPolicy.Compile(PolicyCatalog.Load(_path));

    [Benchmark]
    public int Validate() => Smi.Retention.Impact.PolicyLint.Check(PolicyCatalog.Load(_path)).Count;
}
