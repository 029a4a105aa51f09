using BenchmarkDotNet.Attributes;
using NodaTime;

namespace Smi.Retention.Benchmarks;

/// <summary>
/// The cost of the legal calendar per device: the forward rule (one PlusMonths per device)
/// against one comparison with a cutoff computed once per run. Both count the same devices.
/// </summary>
[MemoryDiagnoser]
public class CalendarBenchmarks
{
    private static readonly RetentionPeriod Period = RetentionPeriod.FromMonths(36);
    private readonly LocalDate _asOf = new(2026, 11, 28);
    private LocalDate[] _since = [];

    [Params(1_000_000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20191107);
        var start = new LocalDate(2015, 1, 1);
        _since = new LocalDate[Devices];
        for (var i = 0; i < _since.Length; i++)
        {
            _since[i] = start.PlusDays(random.Next(0, 12 * 365));
        }
    }

    [Benchmark(Baseline = true)]
    public int ForwardRulePerDevice()
    {
        var due = 0;
        foreach (var since in _since)
        {
            if (RetentionCalendar.HasElapsed(since, Period, _asOf))
            {
                due++;
            }
        }

        return due;
    }

    [Benchmark]
    public int HoistedCutoff()
    {
        var cutoff = RetentionCalendar.Cutoff(_asOf, Period);
        var due = 0;
        foreach (var since in _since)
        {
            if (since <= cutoff)
            {
                due++;
            }
        }

        return due;
    }
}
