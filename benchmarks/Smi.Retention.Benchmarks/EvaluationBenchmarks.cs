using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using NodaTime;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// Deciding every device of a generated inventory (fixed seed, the SMI's mix) as of one date:
/// hand-written if/else (the baseline, comparing integer date keys as the evaluator does; and
/// <c>HandWrittenLocalDate</c>, comparing LocalDates through the public API), the compiled
/// evaluator on one thread, and on both cores.
/// The policy is compiled and the cutoffs computed in setup; only evaluation is measured, and
/// every decision (action, rule, due date, alert) is written to an array the caller keeps.
/// <c>MemoryCopy</c> is not a contender but the floor: it only moves 16 bytes of each 24-byte record
/// to its 16-byte decision slot, the memory traffic of any evaluator, on one thread and on both cores.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private static readonly LocalDate AsOf = new(2026, 11, 28);

    private DeviceRecord[] _devices = [];
    private RetentionDecision[] _decisions = [];
    private const int Chunk = 1 << 14; // as EvaluateParallel
    private static readonly int Slot = Unsafe.SizeOf<RetentionDecision>();

    private byte[] _copy = [];
    private PolicyEvaluator _evaluator = null!;
    private HandWritten<ByKey> _handWritten = null!;
    private HandWritten<ByLocalDate> _handWrittenLocalDate = null!;

    [Params("secmp0060", "dcc-cr1022", "bryt-previously-commissioned")]
    public string Policy { get; set; } = "";

    [Params(1_000_000, 10_000_000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _devices = SyntheticInventory.Generate(Devices, seed: 1, AsOf).ToArray();
        _decisions = new RetentionDecision[Devices];
        _copy = new byte[Devices * Slot];
        var compiled = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(Policy));
        _evaluator = compiled.For(AsOf);
        _handWritten = new HandWritten<ByKey>(Policy, compiled, AsOf);
        _handWrittenLocalDate = new HandWritten<ByLocalDate>(Policy, compiled, AsOf);
        Equivalence.Check(_devices, _evaluator, _handWritten.Evaluate);
        Equivalence.Check(_devices, _evaluator, _handWrittenLocalDate.Evaluate);
    }

    [Benchmark(Baseline = true)]
    public RetentionDecision HandWritten()
    {
        _handWritten.Evaluate(_devices, _decisions);
        return _decisions[^1];
    }

    /// <summary>The hand-written loop as a consumer of the public API writes it: LocalDates from <see cref="DeviceRecord.StatusSince"/>.</summary>
    [Benchmark]
    public RetentionDecision HandWrittenLocalDate()
    {
        _handWrittenLocalDate.Evaluate(_devices, _decisions);
        return _decisions[^1];
    }

    /// <summary>The hand-written loop on both cores, chunked as <c>EvaluateParallel</c> chunks: how much a second core adds to it.</summary>
    [Benchmark]
    public RetentionDecision HandWrittenParallel()
    {
        Parallel.For(0, (_devices.Length + Chunk - 1) / Chunk, chunk =>
        {
            var start = chunk * Chunk;
            var length = Math.Min(Chunk, _devices.Length - start);
            _handWritten.Evaluate(_devices.AsSpan(start, length), _decisions.AsSpan(start, length));
        });
        return _decisions[^1];
    }

    [Benchmark]
    public RetentionDecision Compiled()
    {
        _evaluator.Evaluate(_devices, _decisions);
        return _decisions[^1];
    }

    [Benchmark]
    public RetentionDecision CompiledParallel()
    {
        _evaluator.EvaluateParallel(_devices, _decisions);
        return _decisions[^1];
    }

    [Benchmark]
    public byte MemoryCopy()
    {
        Copy(0, _devices.Length);
        return _copy[^1];
    }

    [Benchmark]
    public byte MemoryCopyParallel()
    {
        Parallel.For(0, (_devices.Length + Chunk - 1) / Chunk, chunk =>
        {
            var start = chunk * Chunk;
            Copy(start, Math.Min(Chunk, _devices.Length - start));
        });
        return _copy[^1];
    }

    /// <summary>
    /// Moves 16 bytes of each record into its 16-byte decision slot: every cache line of the records
    /// read, every line of the decisions written, nothing decided.
    /// </summary>
    private void Copy(int start, int length)
    {
        var records = Bytes(start, length);
        var slots = _copy.AsSpan(start * Slot, length * Slot);
        ref var from = ref MemoryMarshal.GetReference(records);
        ref var to = ref MemoryMarshal.GetReference(slots);
        for (var i = 0; i < length; i++)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, i * Slot), Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref from, i * Unsafe.SizeOf<DeviceRecord>())));
        }
    }

    /// <summary>The bytes of <paramref name="length"/> records from <paramref name="start"/> (the records hold a reference, so not through MemoryMarshal.AsBytes).</summary>
    private ReadOnlySpan<byte> Bytes(int start, int length) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<DeviceRecord, byte>(ref _devices[start]), length * Unsafe.SizeOf<DeviceRecord>());
}

/// <summary>Refuses to measure a hand-written baseline that decides differently from the policy.</summary>
internal static class Equivalence
{
    public delegate void Evaluation(ReadOnlySpan<DeviceRecord> devices, Span<RetentionDecision> decisions);

    public static void Check(DeviceRecord[] devices, PolicyEvaluator evaluator, Evaluation handWritten)
    {
        var compiled = new RetentionDecision[devices.Length];
        var byHand = new RetentionDecision[devices.Length];
        evaluator.Evaluate(devices, compiled);
        handWritten(devices, byHand);
        var removals = 0;
        for (var i = 0; i < devices.Length; i++)
        {
            if (compiled[i] != byHand[i])
            {
                throw new InvalidOperationException($"Device {i}: compiled {compiled[i]}, hand-written {byHand[i]}.");
            }

            removals += compiled[i].IsRemoval ? 1 : 0;
        }

        if (removals == 0)
        {
            throw new InvalidOperationException("The inventory has no removal under this policy: the benchmark would measure too little.");
        }
    }
}
