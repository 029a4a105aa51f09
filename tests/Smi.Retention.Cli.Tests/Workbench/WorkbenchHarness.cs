using System.Net.Http.Json;
using NodaTime;
using Smi.Retention.Cli;
using Smi.Retention.Cli.Workbench;

namespace Smi.Retention.Tests.Workbench;

/// <summary>A workbench served on a free loopback port over a scratch folder holding the example policy and its tests.</summary>
public sealed class WorkbenchHarness : IAsyncDisposable
{
    public static readonly LocalDate AsOf = new(2026, 11, 28);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-workbench-");
    private WorkbenchServer? _server;

    private WorkbenchHarness()
    {
    }

    public string Folder => _folder.FullName;

    public string PolicyPath => Path.Combine(Folder, "exclusion-per-type.json");

    public string PolicyText { get; private set; } = "";

    public string PolicySha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PolicyText)));

    public string TestsPath => Path.Combine(Folder, "exclusion-per-type.tests.json");

    internal Smi.Retention.Cli.Workbench.WorkbenchSession Workbench { get; private set; } = null!;

    internal DeviceRecord[] Devices { get; private set; } = [];

    public Uri Address => _server!.Address;

    public string Token => _server!.Token;

    public HttpClient Client { get; } = new();

    /// <summary>Starts a workbench over <paramref name="devices"/> synthetic devices, with the example policy as edited text and baseline.</summary>
    public static async Task<WorkbenchHarness> StartAsync(int devices = 20_000, bool force = false, bool tests = true)
    {
        var harness = new WorkbenchHarness();
        var examples = Path.Combine(Repository.Root(), "examples", "policies");
        harness.PolicyText = File.ReadAllText(Path.Combine(examples, "exclusion-per-type.json"));
        File.WriteAllText(harness.PolicyPath, harness.PolicyText);
        var testsText = File.ReadAllText(Path.Combine(examples, "exclusion-per-type.tests.json"));
        var testsPath = Path.Combine(harness.Folder, "exclusion-per-type.tests.json");
        File.WriteAllText(testsPath, testsText);
        var suite = PolicyTestSuite.Parse(testsText.Replace("\"Policy\": \"exclusion-per-type.json\"", "\"Policy\": \"secmp0060\"", StringComparison.Ordinal), testsPath);
        harness.Devices = SyntheticInventory.Generate(devices, seed: 3, AsOf).ToArray();
        var baseline = CompiledPolicy.Compile(PolicyCatalog.Parse(harness.PolicyText, "baseline"));
        harness.Workbench = new Smi.Retention.Cli.Workbench.WorkbenchSession(new WorkbenchSetup(
            harness.PolicyText, harness.PolicyPath, baseline, harness.Devices, "synthetic", AsOf, BoundaryMode.OnCorrespondingDate, tests ? suite : null, new CostBand(36, 50), force));
        var context = new CliContext(TextWriter.Null, TextWriter.Null, interactive: false);
        var saver = new WorkbenchSaver(context, harness.Folder, harness.PolicyPath, [], force, tests ? harness.TestsPath : null);
        harness._server = await WorkbenchServer.StartAsync(harness.Workbench, saver, 0, CancellationToken.None);
        harness.Client.BaseAddress = harness.Address;
        return harness;
    }

    /// <summary>A POST with the session's token.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, object body, string? token = null, Action<HttpRequestMessage>? change = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(WorkbenchServer.TokenHeader, token ?? Token);
        change?.Invoke(request);
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }
}
