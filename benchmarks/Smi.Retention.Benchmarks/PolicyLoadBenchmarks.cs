using BenchmarkDotNet.Attributes;
using NodaTime;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// What a policy costs before the first device: reading and validating the JSON completely
/// (every expression parsed and checked against the vocabulary), compiling it to a decision table
/// per version, and computing the cutoffs for a date.
/// </summary>
[MemoryDiagnoser]
public class PolicyLoadBenchmarks
{
    [Params("secmp0060", "dcc-cr1022", "bryt-previously-commissioned", "sec-timeline")]
    public string Policy { get; set; } = "";

    [Benchmark]
    public RetentionTimeline LoadAndValidate() => PolicyCatalog.LoadBuiltIn(Policy);

    [Benchmark]
    public PolicyEvaluator LoadValidateCompile() => CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(Policy)).For(new LocalDate(2026, 11, 28));
}
