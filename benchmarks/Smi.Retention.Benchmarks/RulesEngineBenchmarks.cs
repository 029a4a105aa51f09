using BenchmarkDotNet.Attributes;
using NodaTime;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// Per device: the compiled evaluator against Microsoft RulesEngine interpreting the same workflow
/// JSON the way a RulesEngine user would (<c>ExecuteAllRulesAsync</c> per device, first successful
/// rule decides). RulesEngine runs on a 2,000-device slice of the same inventory; the figures are
/// per device (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class RulesEngineBenchmarks
{
    private const int CompiledDevices = 1_000_000;
    private const int NaiveDevices = 2_000;
    private static readonly LocalDate AsOf = new(2026, 11, 28);

    private DeviceRecord[] _devices = [];
    private RetentionDecision[] _decisions = [];
    private PolicyEvaluator _evaluator = null!;
    private ReferenceEvaluator _rulesEngine = null!;

    [Params("secmp0060", "dcc-cr1022", "bryt-previously-commissioned")]
    public string Policy { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _devices = SyntheticInventory.Generate(CompiledDevices, seed: 1, AsOf).ToArray();
        _decisions = new RetentionDecision[CompiledDevices];
        var timeline = PolicyCatalog.LoadBuiltIn(Policy);
        _evaluator = CompiledPolicy.Compile(timeline).For(AsOf);
        _rulesEngine = new ReferenceEvaluator(timeline);
        for (var i = 0; i < NaiveDevices; i++)
        {
            var (action, rule) = _rulesEngine.EvaluateAsync(_devices[i], AsOf).AsTask().GetAwaiter().GetResult();
            var mine = _evaluator.Evaluate(_devices[i]);
            if (action != mine.Action || rule != mine.Rule?.Name)
            {
                throw new InvalidOperationException($"Device {i}: RulesEngine {action} by {rule}, compiled {mine}.");
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CompiledDevices)]
    public RetentionDecision Compiled()
    {
        _evaluator.Evaluate(_devices, _decisions);
        return _decisions[^1];
    }

    [Benchmark(OperationsPerInvoke = NaiveDevices)]
    public async Task<int> RulesEngineNaive()
    {
        var removals = 0;
        for (var i = 0; i < NaiveDevices; i++)
        {
            var (action, _) = await _rulesEngine.EvaluateAsync(_devices[i], AsOf).ConfigureAwait(false);
            removals += action == RetentionAction.Remove ? 1 : 0;
        }

        return removals;
    }
}
