using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// A cancelled run releases no removal, wherever in the inventory the cancellation lands: before
/// the first device, inside the first (partial) batch, on a batch boundary, or after the last device.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class CancellationTests : IDisposable
{
    private static readonly LocalDate AsOf = new(2019, 11, 7);
    private readonly ServiceProvider _provider;

    public CancellationTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0)));
        services.AddSmiRetention(o => { o.Policy = "sec-ac72-v6.3"; o.MaxRemovalFraction = 1; });
        _provider = services.BuildServiceProvider();
    }

    public void Dispose() => _provider.Dispose();

    private HousekeepingService Service => _provider.GetRequiredService<HousekeepingService>();

    /// <summary>Every device is removable; the token is cancelled as device <paramref name="at"/> is handed over (at = count: after the last).</summary>
    private static IEnumerable<DeviceRecord> Inventory(int count, int at, CancellationTokenSource cancel)
    {
        for (var i = 0; i < count; i++)
        {
            if (i == at)
            {
                cancel.Cancel();
            }

            yield return TestDevices.Pending(DeviceType.ESME, "2015-01-01");
        }

        if (at >= count)
        {
            cancel.Cancel();
        }
    }

    public static TheoryData<int, int> Positions()
    {
        var data = new TheoryData<int, int>();
        foreach (var count in new[] { 0, 1, 10, 4095, 4096, 4097, 10_000 })
        {
            foreach (var at in new[] { -1, 0, 1, count / 2, 4095, 4096, 4097, count - 1, count }.Where(a => a <= count).Distinct())
            {
                data.Add(count, at);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void Run_CancelledAtAnyPosition_ReleasesNothing(int count, int at)
    {
        using var cancel = new CancellationTokenSource();
        if (at < 0)
        {
            cancel.Cancel();
        }

        HousekeepingResult? result = null;
        Assert.ThrowsAny<OperationCanceledException>(() => result = Service.Run(Inventory(count, Math.Max(at, 0), cancel), new HousekeepingRunOptions { AsOf = AsOf }, cancel.Token));
        Assert.Null(result);
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public async Task RunAsync_CancelledAtAnyPosition_ReleasesNothing(int count, int at)
    {
        using var cancel = new CancellationTokenSource();
        if (at < 0)
        {
            cancel.Cancel();
        }

        HousekeepingResult? result = null;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            result = await Service.RunAsync(AsyncSequence.Of(Inventory(count, Math.Max(at, 0), cancel)), new HousekeepingRunOptions { AsOf = AsOf }, cancel.Token));
        Assert.Null(result);
    }

    [Fact]
    public void Run_NotCancelled_ReleasesEveryRemoval() =>
        Assert.Equal(4097, Service.Run(Inventory(4097, int.MaxValue, new CancellationTokenSource()), new HousekeepingRunOptions { AsOf = AsOf }).Removals.Count);
}
