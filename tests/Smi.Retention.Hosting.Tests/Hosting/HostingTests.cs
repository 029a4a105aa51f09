using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace Smi.Retention.Tests.Hosting;

/// <summary>Options, DI, validation at start, hot reload, the guard, evidence, cancellation.</summary>
public sealed class HostingTests : IDisposable
{
    private static readonly LocalDate AsOf = new(2019, 11, 7);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-host-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static ServiceProvider Provider(Action<RetentionOptions>? configure = null, IClock? clock = null, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => { if (logs is not null) { b.AddProvider(logs); } });
        services.AddSingleton(clock ?? new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0)));
        services.AddSmiRetention(o =>
        {
            o.Policy = "sec-timeline";
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    private string PolicyFile(string name, string builtIn)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, PolicyCatalog.BuiltInText(builtIn));
        return path;
    }

    [Fact]
    public void AddSmiRetention_ResolvesTheServiceWithTheConfiguredPolicy()
    {
        using var provider = Provider(o => o.Policy = "secmp0060");
        var service = provider.GetRequiredService<HousekeepingService>();
        Assert.Equal("secmp0060", service.Policy.Name);
        Assert.Same(service, provider.GetRequiredService<HousekeepingService>());
    }

    [Fact]
    public void AddSmiRetention_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        var returned = services.AddSmiRetention().AddSmiRetention(o => o.Policy = "dcc-cr1022");
        Assert.Same(services, returned);
        Assert.Single(services, s => s.ServiceType == typeof(HousekeepingService));
        Assert.Single(services, s => s.ServiceType == typeof(IValidateOptions<RetentionOptions>));
        Assert.Single(services, s => s.ServiceType == typeof(IOptionsChangeTokenSource<RetentionOptions>));
    }

    [Fact]
    public void AddSmiRetention_AgainNamingAnotherSection_Refused()
    {
        var services = new ServiceCollection().AddSmiRetention("Dsp:Housekeeping");
        services.AddSmiRetention("dsp:HOUSEKEEPING", o => o.MaxRemovals = 3); // the same section: its options added

        var error = Assert.Throws<ArgumentException>(() => services.AddSmiRetention(o => o.MaxRemovals = 3));

        Assert.StartsWith(
            "AddSmiRetention was called before with the configuration section 'Dsp:Housekeeping', and now with 'SmiRetention': one section is bound, so this one would be ignored.",
            error.Message,
            StringComparison.Ordinal);
        Assert.Single(services, s => s.ServiceType == typeof(IOptionsChangeTokenSource<RetentionOptions>));
    }

    // The fifth review: a section with spaces around it or an empty key bound nothing, and every
    // message named SmiRetention's keys whatever section was bound.
    [Theory]
    [InlineData(" Dsp:Housekeeping ")]
    [InlineData("Dsp:Housekeeping:")]
    [InlineData("Dsp::Housekeeping")]
    [InlineData("Dsp: Housekeeping")]
    public void AddSmiRetention_NotASectionPath_Refused(string section)
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSmiRetention(section));
        Assert.StartsWith($"'{section}' is not a configuration section path: write it as keys joined by ':' (e.g. Dsp:Housekeeping), with no empty key and no spaces around it.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherSection_EveryMessageNamesItsKeys()
    {
        HostApplicationBuilder Builder(Dictionary<string, string?> settings)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 0, 0)));
            builder.Services.AddSmiRetention("Dsp:Housekeeping");
            return builder;
        }

        using (var host = Builder(new() { ["Dsp:Housekeeping:AlertCode"] = "x", ["Dsp:Housekeeping:MaxRemovals"] = "1" }).Build())
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
            Assert.Equal(2, error.Failures.Count());
            Assert.All(error.Failures, f => Assert.StartsWith("Dsp:Housekeeping:", f, StringComparison.Ordinal));
        }

        // A near-miss of the section is named by its path, as the section is (a review's finding: "has Housekeepin").
        using (var host = Builder(new() { ["Dsp:Housekeepin:MaxRemovals"] = "1" }).Build())
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
            Assert.Contains(error.Failures, f => f.StartsWith("The configuration has no Dsp:Housekeeping section but has Dsp:Housekeepin:MaxRemovals; did you mean Dsp:Housekeeping:MaxRemovals?", StringComparison.Ordinal));
        }

        foreach (var misplaced in new[] { "Dsp:HouseKeeping_MaxRemovals", "Dsp_Housekeeping:MaxRemovals", "DspHousekeeping:MaxRemovals", "Dsp.Housekeeping:MaxRemovals", "DSP-Housekeeping:MaxRemovals" })
        {
            using var host = Builder(new() { ["Dsp:Housekeeping:Policy"] = "sec-ac72-v6.3", [misplaced] = "1" }).Build();
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
            Assert.Contains($"The configuration has {misplaced} beside the Dsp:Housekeeping section; did you mean Dsp:Housekeeping:MaxRemovals?", Assert.Single(error.Failures), StringComparison.Ordinal);
        }

        using (var host = Builder(new() { ["Dsp:Housekeeping:Policy"] = "sec-ac72-v6.3", ["Dsp:Housekeeping:MaxRemovals"] = "1", ["Dsp:Housekeeping:MaxRemovalFraction"] = "1" }).Build())
        {
            await host.StartAsync();
            var devices = new[] { TestDevices.Pending(DeviceType.ESME, "2015-01-01"), TestDevices.Pending(DeviceType.GSME, "2015-01-01") };
            var refused = Assert.Throws<BlastRadiusExceededException>(() => host.Services.GetRequiredService<HousekeepingService>().Run(devices, new HousekeepingRunOptions { AsOf = AsOf }));
            Assert.Contains("over the limit of 1 devices (Dsp:Housekeeping:MaxRemovals)", refused.Message, StringComparison.Ordinal);
            await host.StopAsync();
        }
    }

    // The sixth review: an app's own service was not tied to the registration, so its refusals
    // named SmiRetention's keys whatever section was bound.
    [Fact]
    public async Task AppsOwnServiceRegisteredFirst_ItsMessagesNameTheSectionBound()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Dsp:Housekeeping:MaxRemovals"] = "1", ["Dsp:Housekeeping:MaxRemovalFraction"] = "1" });
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 0, 0)));
        builder.Services.AddSingleton(provider => ActivatorUtilities.CreateInstance<HousekeepingService>(provider));
        builder.Services.AddSmiRetention("Dsp:Housekeeping", o => o.Policy = "sec-ac72-v6.3");
        using var host = builder.Build();
        await host.StartAsync();

        var devices = new[] { TestDevices.Pending(DeviceType.ESME, "2015-01-01"), TestDevices.Pending(DeviceType.GSME, "2015-01-01") };
        var refused = Assert.Throws<BlastRadiusExceededException>(() => host.Services.GetRequiredService<HousekeepingService>().Run(devices, new HousekeepingRunOptions { AsOf = AsOf }));
        Assert.Contains("(Dsp:Housekeeping:MaxRemovals)", refused.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task AppsOwnServiceRegisteredFirst_TheSectionIsBoundAndCheckedAllTheSame()
    {
        // The section was bound only when no HousekeepingService was registered: an app registering its own
        // first lost the configuration's limit on removals, and a misspelt key went unsaid.
        HostApplicationBuilder Builder(string key)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = "7" });
            builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 0, 0)));
            builder.Services.AddSingleton(provider => ActivatorUtilities.CreateInstance<HousekeepingService>(provider));
            builder.Services.AddSmiRetention(o => { o.Policy = "sec-ac72-v6.3"; o.MaxRemovalFraction = 1; });
            return builder;
        }

        using (var host = Builder("SmiRetention:MaxRemovals").Build())
        {
            await host.StartAsync();
            Assert.Equal(7L, host.Services.GetRequiredService<IOptions<RetentionOptions>>().Value.MaxRemovals);
            var devices = Enumerable.Range(1, 8).Select(i => new DeviceRecord(new DeviceId((ulong)i), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2015, 1, 1)));
            var service = host.Services.GetRequiredService<HousekeepingService>();
            var refused = Assert.Throws<BlastRadiusExceededException>(() => service.Run(devices, new HousekeepingRunOptions { AsOf = AsOf }));
            Assert.Contains("over the limit of 7 devices (SmiRetention:MaxRemovals)", refused.Message, StringComparison.Ordinal);
            await host.StopAsync();
        }

        using (var host = Builder("SmiRetention:MaxRemovels").Build())
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
            Assert.Contains("MaxRemovels", Assert.Single(error.Failures), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Start_BadOption_StopsTheHostNamingFieldAndValue()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 0, 0)));
        builder.Services.AddSmiRetention(o =>
        {
            o.Policy = "sec-timeline";
            o.TimeZoneId = "Europe/Londres";
            o.MaxRemovalFraction = 1.5m;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            [
                "SmiRetention:TimeZoneId 'Europe/Londres' is not a tzdb time zone id; use Europe/London (the SMI's zone) or another tzdb id.",
                "SmiRetention:MaxRemovalFraction 1.5 is not a fraction; give a number from 0 to 1 with at most 10 decimal places (0.05 is 5% of the devices decided).",
            ],
            error.Failures);
    }

    [Fact]
    public async Task Start_BadPolicyFile_StopsTheHostListingEveryProblem()
    {
        var path = Path.Combine(_folder.FullName, "bad.json");
        File.WriteAllText(path, """{ "WorkflowName": "bad", "Rules": [ { "RuleName": "a", "Expresion": "true", "SuccessEvent": "Delete" } ] }""");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 0, 0)));
        builder.Services.AddSmiRetention(o => o.Policy = path);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            $"SmiRetention:Policy: Policy {path} is invalid (3 problems); nothing was evaluated:\n" +
            $"  {path}(1,37): rule 'a': The rule has no \"Expression\"; add \"Expression\" with a string.\n" +
            $"  {path}(1,56): rule 'a': \"Expresion\" is not a known field; did you mean \"Expression\"? The fields allowed here are RuleName, Expression, SuccessEvent, Enabled, Properties, ErrorMessage, RuleExpressionType.\n" +
            $"  {path}(1,93): rule 'a': SuccessEvent 'Delete' is not an action; use \"Remove\" or \"Retain\".",
            Assert.Single(error.Failures));
    }

    [Fact]
    public async Task Start_NoClock_SaysHowToRegisterOne()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSmiRetention(o => o.Policy = "sec-timeline");
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Equal(
            "No NodaTime IClock is registered: register NodaTime's system clock as IClock in the host (a FakeClock in tests); housekeeping never reads the wall clock itself.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public async Task Configuration_SectionIsBound()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SmiRetention:Policy"] = "dcc-cr1022",
            ["SmiRetention:Boundary"] = "AfterCorrespondingDate",
            ["SmiRetention:AlertCode"] = "N9",
            ["SmiRetention:MaxRemovals"] = "1000",
        });
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 0, 0)));
        builder.Services.AddSmiRetention();
        using var host = builder.Build();
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<RetentionOptions>>().Value;
        var service = host.Services.GetRequiredService<HousekeepingService>();
        Assert.Equal(("dcc-cr1022", BoundaryMode.AfterCorrespondingDate, "N9", 1000L), (options.Policy, options.Boundary, options.AlertCode, options.MaxRemovals));
        Assert.Equal(BoundaryMode.AfterCorrespondingDate, service.Policy.Boundary);

        var esme = TestDevices.Pending(DeviceType.ESME, "2018-01-01");
        Assert.Equal("N9", Assert.Single(service.Run([esme], new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = 1 }).Removals).Alert);
        await host.StopAsync();
    }

    [Fact]
    public void Run_WithoutAsOf_UsesTheClockInTheConfiguredZone()
    {
        using var provider = Provider(clock: new FakeClock(Instant.FromUtc(2019, 6, 30, 23, 30)));
        var report = provider.GetRequiredService<HousekeepingService>().Run([]).Report;
        Assert.Equal(new LocalDate(2019, 7, 1), report.AsOf);
        Assert.Equal("Europe/London", report.TimeZoneId);
    }

    [Fact]
    public void Run_BadRowsMixedIn_CountsReconcileAndNothingBadIsRemoved()
    {
        using var provider = Provider(o => { o.Policy = "sec-ac72-v6.3"; o.MaxRemovalFraction = 1; });
        var good = SyntheticInventory.Generate(50_000, 3, AsOf).ToList();
        var inventory = new List<DeviceRecord>();
        for (var i = 0; i < good.Count; i++)
        {
            inventory.Add(good[i]);
            if (i % 1000 == 0)
            {
                inventory.Add(default);
                inventory.Add(new DeviceRecord(new DeviceId((ulong)i), DeviceType.ESME, SmiStatus.Pending, AsOf.PlusDays(1)));
            }
        }

        var (report, removals) = provider.GetRequiredService<HousekeepingService>().Run(inventory, new HousekeepingRunOptions { AsOf = AsOf });

        Assert.Equal(inventory.Count, report.DevicesRead);
        Assert.Equal(report.DevicesRead, report.Count(RetentionAction.Remove) + report.Count(RetentionAction.Retain) + report.Count(RetentionAction.Undetermined));
        Assert.Equal(report.Count(RetentionAction.Remove), DeviceTypes.All.ToArray().Sum(t => report.Count(RetentionAction.Remove, t)));
        Assert.Equal(100, report.Count(RetentionAction.Undetermined));
        Assert.Equal(50, report.UntypedRecords);
        Assert.Equal(100, report.Undetermined.Count);
        Assert.All(report.Undetermined, u => Assert.False(string.IsNullOrEmpty(u.Reason)));
        Assert.Equal(report.Count(RetentionAction.Remove), removals.Count);
        var evaluator = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("sec-ac72-v6.3")).For(AsOf);
        Assert.Equal(good.Where(d => evaluator.Evaluate(d).IsRemoval).Select(d => d.Id), removals.Select(r => r.DeviceId)); // exactly the good removals, in order
        Assert.DoesNotContain(removals, r => r.StatusSince > AsOf);
    }

    [Fact]
    public void Guard_RemovingOnePointTwoMillionOfTwoMillion_RefusedWholeUnlessAcknowledged()
    {
        using var provider = Provider(o => o.Policy = "sec-ac72-v6.3");
        var service = provider.GetRequiredService<HousekeepingService>();
        IEnumerable<DeviceRecord> Inventory()
        {
            for (var i = 0UL; i < 2_000_000; i++)
            {
                yield return new DeviceRecord(new DeviceId(i + 1), DeviceType.CHF, i < 1_200_000 ? SmiStatus.Pending : SmiStatus.Commissioned, new LocalDate(2017, 6, 1));
            }
        }

        var refused = Assert.Throws<BlastRadiusExceededException>(() => service.Run(Inventory(), new HousekeepingRunOptions { AsOf = AsOf }));
        Assert.Equal(
            "Refused: the run would remove 1,200,000 of 2,000,000 devices decided (60.0 %), over the limit of 5% of the devices decided (SmiRetention:MaxRemovalFraction not set, so the default 0.05). No removal was released. If the count is expected, run again with HousekeepingRunOptions.AcknowledgedRemovals = 1200000, or raise the limit.",
            refused.Message);
        Assert.Equal(1_200_000, refused.Removals);

        var wrongCount = Assert.Throws<BlastRadiusExceededException>(() => service.Run(Inventory(), new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = 1_000_000 }));
        Assert.Contains("The acknowledged count was 1,000,000, which does not match.", wrongCount.Message, StringComparison.Ordinal);

        var released = service.Run(Inventory(), new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = 1_200_000 });
        Assert.Equal(1_200_000, released.Removals.Count);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void AcknowledgedRemovals_Negative_RefusedWhenSet(long count)
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new HousekeepingRunOptions { AcknowledgedRemovals = count });
        Assert.Equal("AcknowledgedRemovals", refused.ParamName);
        Assert.Equal(0L, new HousekeepingRunOptions { AcknowledgedRemovals = 0 }.AcknowledgedRemovals);
        Assert.Null(new HousekeepingRunOptions { AcknowledgedRemovals = null }.AcknowledgedRemovals);
    }

    [Fact]
    public void Guard_CountLimit_Refuses()
    {
        using var provider = Provider(o => { o.Policy = "sec-ac72-v6.3"; o.MaxRemovals = 1; o.MaxRemovalFraction = 1; });
        var devices = new[] { TestDevices.Pending(DeviceType.ESME, "2015-01-01"), TestDevices.Pending(DeviceType.GSME, "2015-01-01") };
        var refused = Assert.Throws<BlastRadiusExceededException>(() => provider.GetRequiredService<HousekeepingService>().Run(devices, new HousekeepingRunOptions { AsOf = AsOf }));
        Assert.StartsWith("Refused: the run would remove 2 of 2 devices decided (100.0 %), over the limit of 1 devices (SmiRetention:MaxRemovals).", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_MidRun_ReleasesNothing()
    {
        using var provider = Provider(o => o.MaxRemovalFraction = 1);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.DevicesRead >= 1 << 16) { cancel.Cancel(); } });
        HousekeepingResult? result = null;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            result = await provider.GetRequiredService<HousekeepingService>().RunAsync(
                AsyncSequence.Of(SyntheticInventory.Generate(1_000_000, 9, AsOf)), new HousekeepingRunOptions { AsOf = AsOf, Progress = progress }, cancel.Token));

        Assert.Null(result);
        Assert.True(progress.Calls >= 1);
    }

    [Fact]
    public void Evidence_SaysWhyTheDeviceWasRemoved()
    {
        using var provider = Provider(o => o.Policy = "secmp0060");
        var device = new DeviceRecord(DeviceId.Parse("00-1B-C5-0C-00-00-00-2A"), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2016, 2, 29), default, "SUPPLIER-7");
        var removal = Assert.Single(provider.GetRequiredService<HousekeepingService>().Run([device], new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = 1 }).Removals);

        Assert.Equal(
            $"00-1B-C5-0C-00-00-00-2A (ESME) removed as of 2019-11-07 by rule 'pending-36-months' [device.PendingFor(\"P36M\")] of secmp0060 in secmp0060 (sha256 {removal.PolicyHash}): status since 2016-02-29, removable since 2019-02-28 (OnCorrespondingDate); alert N8 to SUPPLIER-7.",
            removal.ToString());
        Assert.Equal(PolicyCatalog.LoadBuiltIn("secmp0060").ContentHash, removal.PolicyHash);
    }

    [Fact]
    public void Run_MeterWithoutAGeneration_UndeterminedWithTheReason_AndAlertsGroupedByServiceUser()
    {
        var policy = Path.Combine(Repository.Root(), "examples", "policies", "smets2-pending-24-months.json");
        using var provider = Provider(o => o.Policy = policy);
        DeviceRecord Meter(byte n, SmetsGeneration generation, string? party) =>
            new(new DeviceId(0x001B_C50C_0000_0000UL + n), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2016, 2, 29), SmiStatusSet.Of(SmiStatus.Commissioned), party, generation, "Brack E2-410");
        DeviceRecord[] inventory = [Meter(1, SmetsGeneration.SMETS2, "Supplier B"), Meter(2, SmetsGeneration.Unknown, "Supplier A"), Meter(3, SmetsGeneration.SMETS2, "Supplier A"), Meter(4, SmetsGeneration.SMETS2, null), Meter(5, SmetsGeneration.SMETS2, "Supplier B")];

        var result = provider.GetRequiredService<HousekeepingService>().Run(inventory, new HousekeepingRunOptions { AsOf = AsOf, AcknowledgedRemovals = 4 });

        var undetermined = Assert.Single(result.Report.Undetermined);
        Assert.Equal(inventory[1].Id, undetermined.Id);
        Assert.Contains("SMETS generation", undetermined.Reason, StringComparison.Ordinal);
        Assert.Equal(4, result.Removals.Count);
        Assert.Equal(["Supplier A", "Supplier B", null], result.AlertsByServiceUser.Select(g => g.ServiceUser));
        Assert.Equal([[inventory[2].Id], [inventory[0].Id, inventory[4].Id], [inventory[3].Id]], result.AlertsByServiceUser.Select(g => g.Alerts.Select(a => a.DeviceId).ToArray()));
        Assert.Equal(RemovalAlerts.ByServiceUser(result.Removals).Select(g => (g.ServiceUser, g.Alerts.Count)), result.AlertsByServiceUser.Select(g => (g.ServiceUser, g.Alerts.Count)));
        Assert.All(result.Removals, r => Assert.Equal((SmetsGeneration?)SmetsGeneration.SMETS2, r.Generation));
    }

    [Fact]
    public void Reload_InvalidEdit_KeepsTheLastGoodPolicyAndLogsEveryProblem()
    {
        var path = PolicyFile("policy.json", "secmp0060");
        var logs = new CapturingLogs();
        using var provider = Provider(o => o.Policy = path, logs: logs);
        var service = provider.GetRequiredService<HousekeepingService>();
        var first = service.Policy.ContentHash;

        File.WriteAllText(path, PolicyCatalog.BuiltInText("sec-ac72-v6.3"));
        Assert.True(service.Reload());
        var second = service.Policy.ContentHash;
        Assert.NotEqual(first, second);
        Assert.Equal("sec-ac72-v6.3", service.Policy.Name);

        File.WriteAllText(path, """{ "WorkflowName": "broken", "Rules": [ { "RuleName": "x", "Expression": "device.PendingFor(\"P0M\")", "SuccessEvent": "Remove" } ] }""");
        Assert.False(service.Reload());
        Assert.Equal(second, service.Policy.ContentHash);
        var error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains($"A reload of the housekeeping policy {path} and its settings was rejected; the last good policy (sha256 {second}) stays in force", error.Message, StringComparison.Ordinal);
        Assert.Contains("'P0M' is not a positive period", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditingThePolicyFile_SwapsThePolicyWithoutAReloadCall()
    {
        var path = PolicyFile("watched.json", "secmp0060");
        using var provider = Provider(o => o.Policy = path);
        var service = provider.GetRequiredService<HousekeepingService>();
        Assert.Equal("secmp0060", service.Policy.Name);

        File.WriteAllText(path, PolicyCatalog.BuiltInText("dcc-cr1022"));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (service.Policy.Name != "dcc-cr1022" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal("dcc-cr1022", service.Policy.Name);
    }

    [Fact]
    public void HotReload_UnderConcurrentRuns_EveryRunUsesOneWholePolicy()
    {
        var path = PolicyFile("hot.json", "secmp0060");
        using var provider = Provider(o => { o.Policy = path; o.MaxRemovalFraction = 1; });
        var service = provider.GetRequiredService<HousekeepingService>();
        var inventory = SyntheticInventory.Generate(20_000, 11, AsOf).ToArray();
        var texts = new[] { PolicyCatalog.BuiltInText("secmp0060"), PolicyCatalog.BuiltInText("sec-ac72-v6.3"), PolicyCatalog.BuiltInText("dcc-cr1022") };
        var expected = texts.Select(t => PolicyCatalog.Parse(t)).ToDictionary(
            t => t.ContentHash,
            t => CompiledPolicy.Compile(t).For(AsOf) is var e ? inventory.Count(d => e.Evaluate(d).IsRemoval) : 0);
        Assert.Equal(3, expected.Values.Distinct().Count());

        // Dedicated threads, not the pool: the rest of the suite runs in parallel on two cores.
        // Each reader makes at least 5 runs and keeps going for 3 seconds; the writer keeps
        // swapping (and half-writing) the policy until every reader is done. 60 seconds at most.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var stop = DateTime.UtcNow.AddSeconds(3);
        var runs = 0;
        var readersLeft = 6;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var writer = new Thread(() =>
        {
            for (var i = 0; Volatile.Read(ref readersLeft) > 0 && DateTime.UtcNow < deadline; i++)
            {
                File.WriteAllText(path, i % 4 == 3 ? "{ \"WorkflowName\": \"half-written\", \"Rules\": [" : texts[i % 3]);
                service.Reload();
                Thread.Sleep(1);
            }
        });
        var readers = Enumerable.Range(0, 6).Select(_ => new Thread(() =>
        {
            for (var mine = 0; (mine < 5 || DateTime.UtcNow < stop) && DateTime.UtcNow < deadline; mine++)
            {
                var (report, removals) = service.Run(inventory, new HousekeepingRunOptions { AsOf = AsOf });
                Interlocked.Increment(ref runs);
                seen.AddOrUpdate(report.PolicyHash, 1, (_, n) => n + 1);
                if (!expected.TryGetValue(report.PolicyHash, out var count) || count != removals.Count || removals.Any(r => r.PolicyHash != report.PolicyHash))
                {
                    failures.Add($"{report.PolicyName} {report.PolicyHash}: {removals.Count} removals");
                }
            }

            Interlocked.Decrement(ref readersLeft);
        })).ToArray();
        writer.Start();
        foreach (var reader in readers)
        {
            reader.Start();
        }

        foreach (var thread in readers.Append(writer))
        {
            thread.Join();
        }

        Assert.Empty(failures);
        Assert.True(runs >= 30, $"only {runs} runs");
        Assert.True(seen.Count >= 2, $"the runs saw only {seen.Count} policy version(s)");
    }

    private sealed class SynchronousProgress(Action<HousekeepingProgress> report) : IProgress<HousekeepingProgress>
    {
        public int Calls { get; private set; }

        public void Report(HousekeepingProgress value)
        {
            Calls++;
            report(value);
        }
    }
}
