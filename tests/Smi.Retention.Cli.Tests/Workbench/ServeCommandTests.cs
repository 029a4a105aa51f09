using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Smi.Retention.Cli.Workbench;

namespace Smi.Retention.Tests.Workbench;

/// <summary>
/// The <c>serve</c> command as an operator starts it: refused with a clear message when it cannot
/// serve what it was given, and, once serving, never saving over what it read.
/// </summary>
[Collection(WorkingDirectoryTests.Name)]
public sealed class ServeCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly string _previous = Directory.GetCurrentDirectory();

    public ServeCommandTests()
    {
        var examples = Path.Combine(Repository.Root(), "examples", "policies");
        _cli.Write("exclusion-per-type.json", File.ReadAllText(Path.Combine(examples, "exclusion-per-type.json")));
        _cli.Write("exclusion-per-type.tests.json", File.ReadAllText(Path.Combine(examples, "exclusion-per-type.tests.json")));
        _cli.Write("broken.json", "{ \"WorkflowName\": \"b\", \"Rules\": [ { \"RuleName\": \"r\", \"Expression\": \"device.PendingFr(\\\"P36M\\\")\", \"SuccessEvent\": \"Remove\" } ] }");
        Directory.SetCurrentDirectory(_cli.Folder);
    }

    public void Dispose()
    {
        Directory.SetCurrentDirectory(_previous);
        _cli.Dispose();
    }

    [Theory]
    [InlineData("--port -1", "--port '-1' is not a port (0 for any free one) from 0 to 65,535")]
    [InlineData("--port 70000", "--port '70000' is not a port (0 for any free one) from 0 to 65,535")]
    [InlineData("--policy /etc/hostname", "is not a file under the working folder")]
    [InlineData("--policy ../outside.json", "is not a file under the working folder")]
    [InlineData("--policy broken.json", "cannot be the baseline the edits are compared with: give one with --against")]
    [InlineData("--policy missing.json", "missing.json")]
    [InlineData("--as-of 9999-06-01", "leaves no room for the workbench's 12-month forecast")]
    [InlineData("--as-of 2019-02-30", "--as-of")]
    [InlineData("--tests nowhere.tests.json", "nowhere.tests.json")]
    [InlineData("--cost-per-device lots", "--cost-per-device")]
    public void Serve_WhatItCannotServe_RefusedWithExit2AndTheReason(string arguments, string expected)
    {
        var given = arguments.Split(' ');
        string[] port = given.Contains("--port") ? [] : ["--port", "0"];
        string[] asOf = given.Contains("--as-of") ? [] : ["--as-of", "2026-11-28"];
        var (exit, output, error) = _cli.Run(["serve", .. port, .. asOf, .. given]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Workbench  http", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ABrokenPolicyWithABaseline_OpensAndNeverSavesOverWhatItRead()
    {
        Assert.Equal(0, _cli.Run("generate", "--devices", "2000", "--seed", "2", "--as-of", "2026-11-28", "--out", "inventory.csv").Exit);
        var inventory = File.ReadAllText("inventory.csv");
        var tests = File.ReadAllText("exclusion-per-type.tests.json");
        _cli.Write("baseline.json", File.ReadAllText("exclusion-per-type.json"));
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(() => _cli.RunWith(null, null, stop.Token, "serve", "--policy", "broken.json", "--against", "baseline.json", "--inventory", "inventory.csv", "--tests", "exclusion-per-type.tests.json", "--as-of", "2026-11-28", "--port", "0", "--force"));
        try
        {
            var address = await _cli.ServingAddress(serving);
            using var client = new HttpClient { BaseAddress = address };
            var page = await client.GetStringAsync(new Uri("/", UriKind.Relative));
            var token = Regex.Match(page, "name=\"smi-token\" content=\"([^\"]+)\"").Groups[1].Value;
            var start = await client.GetFromJsonAsync<WorkbenchStart>(new Uri("/api/start", UriKind.Relative), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
            Assert.Equal("broken.json", start!.Policy.Path);
            Assert.Equal(2000, start.Devices);

            foreach (var path in new[] { "inventory.csv", "exclusion-per-type.tests.json", "baseline.json" })
            {
                // Even when the author chooses to overwrite whatever is there: an input is never saved over.
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/save") { Content = JsonContent.Create(new { text = "{}", path, overwrite = true }) };
                request.Headers.Add(WorkbenchServer.TokenHeader, token);
                var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                Assert.Contains("Not saved", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(inventory, File.ReadAllText("inventory.csv"));
            Assert.Equal(tests, File.ReadAllText("exclusion-per-type.tests.json"));
            Assert.Empty(_cli.Leftovers());
        }
        finally
        {
            stop.Cancel();
        }

        var (exit, output, _) = await serving.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, exit);
        Assert.Contains("Workbench  stopped.", output, StringComparison.Ordinal);
    }

    // The date of the decisions comes from the caller, never from the wall clock.
    [Theory]
    [InlineData("policy")]
    [InlineData("tests")]
    public void Serve_APolicyOrTestsFileThatIsALink_RefusedAtStart(string which)
    {
        var target = _cli.Write(which == "policy" ? "real.json" : "real.tests.json", File.ReadAllText(which == "policy" ? "exclusion-per-type.json" : "exclusion-per-type.tests.json"));
        File.CreateSymbolicLink(_cli.PathOf("linked.json"), target);
        string[] arguments = which == "policy" ? ["--policy", "linked.json"] : ["--policy", "exclusion-per-type.json", "--tests", "linked.json"];

        var (exit, output, error) = _cli.Run(["serve", .. arguments, "--as-of", "2026-11-28", "--port", "0"]);

        Assert.Equal(2, exit);
        Assert.Contains("symbolic link", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Workbench  http", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_WithoutAsOf_RefusedSayingItIsRequired()
    {
        var (exit, output, error) = _cli.Run("serve", "--policy", "exclusion-per-type.json", "--port", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--as-of", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Workbench  http", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ABuiltInNameWhoseFileIsHere_RefusedRatherThanReplacingIt()
    {
        _cli.Write("secmp0060.json", "my own edit");
        var (exit, _, error) = _cli.Run("serve", "--policy", "secmp0060", "--as-of", "2026-11-28", "--port", "0");
        Assert.Equal(2, exit);
        Assert.Contains("edit it with --policy secmp0060.json", error, StringComparison.Ordinal);
        Assert.Equal("my own edit", File.ReadAllText("secmp0060.json"));
    }

    // A timeline that refers to a policy file beside it is valid for validate and run: so in the workbench.
    [Fact]
    public void Parse_ATimelineReferringToAFileBesideIt_ReadAsTheToolReadsIt()
    {
        _cli.Write("my.json", File.ReadAllText("exclusion-per-type.json"));
        var timeline = _cli.Write("tl.json", """{ "TimelineName": "tl", "Versions": [ { "Policy": "secmp0060" }, { "Policy": "my.json", "EffectiveFrom": "2027-01-01" } ] }""");
        Assert.Equal(0, _cli.Run("validate", "--policy", "tl.json").Exit);

        var (parsed, problems) = Smi.Retention.Cli.Workbench.WorkbenchSession.Parse(File.ReadAllText(timeline), timeline);
        Assert.Empty(problems);
        Assert.Equal(2, parsed!.Versions.Count);

        var (_, missing) = Smi.Retention.Cli.Workbench.WorkbenchSession.Parse(File.ReadAllText(timeline).Replace("my.json", "gone.json", StringComparison.Ordinal), timeline);
        Assert.Contains(missing, p => p.Message.Contains("gone.json", StringComparison.Ordinal));
    }

    // ASP.NET Core's default builder reads appsettings.json from the content root: there, Kestrel
    // endpoints put the workbench on the network. The workbench reads no configuration at all.
    [Fact]
    public async Task Serve_AnAppSettingsFileHere_AddsNoListener()
    {
        var free = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();
        _cli.Write("appsettings.json", $$"""{ "Kestrel": { "Endpoints": { "Evil": { "Url": "http://127.0.0.1:{{port}}" } } }, "urls": "http://127.0.0.1:{{port}}" }""");
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(() => _cli.RunWith(null, null, stop.Token, "serve", "--policy", "exclusion-per-type.json", "--as-of", "2026-11-28", "--port", "0"));
        try
        {
            var address = await _cli.ServingAddress(serving);
            Assert.NotEqual(port, address.Port);
            using var probe = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        }
        finally
        {
            stop.Cancel();
        }

        Assert.Equal(0, (await serving.WaitAsync(TimeSpan.FromSeconds(20))).Exit);
    }
}
