using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Smi.Retention.Cli.Workbench;

namespace Smi.Retention.Tests.Workbench;

/// <summary>
/// The workbench's server as a hostile page or a tired author would meet it: requests for another
/// host, without the token, from another origin, too large, or saving outside the working folder
/// are refused; what it answers agrees with the library's diff, tests and lint.
/// </summary>
public class WorkbenchServerTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Page_IsServedWithTheTokenAndItsProtections()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var response = await bench.Client.GetAsync("/");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"content=\"{bench.Token}\"", page, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("127.0.0.1", bench.Address.Host);
        Assert.Equal(HttpStatusCode.OK, (await bench.Client.GetAsync("/app.js")).StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1:1")]
    public async Task AnyRequest_ForAnotherHost_IsRefused(string host)
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var hostHeader = host.Contains(':', StringComparison.Ordinal) ? host : $"{host}:{bench.Address.Port}";
        foreach (var request in new[] { new HttpRequestMessage(HttpMethod.Get, "/"), new HttpRequestMessage(HttpMethod.Get, "/api/start") })
        {
            request.Headers.Host = hostHeader;
            var response = await bench.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
            Assert.DoesNotContain(bench.Token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var post = await bench.PostAsync("/api/save", new { text = bench.PolicyText }, change: r => r.Headers.Host = hostHeader);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, post.StatusCode);
    }

    [Theory]
    [InlineData("/api/check")]
    [InlineData("/api/explain")]
    [InlineData("/api/save")]
    public async Task Post_WithoutTheRightToken_IsRefused(string path)
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var before = File.ReadAllText(bench.PolicyPath);
        var body = new { text = "{}", path = "x.json" };
        foreach (var token in new[] { "", "wrong", bench.Token[..^1], bench.Token + "A" })
        {
            var response = await bench.PostAsync(path, body, token);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var bare = await bench.Client.PostAsync(path, JsonContent.Create(body));
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.Equal(before, File.ReadAllText(bench.PolicyPath));
        Assert.False(File.Exists(Path.Combine(bench.Folder, "x.json")));
    }

    [Fact]
    public async Task Post_FromAnotherOrigin_IsRefusedEvenWithTheToken()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var response = await bench.PostAsync("/api/save", new { text = bench.PolicyText, path = "x.json" }, change: r => r.Headers.Add("Origin", "http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(bench.Folder, "x.json")));

        var own = await bench.PostAsync("/api/check", new { text = bench.PolicyText }, change: r => r.Headers.Add("Origin", $"http://localhost:{bench.Address.Port}"));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Theory]
    [InlineData("../{name}")]
    [InlineData("sub/../../{name}")]
    [InlineData("{parent}/{name}")]
    [InlineData("linked/{name}")]
    [InlineData("a\u0000b.json")]
    [InlineData(".")]
    public async Task Save_ToAPathOutsideTheWorkingFolder_IsRefused(string template)
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var outside = Directory.CreateTempSubdirectory("smi-outside-");
        var name = $"outside-{Guid.NewGuid():N}.json";
        var parent = Path.GetDirectoryName(bench.Folder)!;
        var path = template.Replace("{name}", name, StringComparison.Ordinal).Replace("{parent}", parent, StringComparison.Ordinal);
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(bench.Folder, "linked"), outside.FullName);
            var response = await bench.PostAsync("/api/save", new { text = bench.PolicyText, path });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("not a file under the working folder", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Empty(outside.GetFiles());
            Assert.False(File.Exists(Path.Combine(parent, name)));
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Save_ALinkPlantedAtTheDestination_IsNotFollowed()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var victim = Path.Combine(bench.Folder, "victim.txt");
        File.WriteAllText(victim, "keep me");
        File.CreateSymbolicLink(Path.Combine(bench.Folder, "planted.json"), victim);

        var response = await bench.PostAsync("/api/save", new { text = bench.PolicyText, path = "planted.json" });

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("keep me", File.ReadAllText(victim));
    }

    // A link to a pipe or a device, or a pipe itself, as the destination: the tool's outputs write
    // through those, a save must not (it hung on a pipe, and wrote through a link out of the folder).
    [Theory]
    [InlineData("link-to-outside-fifo")]
    [InlineData("link-to-dev-null")]
    [InlineData("link-to-dev-stdout")]
    [InlineData("fifo")]
    public async Task Save_ToAPipeDeviceOrLinkToOne_IsRefusedAtOnce(string planted)
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var outside = Directory.CreateTempSubdirectory("smi-outside-");
        try
        {
            var destination = Path.Combine(bench.Folder, "planted.json");
            switch (planted)
            {
                case "link-to-outside-fifo":
                    Fifo.Make(Path.Combine(outside.FullName, "evil.fifo"));
                    File.CreateSymbolicLink(destination, Path.Combine(outside.FullName, "evil.fifo"));
                    break;
                case "link-to-dev-null":
                    File.CreateSymbolicLink(destination, "/dev/null");
                    break;
                case "link-to-dev-stdout":
                    File.CreateSymbolicLink(destination, "/dev/stdout");
                    break;
                default:
                    Fifo.Make(destination);
                    break;
            }

            var response = await bench.PostAsync("/api/save", new { text = bench.PolicyText, path = "planted.json" }).WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Empty(Directory.GetFiles(bench.Folder, "*.partial"));
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("a\u202eb.json")]
    [InlineData("a\u200bb.json")]
    [InlineData("a\u2028b.json")]
    [InlineData("a\nb.json")]
    public async Task Save_ToANameWithInvisibleCharacters_IsRefused(string path)
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var response = await bench.PostAsync("/api/save", new { text = bench.PolicyText, path });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["exclusion-per-type.json", "exclusion-per-type.tests.json"], Directory.GetFiles(bench.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Save_AValidEdit_WritesExactlyTheTextAtomically()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var edited = bench.PolicyText.Replace("P36M", "P48M", StringComparison.Ordinal);
        Assert.NotEqual(bench.PolicyText, edited);

        var response = await bench.PostAsync("/api/save", new { text = edited, baseSha256 = bench.PolicySha256 });
        var saved = await response.Content.ReadFromJsonAsync<WorkbenchSaved>(Web);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(edited, File.ReadAllText(bench.PolicyPath));
        Assert.Equal("exclusion-per-type.json", saved!.Path);
        Assert.True(saved.Valid);
        Assert.Empty(Directory.GetFiles(bench.Folder, "*.partial"));
    }

    /// <summary>The file is the truth: a save made on a version of the file that is no longer on disk is refused with the file as it is now, until the author chooses to overwrite.</summary>
    [Fact]
    public async Task Save_TheFileChangedSinceItWasLoaded_RefusedWithTheFileAsItIsNow_UntilOverwriteIsChosen()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var theirs = bench.PolicyText.Replace("P36M", "P24M", StringComparison.Ordinal);
        File.WriteAllText(bench.PolicyPath, theirs); // another editor saved it
        var mine = bench.PolicyText.Replace("P36M", "P48M", StringComparison.Ordinal);

        var refused = await bench.PostAsync("/api/save", new { text = mine, baseSha256 = bench.PolicySha256 });
        var error = await refused.Content.ReadFromJsonAsync<WorkbenchError>(Web);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("changed on disk since you loaded it", error!.Error, StringComparison.Ordinal);
        Assert.Equal((theirs, Sha256(theirs)), (error.Conflict!.Text, error.Conflict.Sha256));
        Assert.Equal(theirs, File.ReadAllText(bench.PolicyPath));

        // Saving on the version now on disk, or choosing to overwrite, writes it.
        var chosen = await bench.PostAsync("/api/save", new { text = mine, baseSha256 = bench.PolicySha256, overwrite = true });
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        Assert.Equal(mine, File.ReadAllText(bench.PolicyPath));
        var next = await bench.PostAsync("/api/save", new { text = theirs, baseSha256 = Sha256(mine) });
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Save_NoBaseForAFileThatExists_Refused_AndANewFileNeedsNoBase()
    {
        await using var bench = await WorkbenchHarness.StartAsync();

        var blind = await bench.PostAsync("/api/save", new { text = bench.PolicyText });
        var fresh = await bench.PostAsync("/api/save", new { text = bench.PolicyText, path = "copy.json" });

        Assert.Equal(HttpStatusCode.Conflict, blind.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(bench.PolicyText, File.ReadAllText(Path.Combine(bench.Folder, "copy.json")));
    }

    [Fact]
    public async Task FileAndStart_AreTheFilesAsTheyAreOnDiskNow()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var saved = bench.PolicyText.Replace("P36M", "P24M", StringComparison.Ordinal);
        File.WriteAllText(bench.PolicyPath, saved);

        var start = await bench.Client.GetFromJsonAsync<WorkbenchStart>(new Uri("/api/start", UriKind.Relative), Web);
        var file = await bench.Client.GetFromJsonAsync<WorkbenchFile>(new Uri("/api/file?of=policy", UriKind.Relative), Web);
        var tests = await bench.Client.GetFromJsonAsync<WorkbenchFile>(new Uri("/api/file?of=tests", UriKind.Relative), Web);

        Assert.Equal((saved, Sha256(saved)), (start!.Policy.Text, start.Policy.Sha256));
        Assert.Equal((saved, Sha256(saved)), (file!.Text, file.Sha256));
        Assert.Equal(File.ReadAllText(bench.TestsPath), tests!.Text);
        Assert.Contains(start.Vocabulary.Members, m => m.Name == "PendingFor" && m.Call);
        Assert.Contains(start.Vocabulary.Members, m => m.Name == "Generation" && !m.Call);
        Assert.Contains(start.Vocabulary.Members, m => m.Name == "Model" && !m.Call);
        Assert.Contains("\"generations\":[\"SMETS1\",\"SMETS2\"]", await bench.Client.GetStringAsync(new Uri("/api/start", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RuleTestsAFactTheInventoryLacks_Warned()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root(), "examples", "policies", "smets2-pending-24-months.json"));
        var devices = SyntheticInventory.Generate(500, seed: 3, new NodaTime.LocalDate(2021, 6, 30)).ToArray();
        var baseline = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("secmp0060"));
        WorkbenchSetup Setup(IReadOnlySet<string> columns) =>
            new(text, Path.Combine(Path.GetTempPath(), "smets2.json"), baseline, devices, "five-columns.csv", new NodaTime.LocalDate(2021, 6, 30), BoundaryMode.OnCorrespondingDate, null, null, false) { Columns = columns };

        var lacking = new Smi.Retention.Cli.Workbench.WorkbenchSession(Setup(new HashSet<string>())).Check(text);
        var full = new Smi.Retention.Cli.Workbench.WorkbenchSession(Setup(new HashSet<string> { "smets_generation", "device_model", "notifying_party" })).Check(text);

        Assert.Contains(lacking.Warnings, w => w.Message.Contains("five-columns.csv has no smets_generation column", StringComparison.Ordinal));
        Assert.DoesNotContain(full.Warnings, w => w.Message.Contains("column", StringComparison.Ordinal));
        Assert.True(full.Valid);
        Assert.Null(full.Meaning); // a symbolic diff does not describe generations: the page says why
        Assert.Contains("diff --inventory", full.MeaningAbsent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveTests_WritesTheTestsFile_InvalidRefused_NeverOverAnInput()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var original = File.ReadAllText(bench.TestsPath);
        var edited = original.Replace("Communications Hubs are never removed", "Hubs stay", StringComparison.Ordinal);

        var invalid = await bench.PostAsync("/api/save", new { of = "tests", text = "{ \"Cases\": 3 }", baseSha256 = Sha256(original) });
        var saved = await bench.PostAsync("/api/save", new { of = "tests", text = edited, baseSha256 = Sha256(original), path = "elsewhere.json" });

        Assert.Equal(HttpStatusCode.Conflict, invalid.StatusCode);
        Assert.NotEmpty((await invalid.Content.ReadFromJsonAsync<WorkbenchError>(Web))!.Problems!);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(edited, File.ReadAllText(bench.TestsPath)); // the tests file itself, whatever path was sent
        Assert.False(File.Exists(Path.Combine(bench.Folder, "elsewhere.json")));

        // A policy save never goes over the tests file.
        var over = await bench.PostAsync("/api/save", new { text = bench.PolicyText, path = "exclusion-per-type.tests.json", overwrite = true });
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
        Assert.Equal(edited, File.ReadAllText(bench.TestsPath));
    }

    [Fact]
    public async Task Check_WithEditedTests_RunsThemAndPlacesTheirProblems()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var tests = File.ReadAllText(bench.TestsPath);

        var failing = await (await bench.PostAsync("/api/check", new { text = bench.PolicyText, tests = tests.Replace("\"Action\": \"Retain\"", "\"Action\": \"Remove\"", StringComparison.Ordinal) })).Content.ReadFromJsonAsync<WorkbenchCheck>(Web);
        var broken = await (await bench.PostAsync("/api/check", new { text = bench.PolicyText, tests = "{\n  \"Cases\": [ { \"Name\": 1 } ]\n}" })).Content.ReadFromJsonAsync<WorkbenchCheck>(Web);

        Assert.True(failing!.Tests!.Failed > 0);
        Assert.All(failing.Tests.Cases, c => Assert.True(c.Line > 0 && c.Column > 0));
        Assert.Null(broken!.Tests);
        Assert.Contains(broken.TestProblems!, p => p.Line == 2);
        var misspelt = await (await bench.PostAsync("/api/check", new { text = bench.PolicyText, tests = tests.Replace("\"Rule\": \"never-remove-hubs\"", "\"Rule\": \"never-remove-hub\"", StringComparison.Ordinal) })).Content.ReadFromJsonAsync<WorkbenchCheck>(Web);
        var unknown = Assert.Single(misspelt!.TestProblems!);
        Assert.Contains("did you mean 'never-remove-hubs'?", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(tests.Split('\n').TakeWhile(l => !l.Contains("Communications Hubs are never removed", StringComparison.Ordinal)).Count(), unknown.Line); // at the case: the line before its name

        var longer = await (await bench.PostAsync("/api/check", new { text = bench.PolicyText.Replace("P36M", "P48M", StringComparison.Ordinal) })).Content.ReadFromJsonAsync<WorkbenchCheck>(Web);
        Assert.Equal(["Remove -> Retain: ESME, GSME pending 36-48 months, any history (status since 2022-11-29 to 2023-11-28)"], longer!.Meaning!);
        Assert.Empty(failing.Meaning!); // the same policy as the baseline: nothing changes
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Save_AnInvalidPolicy_IsRefusedWithItsProblems_UnlessForced()
    {
        var broken = "{ \"WorkflowName\": \"x\", \"Rules\": [ { \"RuleName\": \"r\", \"Expression\": \"device.PendingFr(\\\"P36M\\\")\", \"SuccessEvent\": \"Remove\" } ] }";
        await using (var bench = await WorkbenchHarness.StartAsync())
        {
            var response = await bench.PostAsync("/api/save", new { text = broken, baseSha256 = bench.PolicySha256 });
            var error = await response.Content.ReadFromJsonAsync<WorkbenchError>(Web);

            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("--force", error!.Error, StringComparison.Ordinal);
            Assert.Contains(error.Problems!, p => p.Line == 1 && p.Message.Contains("PendingFor", StringComparison.Ordinal));
            Assert.Equal(bench.PolicyText, File.ReadAllText(bench.PolicyPath));
        }

        await using (var forced = await WorkbenchHarness.StartAsync(force: true))
        {
            var response = await forced.PostAsync("/api/save", new { text = broken, baseSha256 = forced.PolicySha256 });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False((await response.Content.ReadFromJsonAsync<WorkbenchSaved>(Web))!.Valid);
            Assert.Equal(broken, File.ReadAllText(forced.PolicyPath));
        }
    }

    [Fact]
    public async Task Post_LargerThanTheLimit_IsRefused()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var huge = new string(' ', (int)WorkbenchServer.MaxRequestBytes + 10);
        var response = await bench.PostAsync("/api/check", new { text = huge });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"text\": 5}")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    [InlineData("{}")]
    public async Task Post_OfAMalformedBody_IsABadRequest(string body)
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/check") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(WorkbenchServer.TokenHeader, bench.Token);
        var response = await bench.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.Content.ReadFromJsonAsync<WorkbenchError>(Web))!.Error); // said, as every refusal is: never an empty 400
    }

    [Fact]
    public async Task Save_ToAnotherFileThatExists_RefusedUntilChosen_AndNeverOverAFileTheTimelineReads()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var other = Path.Combine(bench.Folder, "other.json");
        File.WriteAllText(other, "theirs");

        var refused = await bench.PostAsync("/api/save", new { text = bench.PolicyText, path = "other.json", baseSha256 = bench.PolicySha256 });
        var error = await refused.Content.ReadFromJsonAsync<WorkbenchError>(Web);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("already exists, and it is not the file being edited", error!.Error, StringComparison.Ordinal);
        Assert.Equal("theirs", error.Conflict!.Text);
        Assert.Equal(HttpStatusCode.OK, (await bench.PostAsync("/api/save", new { text = bench.PolicyText, path = "other.json", overwrite = true })).StatusCode);

        // A timeline whose versions are files beside it: a save never goes over one of them, even when overwriting.
        File.WriteAllText(Path.Combine(bench.Folder, "v1.json"), bench.PolicyText);
        var timeline = """{ "TimelineName": "tl", "Versions": [ { "Policy": "secmp0060" }, { "Policy": "v1.json", "EffectiveFrom": "2027-01-01" } ] }""";
        var over = await bench.PostAsync("/api/save", new { text = timeline, path = "v1.json", overwrite = true });
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
        Assert.Contains("a file the edited timeline reads", (await over.Content.ReadFromJsonAsync<WorkbenchError>(Web))!.Error, StringComparison.Ordinal);
        Assert.Equal(bench.PolicyText, File.ReadAllText(Path.Combine(bench.Folder, "v1.json")));
    }

    [Theory]
    [InlineData("\"Policy\": \"exclusion-per-type.json\"", "\"Policy\": \"secmp006\"", "secmp006")]
    [InlineData("\"Policy\": \"exclusion-per-type.json\"", "\"Policy\": \"gone.json\"", "gone.json")]
    [InlineData("\"Rule\": \"never-remove-hubs\"", "\"Rule\": \"never-remove-hub\"", "did you mean 'never-remove-hubs'?")]
    public async Task SaveTests_AFileTestWouldRefuse_IsNotSaved(string part, string replacement, string said)
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var original = File.ReadAllText(bench.TestsPath);
        var edited = original.Replace(part, replacement, StringComparison.Ordinal);
        Assert.NotEqual(original, edited);

        var response = await bench.PostAsync("/api/save", new { of = "tests", text = edited, baseSha256 = Sha256(original) });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains((await response.Content.ReadFromJsonAsync<WorkbenchError>(Web))!.Problems!, p => p.Message.Contains(said, StringComparison.Ordinal));
        Assert.Equal(original, File.ReadAllText(bench.TestsPath));
    }

    [Theory]
    [InlineData("link")]
    [InlineData("folder")]
    [InlineData("fifo")]
    public async Task TestsFileNoLongerAFile_TheStartStillServesThePolicy_AndNothingIsReadThroughALink(string what)
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var secret = Path.Combine(Path.GetTempPath(), $"smi-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "the contents of a file outside the folder");
        try
        {
            File.Delete(bench.TestsPath);
            switch (what)
            {
                case "link": File.CreateSymbolicLink(bench.TestsPath, secret); break;
                case "folder": Directory.CreateDirectory(bench.TestsPath); break;
                default: Fifo.Make(bench.TestsPath); break;
            }

            var start = await bench.Client.GetAsync(new Uri("/api/start", UriKind.Relative));
            var file = await bench.Client.GetStringAsync(new Uri("/api/file?of=tests", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
            var started = (await start.Content.ReadFromJsonAsync<WorkbenchStart>(Web))!;
            Assert.Equal(bench.PolicyText, started.Policy.Text);
            Assert.Null(started.Tests!.Text);
            Assert.NotNull(started.Tests.Error);
            Assert.DoesNotContain("the contents of a file outside", file, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task File_OfTestsWithoutATestsFile_IsAJsonNotFound()
    {
        await using var bench = await WorkbenchHarness.StartAsync(tests: false);

        var response = await bench.Client.GetAsync(new Uri("/api/file?of=tests", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no tests file", (await response.Content.ReadFromJsonAsync<WorkbenchError>(Web))!.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AgreesWithTheLibrary_DiffTestsAndCounts()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var edited = bench.PolicyText.Replace("P36M", "P24M", StringComparison.Ordinal);
        var response = await bench.PostAsync("/api/check", new { text = edited });
        var check = (await response.Content.ReadFromJsonAsync<WorkbenchCheck>(Web))!;

        var proposed = CompiledPolicy.Compile(PolicyCatalog.Parse(edited));
        var against = CompiledPolicy.Compile(PolicyCatalog.Parse(bench.PolicyText));
        var diff = PolicyDiff.Compare(proposed, against, bench.Devices, WorkbenchHarness.AsOf);
        Assert.True(check.Valid);
        Assert.True(diff.Count(ChangeDirection.NewlyRemoved) > 0);
        Assert.Equal(diff.Count(ChangeDirection.NewlyRemoved), check.Diff!.NewlyRemoved);
        Assert.Equal(diff.Count(ChangeDirection.NewlyRetained), check.Diff.NewlyRetained);
        Assert.Equal(diff.Count(ChangeDirection.Other), check.Diff.Other);
        Assert.All(check.Diff.Types, t => Assert.Equal(diff.Count(ChangeDirection.NewlyRemoved, Enum.Parse<DeviceType>(t.Type)), t.NewlyRemoved));
        Assert.Equal(Math.Min(Smi.Retention.Cli.Workbench.WorkbenchSession.SampleSize, diff.Changes.Count), check.Diff.Sample.Length);
        Assert.All(check.Diff.Sample, f => Assert.Contains(f.Id, diff.Changes.Select(c => c.Device.Id.ToString())));

        var evaluator = proposed.For(WorkbenchHarness.AsOf);
        Assert.Equal(bench.Devices.LongCount(d => evaluator.Evaluate(d).IsRemoval), check.Counts!.Remove);
        Assert.Equal(bench.Devices.Length, check.Counts.Remove + check.Counts.Retain + check.Counts.Undetermined);
        Assert.Equal(12, check.Forecast!.Months.Length);
        Assert.Contains("<svg", check.Forecast.Chart, StringComparison.Ordinal);
        Assert.NotNull(check.Tests);
        Assert.Contains(check.Tests!.Cases, c => !c.Passed && c.Explanation is { Length: > 0 });
    }

    [Fact]
    public async Task Check_ABrokenExpression_GivesTheProblemAtItsLineAndNoNumbers()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var broken = bench.PolicyText.Replace("device.PendingFor(", "device.PendingFr(", StringComparison.Ordinal);
        var line = broken.Split('\n').ToList().FindIndex(l => l.Contains("PendingFr", StringComparison.Ordinal)) + 1;
        var check = (await (await bench.PostAsync("/api/check", new { text = broken })).Content.ReadFromJsonAsync<WorkbenchCheck>(Web))!;

        Assert.False(check.Valid);
        Assert.Contains(check.Problems, p => p.Line == line && p.Column > 1 && p.Message.Contains("did you mean device.PendingFor", StringComparison.Ordinal));
        Assert.Null(check.Counts);
        Assert.Null(check.Diff);
    }

    [Fact]
    public async Task Explain_ATypedDevice_IsExplainedUnderTheEditedText()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var response = await bench.PostAsync("/api/explain", new { text = bench.PolicyText, device = new { type = "ESME", status = "Pending", since = "2020-01-01", prior = "", asOf = "2026-11-28" } });
        var explanation = (await response.Content.ReadFromJsonAsync<WorkbenchExplanation>(Web))!;
        Assert.Equal("Remove", explanation.Action);
        Assert.Contains("meters-36-months", explanation.Text, StringComparison.Ordinal);

        var bad = await bench.PostAsync("/api/explain", new { text = bench.PolicyText, device = new { type = "TOASTER", status = "Pending", since = "2020-13-01" } });
        var error = (await bad.Content.ReadFromJsonAsync<WorkbenchExplanation>(Web))!;
        Assert.Null(error.Text);
        Assert.Contains("type:", error.Error, StringComparison.Ordinal);
        Assert.Contains("since:", error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ADeviceWithAGenerationAndModel_DecidedByThem()
    {
        await using var bench = await WorkbenchHarness.StartAsync();
        var policy = File.ReadAllText(Path.Combine(Repository.Root(), "examples", "policies", "smets2-pending-24-months.json"));
        async Task<WorkbenchExplanation> Explain(string? generation, string? model) =>
            (await (await bench.PostAsync("/api/explain", new { text = policy, device = new { type = "ESME", status = "Pending", since = "2019-01-15", prior = "Commissioned", asOf = "2021-06-30", generation, model } }))
                .Content.ReadFromJsonAsync<WorkbenchExplanation>(Web))!;

        Assert.Equal("Remove", (await Explain("SMETS2", "Brack E2-410")).Action);
        Assert.Equal("Retain", (await Explain("smets1", null)).Action);
        var lacking = await Explain("", "");
        Assert.Equal("Undetermined", lacking.Action);
        Assert.Contains("as SMETS2: Remove", lacking.Text, StringComparison.Ordinal);
        Assert.Contains("generation:", (await Explain("SMETS3", null)).Error, StringComparison.Ordinal);
    }

    // Quick edits never queue: a check still running when a later one arrives stops (409) and the
    // later one answers. Before, each waited its turn (four edits of a 1,000-rule policy: two minutes).
    // The stage hook orders the two exactly: the first is inside (parsed) when the second starts.
    [Fact]
    public async Task Check_SupersededByALaterCheck_StopsWithConflict()
    {
        await using var bench = await WorkbenchHarness.StartAsync(devices: 1_000);
        using var inside = new ManualResetEventSlim();
        using var superseded = new ManualResetEventSlim();
        bench.Workbench.Stage = stage =>
        {
            if (stage == "parsed" && !inside.IsSet)
            {
                inside.Set();
                Assert.True(superseded.Wait(TimeSpan.FromSeconds(30)), "the second check never started");
            }
            else if (stage == "started" && inside.IsSet)
            {
                superseded.Set();
            }
        };

        var first = bench.PostAsync("/api/check", new { text = bench.PolicyText });
        Assert.True(inside.Wait(TimeSpan.FromSeconds(30)), "the first check never got inside");
        var second = bench.PostAsync("/api/check", new { text = bench.PolicyText });

        Assert.Equal(System.Net.HttpStatusCode.Conflict, (await first).StatusCode);
        Assert.Contains("superseded", await (await first).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await second).StatusCode);
    }
}
