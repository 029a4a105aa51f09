using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Smi.Retention.Tests.Hosting;

/// <summary>
/// What operations see of the host: every log event of the table in docs/hosting.md with its id, the
/// Smi.Retention meter's instruments (through the host's IMeterFactory) and a span per run.
/// </summary>
public sealed class TelemetryTests
{
    private static readonly LocalDate AsOf = new(2019, 11, 7);

    private static ServiceProvider Provider(CapturingLogs logs, Action<RetentionOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddMetrics();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0), Duration.FromSeconds(1)));
        services.AddSmiRetention(o =>
        {
            o.Policy = "sec-timeline";
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private static DeviceRecord[] Inventory() => SyntheticInventory.Generate(30_000, 3, AsOf).ToArray();

    [Fact]
    public void Run_LogsStartLoadAndFinishWithCountsAndHash()
    {
        var logs = new CapturingLogs();
        using var provider = Provider(logs);
        var service = provider.GetRequiredService<HousekeepingService>();

        var (report, removals) = service.Run(Inventory().Append(default), new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = null });

        var events = logs.Entries.ToArray();
        var loaded = Assert.Single(events, e => e.Event.Id == 1);
        Assert.Contains($"sec-timeline (sha256 {service.Policy.ContentHash}) is now in force", loaded.Message, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Event.Id == 10 && e.Message == $"Housekeeping run started under sec-timeline (sha256 {service.Policy.ContentHash}) as of 2019-11-07.");
        var finished = Assert.Single(events, e => e.Event.Id == 11);
        Assert.Equal(LogLevel.Information, finished.Level);
        Assert.Contains($"{report.DevicesRead} devices read, {removals.Count} removed, {report.Count(RetentionAction.Retain)} retained, 1 undetermined", finished.Message, StringComparison.Ordinal);
        var undetermined = Assert.Single(events, e => e.Event.Id == 13);
        Assert.Equal((LogLevel.Warning, true), (undetermined.Level, undetermined.Message.StartsWith("1 devices were undetermined", StringComparison.Ordinal)));
    }

    // What the tool warns of once an inventory is read was said nowhere by the host: a model the
    // policy keeps that rows also spell alike (their devices removed), a fact with no column.
    [Fact]
    public void RunInventory_ModelSpelledAlikeAndAFactWithoutItsColumn_EachSaid()
    {
        var folder = Directory.CreateTempSubdirectory("smi-telemetry-");
        try
        {
            var policy = Path.Combine(folder.FullName, "keep.json");
            File.WriteAllText(policy, """
                { "WorkflowName": "keep", "Rules": [
                  { "RuleName": "keep-aldor", "Expression": "device.Model == \"Aldor E1-100\"", "SuccessEvent": "Retain" },
                  { "RuleName": "smets1", "Expression": "device.Generation == \"SMETS1\"", "SuccessEvent": "Retain" },
                  { "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
                """);
            var logs = new CapturingLogs();
            using var provider = Provider(logs, o => o.Policy = policy);
            var service = provider.GetRequiredService<HousekeepingService>();
            const string Csv = "device_id,device_type,status,status_since,prior_statuses,device_model\n"
                + "88-73-84-57-00-00-00-01,ESME,Pending,2015-01-15,,Aldor E1-100\n"
                + "88-73-84-57-00-00-00-02,ESME,Pending,2015-01-15,,\u0410ldor E1\u2010100\n";
            using var inventory = InventoryReader.FromStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Csv)), "models.csv");

            service.RunInventory(inventory, new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = null });

            var warnings = logs.Entries.Where(e => e.Event.Id == 16).ToArray();
            Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
            Assert.Contains(warnings, w => w.Message.Contains("rule 'smets1':", StringComparison.Ordinal) && w.Message.Contains("models.csv has no smets_generation column", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.Message.StartsWith("Housekeeping run under keep: ", StringComparison.Ordinal)
                && w.Message.Contains("rule 'keep-aldor': The rule names the device model 'Aldor E1-100'; models.csv also has '\u0410ldor E1\u2010100' (U+0410, U+2010)", StringComparison.Ordinal));
            Assert.Equal(2, warnings.Length);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // A run over records handed over (from a database) said no model warning at all: a model the
    // policy keeps that records spell alike was removed unsaid, as over a file before event 16.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunOverRecords_ModelSpelledAlikeOrMissing_EachSaid(bool async)
    {
        var folder = Directory.CreateTempSubdirectory("smi-telemetry-");
        try
        {
            var policy = Path.Combine(folder.FullName, "keep.json");
            File.WriteAllText(policy, """
                { "WorkflowName": "keep", "Rules": [
                  { "RuleName": "keep-aldor", "Expression": "device.Model == \"Aldor E1-100\"", "SuccessEvent": "Retain" },
                  { "RuleName": "keep-bryt", "Expression": "device.Model == \"Bryt B-7\"", "SuccessEvent": "Retain" },
                  { "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
                """);
            var logs = new CapturingLogs();
            using var provider = Provider(logs, o => o.Policy = policy);
            var service = provider.GetRequiredService<HousekeepingService>();
            DeviceRecord Pending(string id, string? model) => new(DeviceId.Parse(id), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2015, 1, 15), model: model);
            DeviceRecord[] records =
            [
                Pending("88-73-84-57-00-00-00-01", "Aldor E1-100"),
                Pending("88-73-84-57-00-00-00-02", "\u0410ldor E1\u2010100"),
                Pending("88-73-84-57-00-00-00-03", null),
            ];
            var options = new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = 1 };

            var result = async ? await service.RunAsync(records.ToAsyncEnumerable(), options) : service.Run(records, options);

            Assert.Equal(1, result.Report.Count(RetentionAction.Remove)); // the look-alike: the warning's reason
            var warnings = logs.Entries.Where(e => e.Event.Id == 16).Select(e => e.Message).ToArray();
            Assert.Equal(2, warnings.Length);
            Assert.Contains(warnings, w => w.Contains("rule 'keep-aldor': The rule names the device model 'Aldor E1-100'; the inventory handed to the run also has '\u0410ldor E1\u2010100' (U+0410, U+2010)", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.Contains("rule 'keep-bryt': The rule names the device model 'Bryt B-7', which no device of the inventory handed to the run has", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void RunOverRecords_NoRuleNamesAModel_NoWarning()
    {
        var logs = new CapturingLogs();
        using var provider = Provider(logs);
        var service = provider.GetRequiredService<HousekeepingService>();

        service.Run(Inventory(), new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = null });

        Assert.DoesNotContain(logs.Entries, e => e.Event.Id == 16);
    }

    [Fact]
    public void Refusal_LoggedAsWarningAndCountedAsRefused()
    {
        var logs = new CapturingLogs();
        using var provider = Provider(logs, o => o.MaxRemovals = 1);
        using var duration = new MetricCollector<double>(provider.GetRequiredService<IMeterFactory>(), "Smi.Retention", "smi.retention.run.duration");
        using var removed = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), "Smi.Retention", "smi.retention.devices.removed");
        var service = provider.GetRequiredService<HousekeepingService>();

        Assert.Throws<BlastRadiusExceededException>(() => service.Run(Inventory(), new HousekeepingRunOptions { AsOf = AsOf }));

        var refused = Assert.Single(logs.Entries, e => e.Event.Id == 12);
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Contains("refused by the blast-radius guard", refused.Message, StringComparison.Ordinal);
        Assert.Equal("refused", Assert.Single(duration.GetMeasurementSnapshot()).Tags["outcome"]);
        Assert.Empty(removed.GetMeasurementSnapshot());
    }

    [Fact]
    public void Metrics_DecidedByActionAndTypeReconcileWithTheReport()
    {
        var logs = new CapturingLogs();
        using var provider = Provider(logs);
        var meters = provider.GetRequiredService<IMeterFactory>();
        using var decided = new MetricCollector<long>(meters, "Smi.Retention", "smi.retention.devices.decided");
        using var removed = new MetricCollector<long>(meters, "Smi.Retention", "smi.retention.devices.removed");
        using var duration = new MetricCollector<double>(meters, "Smi.Retention", "smi.retention.run.duration");
        var service = provider.GetRequiredService<HousekeepingService>();

        var (report, removals) = service.Run(Inventory(), new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = null });

        var measurements = decided.GetMeasurementSnapshot();
        Assert.Equal(report.DevicesRead, measurements.Sum(m => m.Value));
        foreach (var action in new[] { RetentionAction.Remove, RetentionAction.Retain })
        {
            foreach (var type in DeviceTypes.All)
            {
                Assert.Equal(
                    report.Count(action, type),
                    measurements.Where(m => (string?)m.Tags["smi.retention.action"] == action.ToString() && (string?)m.Tags["smi.retention.device_type"] == type.ToString()).Sum(m => m.Value));
            }
        }

        Assert.Equal(removals.Count, removed.GetMeasurementSnapshot().Sum(m => m.Value));
        var run = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(("done", report.Elapsed.TotalSeconds), (run.Tags["outcome"], run.Value));
    }

    [Fact]
    public void PolicyLoadsAndRejectedReloads_CountedAndLogged()
    {
        var folder = Directory.CreateTempSubdirectory("smi-telemetry-");
        try
        {
            var path = Path.Combine(folder.FullName, "p.json");
            File.WriteAllText(path, PolicyCatalog.BuiltInText("secmp0060"));
            var logs = new CapturingLogs();
            using var provider = Provider(logs, o => o.Policy = path);
            using var loads = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), "Smi.Retention", "smi.retention.policy.loads");
            var service = provider.GetRequiredService<HousekeepingService>();

            File.WriteAllText(path, "{ \"WorkflowName\": ");
            Assert.False(service.Reload());
            File.WriteAllText(path, PolicyCatalog.BuiltInText("dcc-cr1022"));
            Assert.True(service.Reload());

            Assert.Equal(["loaded", "rejected", "reloaded"], loads.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
            Assert.Single(logs.Entries, e => e.Event.Id == 2 && e.Level == LogLevel.Error);
            Assert.Equal(2, logs.Entries.Count(e => e.Event.Id == 1));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Cancellation_LoggedAndCountedAsCancelled()
    {
        var logs = new CapturingLogs();
        using var provider = Provider(logs);
        using var duration = new MetricCollector<double>(provider.GetRequiredService<IMeterFactory>(), "Smi.Retention", "smi.retention.run.duration");
        var service = provider.GetRequiredService<HousekeepingService>();
        using var stop = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.RunAsync(Stopping(stop), new HousekeepingRunOptions { AsOf = AsOf }, stop.Token));

        Assert.Single(logs.Entries, e => e.Event.Id == 14);
        Assert.Equal("cancelled", Assert.Single(duration.GetMeasurementSnapshot()).Tags["outcome"]);
    }

    // A source that fails part-way: the run's span ends (as failed), its duration is recorded and it is logged.
    [Fact]
    public async Task SourceFails_SpanEndedDurationRecordedAndLogged()
    {
        var logs = new CapturingLogs();
        using var provider = Provider(logs);
        using var duration = new MetricCollector<double>(provider.GetRequiredService<IMeterFactory>(), "Smi.Retention", "smi.retention.run.duration");
        var service = provider.GetRequiredService<HousekeepingService>();
        var stopped = new System.Collections.Concurrent.ConcurrentBag<Activity>(); // the listener hears every test's runs, on their threads
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Smi.Retention",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        await Assert.ThrowsAsync<IOException>(() => service.RunAsync(Failing(), new HousekeepingRunOptions { AsOf = new LocalDate(2019, 11, 8) }));

        var run = Assert.Single(stopped, a => (string?)a.GetTagItem("smi.retention.as_of") == "2019-11-08");
        Assert.Equal(("failed", ActivityStatusCode.Error), ((string?)run.GetTagItem("smi.retention.outcome"), run.Status));
        Assert.NotEqual("smi.retention.run", Activity.Current?.OperationName);
        Assert.Equal("failed", Assert.Single(duration.GetMeasurementSnapshot()).Tags["outcome"]);
        Assert.Single(logs.Entries, e => e.Event.Id == 15 && e.Level == LogLevel.Error);
    }

    // A progress handler of the caller's that throws ended the run as "the inventory could not be
    // read" (a review's finding): the event says what failed, with the exception's message.
    [Fact]
    public void ProgressHandlerThrows_TheEventSaysSo()
    {
        var logs = new CapturingLogs();
        using var provider = Provider(logs);
        var service = provider.GetRequiredService<HousekeepingService>();
        var progress = new ThrowingProgress();
        Assert.Throws<InvalidOperationException>(() => service.Run(Inventory(), new HousekeepingRunOptions { AsOf = new LocalDate(2019, 11, 8), Progress = progress }));

        var failed = Assert.Single(logs.Entries, e => e.Event.Id == 15 && e.Level == LogLevel.Error);
        Assert.Equal("Housekeeping run failed after 30000 devices: the caller's progress handler (HousekeepingRunOptions.Progress) threw (InvalidOperationException: the dashboard is down); nothing released.", failed.Message);

        Assert.Throws<IOException>(() => service.Run(Inventory().Take(5_000).Concat(Throws())));
        Assert.Contains(logs.Entries, e => e.Event.Id == 15 && e.Message.Contains(": the inventory could not be read (IOException: the disk)", StringComparison.Ordinal));

        static IEnumerable<DeviceRecord> Throws()
        {
            throw new IOException("the disk");
#pragma warning disable CS0162 // an iterator
            yield break;
#pragma warning restore CS0162
        }
    }

    // The second review: a file changed while read was "the records handed over or the run failed".
    [Fact]
    public void FailureCauses_TheInventorysOwnExceptionsAreTheInventorys()
    {
        Assert.Equal("the inventory could not be read", HousekeepingService.CauseOf(new InventoryChangedException("changed"), progressHandlerFailed: false));
        Assert.Equal("the inventory could not be read", HousekeepingService.CauseOf(new CorruptInventoryException("cut short"), progressHandlerFailed: false));
        Assert.Equal("the inventory could not be read", HousekeepingService.CauseOf(new InventoryFormatException("disk", new IOException("disk")), progressHandlerFailed: false));
        Assert.Equal("the records handed over or the run failed", HousekeepingService.CauseOf(new InvalidOperationException("x"), progressHandlerFailed: false));
        Assert.StartsWith("the caller's progress handler", HousekeepingService.CauseOf(new IOException("x"), progressHandlerFailed: true), StringComparison.Ordinal);
    }

    private sealed class ThrowingProgress : IProgress<HousekeepingProgress>
    {
        public void Report(HousekeepingProgress value) => throw new InvalidOperationException("the dashboard is down");
    }

    private static async IAsyncEnumerable<DeviceRecord> Failing()
    {
        foreach (var device in Inventory().Take(5_000))
        {
            yield return device;
        }

        await Task.Yield();
        throw new IOException("the SMI connection dropped");
    }

    [Fact]
    public void Run_OneActivityWithThePolicyAndOutcome()
    {
        var logs = new CapturingLogs();
        using var provider = Provider(logs);
        var service = provider.GetRequiredService<HousekeepingService>();
        var stopped = new System.Collections.Concurrent.ConcurrentBag<Activity>(); // the listener hears every test's runs, on their threads
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Smi.Retention",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var asOf = new LocalDate(2019, 11, 13); // a date no other test runs on, so only this run's activity matches

        var (report, removals) = service.Run(Inventory(), new HousekeepingRunOptions { AsOf = asOf });

        var run = Assert.Single(stopped, a => a.OperationName == "smi.retention.run" && (string?)a.GetTagItem("smi.retention.as_of") == "2019-11-13");
        Assert.Equal(("sec-timeline", "done", report.DevicesRead, removals.Count), ((string?)run.GetTagItem("smi.retention.policy"), (string?)run.GetTagItem("smi.retention.outcome"), (long)run.GetTagItem("smi.retention.devices.read")!, (int)run.GetTagItem("smi.retention.devices.removed")!));
    }

    private static async IAsyncEnumerable<DeviceRecord> Stopping(CancellationTokenSource stop)
    {
        var i = 0;
        foreach (var device in Inventory())
        {
            if (++i == 10_000)
            {
                await stop.CancelAsync();
            }

            yield return device;
        }
    }
}
