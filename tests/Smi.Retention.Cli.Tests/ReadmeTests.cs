using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Smi.Retention.Hosting.Scheduling;

namespace Smi.Retention.Tests;

/// <summary>
/// The README never lies: its code blocks are copies of the code between the README markers in
/// this file, which runs here, and its policy file is the one in examples/. Some of these tests set
/// the working folder, so the class runs alone (<see cref="WorkingDirectoryTests"/>).
/// </summary>
[Collection(WorkingDirectoryTests.Name)]
public class ReadmeTests
{
    private static readonly string Root = Repository.Root();

    [Fact]
    public void PolicyAuthorSnippet_RunsAsWritten()
    {
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Root);
        using var output = new ConsoleCapture();
        try
        {
            // README:begin author
            // Validate: every problem at once, with line, column and a hint, or a policy ready to run.
            RetentionTimeline timeline;
            try
            {
                timeline = PolicyCatalog.Load("examples/policies/exclusion-per-type.json");
            }
            catch (PolicyValidationException invalid)
            {
                foreach (var problem in invalid.Problems)
                {
                    Console.Error.WriteLine(problem); // file(line,column): rule 'name': what is wrong and how to fix it
                }

                throw;
            }

            // Compile once; turn the as-of date into exact cutoffs once; then decide and explain.
            var evaluator = CompiledPolicy.Compile(timeline).For(new LocalDate(2019, 11, 7));
            var meter = new DeviceRecord(
                DeviceId.Parse("00-1B-C5-0C-00-00-00-2A"), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2018, 2, 28));

            RetentionDecision decision = evaluator.Evaluate(meter); // Retain, due 2021-02-28
            Console.WriteLine(evaluator.Explain(meter));
            // README:end author

            Assert.Equal(RetentionAction.Retain, decision.Action);
            Assert.Equal(new LocalDate(2021, 2, 28), decision.DueDate);
            Assert.Contains("Due for removal on: 2021-02-28", output.ToString(), StringComparison.Ordinal);

            // The page's sample explanation is this output, in order, with the hash and one rule's lines elided
            // (a line ending in '…' shows only its start; a line of '...' stands for lines left out).
            var shown = MarkedBlock("docs:checked-by ReadmeTests.PolicyAuthorSnippet_RunsAsWritten", "text").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(shown.Length > 10);
            var printed = output.ToString();
            var at = 0;
            foreach (var line in shown.Where(l => l.Trim() != "..."))
            {
                var part = line.EndsWith("…)", StringComparison.Ordinal) ? line[..line.IndexOf('…', StringComparison.Ordinal)] : line + "\n";
                var found = printed.IndexOf(part, at, StringComparison.Ordinal);
                Assert.True(found >= 0, $"'{line}' is not printed after the lines before it");
                at = found + part.Length;
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    [Fact]
    public void CalendarSnippet_RunsAsWritten()
    {
        // README:begin calendar
        var since = new LocalDate(2019, 3, 15);
        var period = RetentionPeriod.Parse("P12M");
        var onTheDay = RetentionCalendar.HasElapsed(since, period, new LocalDate(2020, 3, 15));    // true
        var strict = RetentionCalendar.HasElapsed(since, period, new LocalDate(2020, 3, 15),
            BoundaryMode.AfterCorrespondingDate);                                                 // false
        // README:end calendar

        Assert.True(onTheDay);
        Assert.False(strict);
    }

    [Fact]
    public void LibrarySnippet_RunsAsWritten()
    {
        using var output = new ConsoleCapture();

        // README:begin library
        var policy = CompiledPolicy.Compile(PolicyCatalog.Load("sec-timeline"));   // or a policy file's path
        var evaluator = policy.For(new LocalDate(2019, 11, 7));                      // exact cutoffs, once
        var hub = new DeviceRecord(DeviceId.Parse("88-73-84-57-00-2F-96-1E"), DeviceType.CHF,
            SmiStatus.Pending, new LocalDate(2017, 6, 1));

        RetentionDecision decision = evaluator.Evaluate(hub);   // Retain, due 2020-06-01 under SECMP0060
        Console.WriteLine(evaluator.Explain(hub));              // every rule, its tests and dates
        // README:end library

        Assert.Equal(RetentionAction.Retain, decision.Action);
        Assert.Equal(new LocalDate(2020, 6, 1), decision.DueDate);
        Assert.Contains("Due for removal on: 2020-06-01", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The hosting page's analysis over an inventory file runs as written, and holds back a device whose other row is rejected.</summary>
    [Fact]
    public void AnalysisSnippet_RunsAsWritten()
    {
        using var output = new ConsoleCapture();
        var folder = Directory.CreateTempSubdirectory("smi-analysis-").FullName;
        try
        {
            var inventory = Path.Combine(folder, "smi-2026-11-28.csv");
            File.WriteAllText(inventory, "device_id,device_type,status,status_since,prior_statuses\n"
                + "11-11-11-11-11-11-11-11,ESME,Pending,2025-01-01,\n"
                + "22-22-22-22-22-22-22-22,ESME,Pending,2025-01-01,\n"
                + "11-11-11-11-11-11-11-11,ESME,Comissioned,2026-11-01,Pending\n");
            var asOf = new LocalDate(2026, 11, 28);
            var proposed = CompiledPolicy.Compile(PolicyCatalog.Load("sec-ac72-v6.3"));
            var current = CompiledPolicy.Compile(PolicyCatalog.Load("secmp0060"));

            // README:begin analysis
            var diff = InventoryAnalysis.Run(inventory, asOf, devices => PolicyDiff.Compare(proposed, current, devices, asOf));
            Console.WriteLine($"{diff.Result.Count(ChangeDirection.NewlyRemoved)} newly removed; {diff.RowsRejected:N0} of {diff.RowsRead:N0} rows not counted");
            // README:end analysis
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        Assert.Equal("1 newly removed; 2 of 3 rows not counted", output.ToString().Trim());
    }

    // The timeline the authoring page shows loads as written, beside the policy file it names, and
    // puts that policy in force from its date.
    [Fact]
    public void TimelineSnippet_LoadsBesideItsPolicy()
    {
        var page = DocPages.Read("docs/authoring.md");
        var marker = page.IndexOf("<!-- docs:checked-by ReadmeTests.TimelineSnippet_LoadsBesideItsPolicy -->\n```json\n", StringComparison.Ordinal);
        Assert.True(marker >= 0);
        var start = page.IndexOf("```json\n", marker, StringComparison.Ordinal) + 8;
        var json = page[start..page.IndexOf("```", start, StringComparison.Ordinal)];
        var folder = Directory.CreateTempSubdirectory("smi-timeline-").FullName;
        try
        {
            File.Copy(Path.Combine(Root, "examples", "policies", "exclusion-per-type.json"), Path.Combine(folder, "my-policy.json"));
            File.WriteAllText(Path.Combine(folder, "revert.json"), json);

            var timeline = PolicyCatalog.Load(Path.Combine(folder, "revert.json"));

            Assert.Equal(["sec-ac72-v6.3", "secmp0060", "exclusion-per-type"], timeline.Versions.Select(v => v.Policy.Name));
            Assert.Equal("exclusion-per-type", timeline.PolicyAt(new LocalDate(2027, 1, 1)).Name);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The VS Code settings the authoring page suggests for a policy repository name schemas that
    // exist, and give each example file the schema of what it is.
    [Fact]
    public void EditorSettingsSnippet_PointsEachFileAtItsSchema()
    {
        var page = DocPages.Read("docs/authoring.md");
        var marker = page.IndexOf("<!-- docs:checked-by ReadmeTests.EditorSettingsSnippet_PointsEachFileAtItsSchema -->\n```json\n", StringComparison.Ordinal);
        Assert.True(marker >= 0);
        var start = page.IndexOf("```json\n", marker, StringComparison.Ordinal) + 8;
        using var settings = System.Text.Json.JsonDocument.Parse(page[start..page.IndexOf("```", start, StringComparison.Ordinal)]);
        var rules = settings.RootElement.GetProperty("json.schemas").EnumerateArray()
            .Select(r => (Globs: r.GetProperty("fileMatch").EnumerateArray().Select(g => g.GetString()!).ToArray(), Url: r.GetProperty("url").GetString()!))
            .ToArray();
        Assert.All(rules, r => Assert.True(File.Exists(Path.Combine(Root, r.Url)), $"{r.Url} does not exist"));

        string? SchemaOf(string path) => rules.LastOrDefault(r =>
            r.Globs.Where(g => !g.StartsWith('!')).Any(g => Glob(g, path)) && !r.Globs.Where(g => g.StartsWith('!')).Any(g => Glob(g[1..], path))).Url;
        Assert.Equal("./schemas/policy.schema.json", SchemaOf("policies/exclusion-per-type.json"));
        Assert.Equal("./schemas/policy-tests.schema.json", SchemaOf("policies/exclusion-per-type.tests.json"));
        Assert.Equal("./schemas/timeline.schema.json", SchemaOf("policies/sec-timeline.json"));
    }

    /// <summary>VS Code's fileMatch: '*' is any run of characters; a pattern without '/' matches the file's name.</summary>
    private static bool Glob(string pattern, string path) =>
        System.Text.RegularExpressions.Regex.IsMatch(pattern.Contains('/', StringComparison.Ordinal) ? path : Path.GetFileName(path),
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$");

    [Fact]
    public async Task HostingPackageSnippet_RunsAsWritten()
    {
        // README:begin hosting-package
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);   // the host supplies time
        builder.Services.AddSmiRetention(options => options.Policy = "sec-timeline");
        using var host = builder.Build();
        await host.StartAsync();                                        // a bad option or policy stops here

        var housekeeping = host.Services.GetRequiredService<HousekeepingService>();
        // README:end hosting-package

        Assert.Equal("sec-timeline", housekeeping.Run([]).Report.PolicyName);
        await host.StopAsync();
    }

    [Fact]
    public async Task HostSnippet_RunsAsWritten()
    {
        using var output = new ConsoleCapture();
        // README:begin host
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.AddSmiRetention(options => options.Policy = "sec-timeline");
        using var host = builder.Build();
        await host.StartAsync(); // validates the options and the policy: a bad one stops here, listing every problem

        var housekeeping = host.Services.GetRequiredService<HousekeepingService>();
        var asOf = new LocalDate(2019, 11, 7);
        var inventory = SyntheticInventory.Generate(100_000, seed: 1, asOf); // or a stream from the SMI
        var (report, removals) = housekeeping.Run(inventory, new HousekeepingRunOptions { AsOf = asOf });

        Console.WriteLine(report); // counts by action and type, policy and hash, tzdb, timings
        foreach (var removal in removals.Take(3))
        {
            Console.WriteLine(removal); // why this device is removed, fit for the regulator
        }

        await host.StopAsync();
        // README:end host

        Assert.Equal(100_000, report.DevicesRead);
        Assert.NotEmpty(removals);
        Assert.Contains("100,000 devices: Remove ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(") removed as of 2019-11-07 by rule 'pending-36-months'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleSnippet_RunsAsWritten()
    {
        // README:begin schedule
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.AddSingleton<IInventorySource, SmiInventory>();   // yours: streams the SMI
        builder.Services.AddSingleton<IRemovalSink, SmiRemovalJob>();      // yours: takes the removals
        builder.Services.AddSmiRetention(options => options.Policy = "sec-timeline");
        builder.Services.AddSmiRetentionSchedule(schedule => schedule.RunAt = new LocalTime(2, 0));
        using var host = builder.Build();
        // README:end schedule

        await host.StartAsync();
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is ScheduledHousekeepingService);
        await host.StopAsync();
    }

    private sealed class SmiInventory : IInventorySource
    {
        public IAsyncEnumerable<DeviceRecord> ReadAsync(LocalDate asOf, CancellationToken cancellationToken) =>
            SyntheticInventory.Generate(10, 1, asOf).ToAsyncEnumerable();
    }

    private sealed class SmiRemovalJob : IRemovalSink
    {
        public Task ReleaseAsync(HousekeepingResult result, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Theory]
    [InlineData("host")]
    [InlineData("schedule")]
    [InlineData("author")]
    [InlineData("calendar")]
    [InlineData("library")]
    public void Readme_ShowsTheSnippetThatRuns(string name)
    {
        var snippet = DocPages.Regions()[name];

        Assert.Contains("```csharp\n" + snippet + "\n```", Pages(), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_ShowsTheExamplePolicyFile() =>
        Assert.Contains(
            "```json\n" + File.ReadAllText(Path.Combine(Root, "examples", "policies", "exclusion-per-type.json")) + "```",
            DocPages.Read("docs/authoring.md"),
            StringComparison.Ordinal);

    [Fact]
    public void Readme_StartsWithTheTwoCommandsCiRuns()
    {
        var lines = FirstCommands();
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("dotnet run --project src/Smi.Retention.Cli -- run ", lines[0], StringComparison.Ordinal);
        Assert.Equal("dotnet test -c Release", lines[1]);
        Assert.Contains("\n" + lines[1] + " ", File.ReadAllText(Path.Combine(Root, ".ci", "run")), StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_MainJob_RunsAndPrintsTheSummary()
    {
        var args = FirstCommands()[0]["dotnet run --project src/Smi.Retention.Cli -- ".Length..].Split(' ');
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Root);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var exit = Smi.Retention.Cli.SmiRetentionCli.Run(args, output, error, interactive: false);

            Assert.Equal(0, exit);
            Assert.Equal("", error.ToString());
            Assert.Contains("Rows       10,000 read = 10,000 decided + 0 rejected", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("Decisions  Remove ", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    // The author's loop in "Pin its intent with tests": every command runs and exits 0, in a copy of
    // the files it names (its JUnit file is written there, not into the repository).
    [Fact]
    public void Readme_AuthoringCommands_RunAndExitZero()
    {
        var folder = DocPages.CopyOfExamples();
        try
        {
            foreach (var line in MarkedBlock("README:commands authoring", "sh").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.StartsWith("smi-retention ", line, StringComparison.Ordinal);
                var (exit, output, error) = DocPages.RunIn(folder, line["smi-retention ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                Assert.True(exit == 0, $"{line}: exit {exit}\n{output}{error}");
            }

            Assert.Contains("<testsuites name=\"smi-retention test\" tests=\"9\" failures=\"0\">", File.ReadAllText(Path.Combine(folder, "test-results.xml")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The failure the README shows is what the tool prints for the edit it describes (36 months to 24).
    [Fact]
    public void Readme_AuthoringFailure_IsWhatTheToolPrints()
    {
        var folder = DocPages.CopyOfExamples();
        try
        {
            var edit = File.ReadAllText(Path.Combine(Root, "examples", "policies", "exclusion-per-type.json")).Replace("PendingFor(\\\"P36M\\\")", "PendingFor(\\\"P24M\\\")", StringComparison.Ordinal);
            Assert.Contains("P24M", edit, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(folder, "my-edit.json"), edit);
            var block = MarkedBlock("docs:checked-by ReadmeTests.Readme_AuthoringFailure_IsWhatTheToolPrints", "text");
            var command = block[..block.IndexOf('\n', StringComparison.Ordinal)];
            Assert.StartsWith("$ smi-retention ", command, StringComparison.Ordinal);

            var (exit, output, _) = DocPages.RunIn(folder, command["$ smi-retention ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));

            Assert.Equal(1, exit);
            Assert.Equal(block[(command.Length + 1)..], output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The code block that follows an HTML comment marker in the README or a docs page.</summary>
    private static string MarkedBlock(string marker, string language)
    {
        var readme = Pages();
        var at = readme.IndexOf($"<!-- {marker} -->\n```{language}\n", StringComparison.Ordinal);
        Assert.True(at >= 0, $"No page has a block marked {marker}");
        var start = readme.IndexOf('\n', readme.IndexOf("```", at, StringComparison.Ordinal)) + 1;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static string[] FirstCommands()
    {
        var readme = Readme();
        var start = readme.IndexOf("```sh\n", StringComparison.Ordinal) + 6;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string Readme() => DocPages.Read("README.md");

    /// <summary>The README and every docs page: a snippet may be shown on any of them.</summary>
    private static string Pages() => DocPages.All();
}

/// <summary>Tests that set the process's working folder run in this collection, never beside others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkingDirectoryTests
{
    public const string Name = "Working directory";
}
