using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Testing;

namespace Smi.Retention.Tests.Hosting;

/// <summary>
/// A relative policy path is the app's, not the shell's: it resolves from the host's content root,
/// so the same app works started from its bin folder or anywhere else.
/// </summary>
public sealed class ContentRootTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("smi-content-root-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task RelativePolicyPath_ResolvesFromTheContentRootNotTheWorkingFolder()
    {
        Directory.CreateDirectory(Path.Combine(_root.FullName, "policies"));
        File.WriteAllText(Path.Combine(_root.FullName, "policies", "mine.json"), PolicyCatalog.BuiltInText("dcc-cr1022"));
        Assert.False(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "policies", "mine.json")));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root.FullName });
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0)));
        builder.Services.AddSmiRetention(o => o.Policy = "policies/mine.json");
        using var host = builder.Build();
        await host.StartAsync();

        var service = host.Services.GetRequiredService<HousekeepingService>();
        Assert.Equal("dcc-cr1022", service.Policy.Name);
        Assert.Equal(PolicyCatalog.LoadFile(Path.Combine(_root.FullName, "policies", "mine.json")).ContentHash, service.Policy.ContentHash);
        await host.StopAsync();
    }

    [Fact]
    public async Task RelativePolicyPath_MissingUnderTheContentRoot_AValidationFailureNamingIt()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root.FullName });
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0)));
        builder.Services.AddSmiRetention(o => o.Policy = "policies/missing.json");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains(Path.Combine(_root.FullName, "policies", "missing.json"), StringComparison.Ordinal));
    }

    // A file named as a built-in in the content root: the built-in was loaded, the file ignored.
    [Fact]
    public async Task BuiltInNameThatAFileInTheContentRootHasToo_AValidationFailureNamingBoth()
    {
        File.WriteAllText(Path.Combine(_root.FullName, "secmp0060"), PolicyCatalog.BuiltInText("dcc-cr1022"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root.FullName });
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0)));
        builder.Services.AddSmiRetention(o => o.Policy = "secmp0060");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(error.Failures, f => f.Contains($"'secmp0060' names both a built-in policy and the file {Path.Combine(_root.FullName, "secmp0060")}", StringComparison.Ordinal));
    }

    // A running host kept the built-in while a file of its name appeared in the content root (an
    // author's edit the host never read), and refused to start only when next restarted: it
    // watched no path for a built-in. The file's arrival is now a reload, refused and logged.
    [Fact]
    public async Task BuiltInNameThatAFileInTheContentRootComesToHave_TheReloadRefusedAndLogged()
    {
        var logs = new CapturingLogs();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root.FullName });
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0)));
        builder.Services.AddSmiRetention(o => o.Policy = "secmp0060");
        using var host = builder.Build();
        await host.StartAsync();
        var service = host.Services.GetRequiredService<HousekeepingService>();
        Assert.Equal("secmp0060", service.Policy.Name);

        File.WriteAllText(Path.Combine(_root.FullName, "secmp0060"), PolicyCatalog.BuiltInText("dcc-cr1022"));

        await Eventually.Until(() => logs.Entries.Any(e => e.Event.Id == 2 && e.Message.Contains($"'secmp0060' names both a built-in policy and the file {Path.Combine(_root.FullName, "secmp0060")}", StringComparison.Ordinal)), "the ambiguous name, logged");
        Assert.Equal("secmp0060", service.Policy.Name); // a reload refused keeps the policy in force, as any other
        await host.StopAsync();
    }

    // The same for a timeline's reference to a built-in: a file of that name beside the timeline.
    [Fact]
    public async Task BuiltInNameThatAFileBesideATimelineComesToHave_TheReloadRefusedAndLogged()
    {
        var logs = new CapturingLogs();
        File.WriteAllText(Path.Combine(_root.FullName, "timeline.json"), """{ "TimelineName": "t", "Versions": [ { "Policy": "sec-ac72-v6.3" }, { "Policy": "secmp0060", "EffectiveFrom": "2019-11-07" } ] }""");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root.FullName });
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0)));
        builder.Services.AddSmiRetention(o => o.Policy = "timeline.json");
        using var host = builder.Build();
        await host.StartAsync();
        var service = host.Services.GetRequiredService<HousekeepingService>();
        var hash = service.Policy.ContentHash;

        File.WriteAllText(Path.Combine(_root.FullName, "sec-ac72-v6.3"), PolicyCatalog.BuiltInText("dcc-cr1022"));

        await Eventually.Until(() => logs.Entries.Any(e => e.Event.Id == 2 && e.Message.Contains("'sec-ac72-v6.3' names both a built-in policy and the file", StringComparison.Ordinal)), "the ambiguous reference, logged");
        Assert.Equal(hash, service.Policy.ContentHash);
        await host.StopAsync();
    }

    // The review's case: the content root is where the host looks for files, so a file of a
    // built-in's name in the working folder is not its concern (it refused to start). The one
    // built-in no other test of this assembly names, for the file is in the shared working folder.
    [Fact]
    public async Task BuiltInNameThatAFileInTheWorkingFolderHas_TheBuiltInStill()
    {
        var stray = Path.Combine(Directory.GetCurrentDirectory(), "bryt-previously-commissioned");
        File.WriteAllText(stray, "{}");
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _root.FullName });
            builder.Services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 9, 0)));
            builder.Services.AddSmiRetention(o => o.Policy = "bryt-previously-commissioned");
            using var host = builder.Build();
            await host.StartAsync();

            Assert.Equal("bryt-previously-commissioned", host.Services.GetRequiredService<HousekeepingService>().Policy.Name);
            await host.StopAsync();
        }
        finally
        {
            File.Delete(stray);
        }
    }
}
