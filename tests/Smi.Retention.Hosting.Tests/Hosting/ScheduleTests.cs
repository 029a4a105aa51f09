using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;
using Smi.Retention.Hosting.Scheduling;

namespace Smi.Retention.Tests.Hosting;

/// <summary>
/// The daily schedule on a fake clock: once per London day at the configured local time, across the
/// spring and autumn clock changes, never twice for a date, and a date already done is skipped.
/// Each test keeps its ledger in a folder of its own.
/// </summary>
public sealed class ScheduleTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-schedule-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Ledger => Path.Combine(_folder.FullName, "ledger.txt");

    private sealed class Inventory : IInventorySource
    {
        public List<LocalDate> Reads { get; } = [];

        public async IAsyncEnumerable<DeviceRecord> ReadAsync(LocalDate asOf, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Reads.Add(asOf);
            await Task.Yield();
            foreach (var device in SyntheticInventory.Generate(2_000, 9, new LocalDate(2020, 3, 1)))
            {
                yield return device;
            }
        }
    }

    private sealed class Sink : IRemovalSink
    {
        public List<HousekeepingResult> Released { get; } = [];

        public List<RemovalEvidence> Taken { get; } = [];

        public bool FailHalfway { get; set; }

        public bool TimesOut { get; set; }

        public TimeSpan Delay { get; set; }

        /// <summary>The process dies as the hand-over begins: nothing is taken.</summary>
        public bool Crashes { get; set; }

        public async Task ReleaseAsync(HousekeepingResult result, CancellationToken cancellationToken)
        {
            if (Crashes)
            {
                throw new InvalidOperationException("the process died before the removals were taken");
            }

            await Task.Delay(Delay, cancellationToken);
            Released.Add(result);
            if (TimesOut)
            {
                throw new TaskCanceledException("the removal job timed out");
            }

            foreach (var (removal, i) in result.Removals.Select((r, i) => (r, i)))
            {
                if (FailHalfway && i == result.Removals.Count / 2)
                {
                    throw new IOException("the removal job went away");
                }

                Taken.Add(removal);
            }
        }
    }

    /// <summary>
    /// A host whose scheduler started at <paramref name="started"/> (three hours before
    /// <paramref name="start"/> unless given), its clock then at <paramref name="start"/>.
    /// </summary>
    private (ServiceProvider Provider, FakeClock Clock, Inventory Inventory, Sink Sink) Build(Instant start, LocalTime runAt, long? maxRemovals = null, CapturingLogs? logs = null, IInventorySource? source = null, Instant? started = null)
    {
        var clock = new FakeClock(started ?? start - Duration.FromHours(3));
        var inventory = new Inventory();
        var sink = new Sink();
        var services = new ServiceCollection();
        services.AddLogging(b => { if (logs is not null) { b.AddProvider(logs); } });
        services.AddSingleton<IClock>(clock);
        services.AddSingleton(source ?? inventory);
        services.AddSingleton<IRemovalSink>(sink);
        services.AddSmiRetention(o =>
        {
            o.Policy = "sec-ac72-v6.3";
            o.MaxRemovals = maxRemovals ?? 1_000_000;
        });
        services.AddSmiRetentionSchedule(o =>
        {
            o.RunAt = runAt;
            o.LedgerFile = Ledger;
        });
        var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<ScheduledHousekeepingService>(); // the host starts
        clock.Reset(start);
        return (provider, clock, inventory, sink);
    }

    // 01:30 does not exist in London on 29 March 2020 (01:00 GMT becomes 02:00 BST) and exists twice on 25 October.
    [Theory]
    [InlineData(2020, 3, 27)]
    [InlineData(2020, 10, 23)]
    public async Task Schedule_OncePerLondonDayAtTheLocalTime_AcrossAClockChange(int year, int month, int day)
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var (provider, clock, inventory, sink) = Build(Instant.FromUtc(year, month, day, 0, 0), new LocalTime(1, 30));
        using var _ = provider;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();
        var runs = new List<(LocalDate Date, Instant At)>();

        for (var step = 0; step < 4 * 24 * 4; step++)
        {
            if (await scheduler.RunIfDueAsync(CancellationToken.None) is { } date)
            {
                runs.Add((date, clock.GetCurrentInstant()));
            }

            clock.AdvanceMinutes(15);
        }

        var first = new LocalDate(year, month, day);
        Assert.Equal([first, first.PlusDays(1), first.PlusDays(2), first.PlusDays(3)], runs.Select(r => r.Date));
        foreach (var (date, at) in runs)
        {
            var due = london.ResolveLocal(date + new LocalTime(1, 30), ScheduledHousekeepingService.FirstMomentAfterAGap).ToInstant();
            Assert.InRange(at - due, Duration.Zero, Duration.FromMinutes(15));
            Assert.Equal(date, at.InZone(london).Date);
        }

        Assert.Equal(runs.Select(r => r.Date), inventory.Reads);
        Assert.Equal(runs.Select(r => r.Date), sink.Released.Select(r => r.Report.AsOf));
    }

    [Fact]
    public async Task Schedule_DateAlreadyDone_Skipped()
    {
        var (provider, clock, inventory, sink) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0));
        using var _ = provider;
        await provider.GetRequiredService<IHousekeepingLedger>().MarkDoneAsync(new LocalDate(2020, 6, 1), CancellationToken.None);
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None));
        clock.AdvanceHours(24);
        Assert.Equal(new LocalDate(2020, 6, 2), await scheduler.RunIfDueAsync(CancellationToken.None));
        Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None));

        Assert.Equal([new LocalDate(2020, 6, 2)], inventory.Reads);
        Assert.Single(sink.Released);
    }

    [Fact]
    public async Task Schedule_RefusedByTheGuard_NothingReleasedAndNotRetriedThatDay()
    {
        var (provider, _, inventory, sink) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0), maxRemovals: 1);
        using var __ = provider;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        Assert.Equal(new LocalDate(2020, 6, 1), await scheduler.RunIfDueAsync(CancellationToken.None));
        Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None));

        Assert.Empty(sink.Released);
        Assert.Single(inventory.Reads);
    }

    // A sink that fails part-way must not be handed the same removals again: the date is done first.
    [Fact]
    public async Task Schedule_SinkFailsPartWay_NeverHandedTheSameRemovalsTwice()
    {
        var logs = new CapturingLogs();
        var (provider, clock, inventory, sink) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0), logs: logs);
        using var _ = provider;
        sink.FailHalfway = true;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        Assert.Equal(new LocalDate(2020, 6, 1), await scheduler.RunIfDueAsync(CancellationToken.None));
        for (var i = 0; i < 10; i++)
        {
            clock.AdvanceMinutes(1);
            Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None));
        }

        Assert.Single(sink.Released);
        Assert.Equal(sink.Taken.Count, sink.Taken.Select(r => r.DeviceId).Distinct().Count());
        Assert.Single(inventory.Reads);
        Assert.True(await provider.GetRequiredService<IHousekeepingLedger>().IsDoneAsync(new LocalDate(2020, 6, 1), CancellationToken.None));
        var failed = Assert.Single(logs.Entries, e => e.Event.Id == 21);
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Contains("the date is done and not run again", failed.Message, StringComparison.Ordinal);
    }

    // A sink's own timeout (a cancellation that is not the host's) is a failed hand-over, not a failed run.
    [Fact]
    public async Task Schedule_SinkTimesOut_LoggedAsAHandOverAndTheDateDone()
    {
        var logs = new CapturingLogs();
        var (provider, _, _, sink) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0), logs: logs);
        using var _ = provider;
        sink.TimesOut = true;

        Assert.Equal(new LocalDate(2020, 6, 1), await provider.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));

        Assert.Single(logs.Entries, e => e.Event.Id == 21);
        Assert.DoesNotContain(logs.Entries, e => e.Event.Id == 20);
        Assert.True(await provider.GetRequiredService<IHousekeepingLedger>().IsDoneAsync(new LocalDate(2020, 6, 1), CancellationToken.None));
    }

    private sealed class FailingSource : IInventorySource
    {
        public IAsyncEnumerable<DeviceRecord> ReadAsync(LocalDate asOf, CancellationToken cancellationToken) => throw new IOException("the SMI is unreachable");
    }

    // The background loop: a source that fails is logged (event 20) and the host goes on; the date is not done.
    [Fact]
    public async Task Background_SourceFails_LoggedAndTheDateLeftToTheNextPoll()
    {
        var logs = new CapturingLogs();
        var (provider, _, _, sink) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0), logs: logs, source: new FailingSource());
        using var _ = provider;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        await scheduler.StartAsync(CancellationToken.None);
        for (var wait = 0; wait < 100 && !logs.Entries.Any(e => e.Event.Id == 20); wait++)
        {
            await Task.Delay(50);
        }

        await scheduler.StopAsync(CancellationToken.None);
        var failed = Assert.Single(logs.Entries, e => e.Event.Id == 20);
        Assert.Contains("IOException: the SMI is unreachable", failed.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Released);
        Assert.False(await provider.GetRequiredService<IHousekeepingLedger>().IsDoneAsync(new LocalDate(2020, 6, 1), CancellationToken.None));
    }

    private sealed class SlowSource : IInventorySource
    {
        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async IAsyncEnumerable<DeviceRecord> ReadAsync(LocalDate asOf, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Reading.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }
    }

    // A review's finding: the scheduler disposed (the host disposed) while a run was in flight made
    // that run end in ObjectDisposedException rather than its cancellation, and the background
    // loop logged it as a failed run (event 20, an Error: a false alert on every such shutdown).
    [Fact]
    public async Task DisposedDuringARun_TheRunEndsCancelled_AndNoFailureIsLogged()
    {
        var logs = new CapturingLogs();
        var source = new SlowSource();
        var (provider, _, _, sink) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0), logs: logs, source: source);
        using var _ = provider;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        using var stop = new CancellationTokenSource();
        var run = scheduler.RunIfDueAsync(stop.Token);
        await source.Reading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = scheduler.RunIfDueAsync(CancellationToken.None); // behind the first, at the gate
        scheduler.Dispose();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10))); // the disposal cancels it, not the caller (a TimeoutException if not)
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        // The second review: a run asked for after the disposal ran and handed removals to the sink.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => scheduler.RunIfDueAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(await provider.GetRequiredService<IHousekeepingLedger>().IsDoneAsync(new LocalDate(2020, 6, 1), CancellationToken.None));

        var background = new SlowSource();
        var (provider2, _, _, _) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0), logs: logs, source: background);
        using var __ = provider2;
        var looping = provider2.GetRequiredService<ScheduledHousekeepingService>();
        await looping.StartAsync(CancellationToken.None);
        await background.Reading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        looping.Dispose(); // disposed first, as a host disposing its services may
        await looping.StopAsync(CancellationToken.None);
        Assert.DoesNotContain(logs.Entries, e => e.Event.Id == 20);
        Assert.Empty(sink.Released);
    }

    // With the run at 23:59, a poll that comes after midnight still runs the date it was due for.
    [Fact]
    public async Task Schedule_PollAfterMidnight_MakesUpTheDateJustMissed()
    {
        var (provider, clock, inventory, _) = Build(Instant.FromUtc(2020, 1, 10, 23, 58), new LocalTime(23, 59));
        using var __ = provider;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None));
        clock.AdvanceSeconds(150);
        Assert.Equal(new LocalDate(2020, 1, 10), await scheduler.RunIfDueAsync(CancellationToken.None));
        Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None));
        Assert.Equal([new LocalDate(2020, 1, 10)], inventory.Reads);
    }

    // After a restart, a date whose time passed while the host was down is not run late (it may have run before).
    [Fact]
    public async Task Schedule_StartedAfterMidnight_DoesNotRunYesterdayAgain()
    {
        var (provider, _, inventory, _) = Build(Instant.FromUtc(2020, 1, 11, 0, 30), new LocalTime(23, 59), started: Instant.FromUtc(2020, 1, 11, 0, 30));
        using var __ = provider;

        Assert.Null(await provider.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));
        Assert.Empty(inventory.Reads);
    }

    [Fact]
    public async Task Schedule_TwoCallsAtOnce_OneRun()
    {
        var (provider, _, inventory, sink) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0));
        using var __ = provider;
        sink.Delay = TimeSpan.FromMilliseconds(200);
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        var runs = await Task.WhenAll(scheduler.RunIfDueAsync(CancellationToken.None), scheduler.RunIfDueAsync(CancellationToken.None));

        Assert.Single(runs, r => r is not null);
        Assert.Single(sink.Released);
        Assert.Single(inventory.Reads);
    }

    /// <summary>On the spring change 01:30 does not exist in London: the run is at 02:00 BST, the first moment after the gap, not 02:30.</summary>
    [Fact]
    public async Task Schedule_RunTimeTheClocksSkip_RunsAtTheFirstMomentAfter()
    {
        var (provider, clock, _, _) = Build(Instant.FromUtc(2027, 3, 28, 0, 59), new LocalTime(1, 30));
        using var _ = provider;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None)); // 00:59 GMT
        clock.AdvanceMinutes(1); // 01:00 GMT = 02:00 BST
        Assert.Equal(new LocalDate(2027, 3, 28), await scheduler.RunIfDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Ledger_ALinkToAPersistentFile_WrittenThroughTheLink()
    {
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "volume"));
        var persistent = Path.Combine(_folder.FullName, "volume", "ledger.txt");
        File.WriteAllText(persistent, "2020-05-31\n");
        File.CreateSymbolicLink(Ledger, persistent);
        var (provider, _, _, _) = Build(Instant.FromUtc(2020, 6, 1, 2, 1), new LocalTime(3, 0));
        using var _ = provider;

        Assert.NotNull(await provider.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));

        Assert.NotNull(new FileInfo(Ledger).LinkTarget); // still the link
        Assert.Equal(["2020-05-31", "2020-06-01"], File.ReadAllLines(persistent));
    }

    [Fact]
    public async Task Ledger_ADanglingLinkIntoAFolderThatIsGone_RefusedBeforeDeciding()
    {
        File.CreateSymbolicLink(Ledger, Path.Combine(_folder.FullName, "unmounted", "ledger.txt"));
        var (provider, _, inventory, sink) = Build(Instant.FromUtc(2020, 6, 1, 2, 1), new LocalTime(3, 0));
        using var _ = provider;

        var error = await Assert.ThrowsAsync<IOException>(() => provider.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));

        Assert.Contains("does not exist (a volume not mounted?)", error.Message, StringComparison.Ordinal);
        Assert.Empty(inventory.Reads); // nothing decided, then thrown away every minute
        Assert.Empty(sink.Released);
        Assert.False(Directory.Exists(Path.Combine(_folder.FullName, "unmounted")));
    }

    [Fact]
    public async Task Ledger_ADanglingLinkToAFileNotYetMade_WrittenThere()
    {
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "volume"));
        var persistent = Path.Combine(_folder.FullName, "volume", "ledger.txt");
        File.CreateSymbolicLink(Ledger, Path.Combine("volume", "ledger.txt"));
        var (provider, _, _, _) = Build(Instant.FromUtc(2020, 6, 1, 2, 1), new LocalTime(3, 0));
        using var _ = provider;

        Assert.NotNull(await provider.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));

        Assert.Equal(["2020-06-01"], File.ReadAllLines(persistent));
        Assert.NotNull(new FileInfo(Ledger).LinkTarget);
    }

    [Fact]
    public async Task Restart_LaterTheSameDayAfterTheRun_NotRunOrHandedOverAgain()
    {
        var (first, clock, _, sink) = Build(Instant.FromUtc(2020, 6, 1, 2, 1), new LocalTime(3, 0), started: Instant.FromUtc(2020, 6, 1, 1, 0));
        using (first)
        {
            var scheduler = first.GetRequiredService<ScheduledHousekeepingService>();
            Assert.Equal(new LocalDate(2020, 6, 1), await scheduler.RunIfDueAsync(CancellationToken.None)); // 03:01 London (BST)
            Assert.Single(sink.Released);
        }

        // The host restarts at 11:00 London: the date is in the ledger, and its time passed before this start.
        var (second, _, inventory, again) = Build(Instant.FromUtc(2020, 6, 1, 10, 0), new LocalTime(3, 0), started: Instant.FromUtc(2020, 6, 1, 10, 0));
        using var _ = second;
        Assert.Null(await second.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));
        Assert.Empty(inventory.Reads);
        Assert.Empty(again.Released);
        Assert.Equal(["2020-06-01"], File.ReadAllLines(Ledger));
    }

    [Fact]
    public async Task Restart_AfterTheTimeWasMissed_TheDateIsNotRunLateButTheNextOneIs()
    {
        // The host was down at 03:00 London and starts at 11:00 the same day.
        var (provider, clock, inventory, sink) = Build(Instant.FromUtc(2020, 6, 1, 10, 0), new LocalTime(3, 0), started: Instant.FromUtc(2020, 6, 1, 10, 0));
        using var _ = provider;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();

        Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None));
        clock.AdvanceHours(12);
        Assert.Null(await scheduler.RunIfDueAsync(CancellationToken.None));
        Assert.Empty(inventory.Reads);

        clock.AdvanceHours(5); // 04:00 London the next day
        Assert.Equal(new LocalDate(2020, 6, 2), await scheduler.RunIfDueAsync(CancellationToken.None));
        Assert.Equal([new LocalDate(2020, 6, 2)], sink.Released.Select(r => r.Report.AsOf));
    }

    [Fact]
    public async Task Restart_AfterACrashBetweenMarkingAndHandingOver_TheDateIsNeverHandedOverTwice()
    {
        var (first, _, _, sink) = Build(Instant.FromUtc(2020, 6, 1, 2, 0), new LocalTime(3, 0), started: Instant.FromUtc(2020, 6, 1, 1, 0));
        sink.Crashes = true;
        using (first)
        {
            // The date is marked done, then the process dies as the hand-over begins.
            Assert.Equal(new LocalDate(2020, 6, 1), await first.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));
        }

        Assert.Equal(["2020-06-01"], File.ReadAllLines(Ledger));

        // Restarted at once, at the same instant as the date's time: the ledger alone keeps it from running again.
        var (second, _, inventory, again) = Build(Instant.FromUtc(2020, 6, 1, 2, 0), new LocalTime(3, 0), started: Instant.FromUtc(2020, 6, 1, 2, 0));
        using var _ = second;
        Assert.Null(await second.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));
        Assert.Empty(inventory.Reads);
        Assert.Empty(again.Released);
    }

    [Fact]
    public async Task Ledger_WrittenWholeEachTime_NoTemporaryFileLeft()
    {
        var (provider, clock, _, _) = Build(Instant.FromUtc(2020, 6, 1, 2, 1), new LocalTime(3, 0));
        using var _ = provider;
        var scheduler = provider.GetRequiredService<ScheduledHousekeepingService>();
        for (var day = 0; day < 3; day++)
        {
            Assert.NotNull(await scheduler.RunIfDueAsync(CancellationToken.None));
            clock.AdvanceHours(24);
        }

        Assert.Equal(["2020-06-01", "2020-06-02", "2020-06-03"], File.ReadAllLines(Ledger));
        Assert.Equal(["ledger.txt"], Directory.GetFiles(_folder.FullName).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Ledger_Unreadable_NoRunRatherThanADateTwice()
    {
        File.WriteAllText(Ledger, "2020-05-31\nnot a date\n");
        var (provider, _, inventory, sink) = Build(Instant.FromUtc(2020, 6, 1, 2, 1), new LocalTime(3, 0));
        using var _ = provider;

        var error = await Assert.ThrowsAsync<IOException>(() => provider.GetRequiredService<ScheduledHousekeepingService>().RunIfDueAsync(CancellationToken.None));

        Assert.Contains("line 2 is not a date", error.Message, StringComparison.Ordinal);
        Assert.Empty(inventory.Reads);
        Assert.Empty(sink.Released);
    }

    [Fact]
    public void AddSmiRetentionSchedule_RegistersTheHostedService()
    {
        var (provider, _, _, _) = Build(Instant.FromUtc(2020, 6, 1, 3, 0), new LocalTime(2, 0));
        using var _ = provider;

        Assert.Contains(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is ScheduledHousekeepingService);
    }
}
