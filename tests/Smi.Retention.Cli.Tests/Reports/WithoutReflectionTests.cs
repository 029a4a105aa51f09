using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Smi.Retention.Tests.Reports;

/// <summary>
/// The real tool with System.Text.Json's reflection switched off, as a trimmed or Native AOT build
/// runs it: every JSON document it writes (each command's report, the evidence, the workbench's
/// answers) is written, and byte for byte as with reflection, by the generated descriptions alone.
/// With SMI_RETENTION_NATIVE naming a native executable of the tool (CI's .ci/native-smoke), that
/// executable is the one without reflection.
/// </summary>
public sealed partial class WithoutReflectionTests : IDisposable
{
    private const string Switch = "System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault";
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "smi-retention.dll");
    private static readonly string? Native = Environment.GetEnvironmentVariable("SMI_RETENTION_NATIVE") is { Length: > 0 } native ? native : null;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-noreflection-");

    public WithoutReflectionTests()
    {
        var examples = Path.Combine(Repository.Root(), "examples", "policies");
        foreach (var file in new[] { "exclusion-per-type.json", "exclusion-per-type.tests.json", "previously-in-service.json", "previously-in-service.tests.json" })
        {
            File.Copy(Path.Combine(examples, file), Path.Combine(_folder.FullName, file));
        }

        File.Copy(Path.Combine(Repository.Root(), "samples", "inventory.csv"), Path.Combine(_folder.FullName, "inventory.csv"));
        foreach (var reflection in new[] { true, false })
        {
            var config = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(Tool, ".runtimeconfig.json")))!.AsObject();
            var runtime = config["runtimeOptions"]!.AsObject();
            var properties = runtime["configProperties"] as JsonObject ?? [];
            properties[Switch] = reflection;
            runtime["configProperties"] = properties;
            File.WriteAllText(ConfigOf(reflection), config.ToJsonString());
            Directory.CreateDirectory(Path.Combine(_folder.FullName, reflection ? "with" : "without"));
        }
    }

    public static TheoryData<string> Commands() =>
    [
        "run --policy sec-timeline --inventory inventory.csv --as-of 2019-11-07 --format json --out {out}/d.csv --evidence {out}/e.jsonl --alerts {out}/a.csv --rejects {out}/r.csv",
        "run --policy dcc-cr1022 --inventory inventory.csv --as-of 2026-11-28 --max-removal-percent 100 --out {out}/d.csv --evidence -",
        "validate --policy exclusion-per-type.json --format json",
        "validate --policy previously-in-service.json --strict --format json",
        "validate --policy {out}/absent.json --format json",
        "test exclusion-per-type.tests.json previously-in-service.tests.json --format json",
        "explain --policy previously-in-service.json --type ESME --status Pending --since 2020-01-01 --prior Commissioned --as-of 2026-11-28 --format json",
        "diff --policy dcc-cr1022 --against secmp0060 --inventory inventory.csv --as-of 2026-11-28 --format json --html {out}/diff.html",
        "diff --policy sec-timeline --against bryt-previously-commissioned --symbolic --format json",
        "forecast --policy sec-timeline --inventory inventory.csv --from 2019-11-07 --cost-per-device 36-50 --format json --html {out}/forecast.html",
        "stock --inventory inventory.csv --as-of 2026-11-28 --format json",
        "subset --policy secmp0060 --of dcc-cr1022 --format json",
        "run --policy nosuch --inventory inventory.csv --as-of 2019-11-07 --format json",
        "policies",
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Command_WithoutReflection_WritesWhatItWritesWithIt(string command)
    {
        var with = Run(reflection: true, command);
        var without = Run(reflection: false, command);
        Assert.True(with.Output.Length > 0, with.Error);
        Assert.Equal(with, without);
    }

    [Fact]
    public async Task Workbench_WithoutReflection_AnswersWhatItAnswersWithIt()
    {
        var with = await Serve(reflection: true);
        var without = await Serve(reflection: false);
        Assert.Contains("\"valid\":true", with[1], StringComparison.Ordinal);
        Assert.Equal(with, without);
    }

    // Started without a standard stream (a cron job's `<&- >&-`), the tool compiled ahead of time
    // found the runtime's own descriptors at its numbers: it wrote its output into the runtime's
    // signal pipe and was killed by a signal (173) after the work, and read its inventory from the
    // runtime's /dev/urandom. Every stream closed is said to be closed, in the same words and exit
    // code as the tool on the runtime; an output written in full stays written. A path that names
    // a closed stream's number (/dev/stdout: the runtime's /dev/urandom there) is refused, never
    // written or read (the decisions went into /dev/urandom and were said to be written); so is
    // one that names a descriptor the tool was not started with (/dev/fd/3: the runtime's files).
    public static TheoryData<string, string, int, string> ClosedStreams() => new()
    {
        { "<&- >&-", "policies", 74, "Standard output could not be written (it is closed)" },
        { ">&-", "policies", 74, "Standard output could not be written (it is closed)" },
        { "<&- >&-", "run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out -", 74, "--out - could not be written: standard output is closed. No output was written" },
        { "<&- >&-", "run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out {out}/d.csv", 74, "--out {out}/d.csv was written in full" },
        { "<&-", "run --policy secmp0060 --inventory - --as-of 2019-11-07 --out {out}/d.csv", 2, "--inventory - reads standard input, which is closed" },
        { "<&-", "run --policy secmp0060 --inventory /dev/stdin --as-of 2019-11-07 --out {out}/d.csv", 2, "--inventory /dev/stdin is standard input, which is closed" },
        { "<&- >&-", "diff --policy secmp0060 --against dcc-cr1022 --inventory - --as-of 2019-11-07", 2, "--inventory - reads standard input, which is closed" },
        { "<&-", "run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out /dev/stdin", 2, "--out /dev/stdin is standard input, which is closed (the tool was started without it, as <&- does); give a file to write it to." },
        { ">&-", "run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out /dev/stdout --evidence {out}/e.jsonl", 2, "--out /dev/stdout is standard output, which is closed (the tool was started without it, as >&- does)" },
        { "<&- >&-", "stock --inventory inventory.csv --as-of 2026-11-28 --html /proc/self/fd/1", 2, "--html /proc/self/fd/1 is standard output, which is closed" },
        { "2>&-", "run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out /dev/stderr --format json", 2, "" },
        { "<&- >&-", "run --policy secmp0060 --inventory /dev/stdout --as-of 2019-11-07", 2, "--inventory /dev/stdout is standard output, which is closed (the tool was started without it, as >&- does)" },
        { "<&-", "validate --policy /dev/fd/0", 2, "--policy /dev/fd/0 is standard input, which is closed" },
        { "", "run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out /dev/fd/3", 2, "--out /dev/fd/3 names descriptor 3, which the tool was not started with (the tool's own files are there, or nothing); give a file to write it to." },
        { ">/dev/null", "run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --evidence /proc/self/fd/9", 2, "--evidence /proc/self/fd/9 names descriptor 9, which the tool was not started with" },
        { "", "run --policy secmp0060 --inventory /dev/fd/7 --as-of 2019-11-07", 2, "--inventory /dev/fd/7 names descriptor 7, which the tool was not started with" },
        { "3<inventory.csv", "run --policy secmp0060 --inventory /dev/fd/3 --as-of 2019-11-07", 0, "" },
        { "<&- 2>&-", "run --policy nosuch --inventory inventory.csv --as-of 2019-11-07 --format json", 2, "" },
        { "<&- >&- 2>&-", "run --policy secmp0060 --inventory inventory.csv --as-of 2019-11-07 --out {out}/d.csv", 74, "" },
    };

    [Theory]
    [MemberData(nameof(ClosedStreams))]
    public void StandardStreamClosed_SaidToBeClosed_AsByTheToolOnTheRuntime(string closed, string command, int exit, string said)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the shell's redirections, and the descriptors told, are Linux's here
        }

        var with = Run(reflection: true, command, closed);
        var without = Run(reflection: false, command, closed);
        Assert.Equal(exit, with.Exit);
        Assert.Contains(said, with.Error, StringComparison.Ordinal);
        Assert.Equal(with, without);
        Assert.Equal(command.Contains("--out {out}/d.csv", StringComparison.Ordinal) && exit == 74, with.Files.StartsWith("d.csv:\ndevice_id,action", StringComparison.Ordinal));
    }

    // With almost no descriptors left (ulimit -n), the console's writers could not be made and the
    // native executable aborted with a stack trace (134); it says it cannot start. (The tool on
    // the runtime cannot start the runtime there: it is not the tool's to say.)
    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public async Task NativeWithAlmostNoDescriptors_SaysItCannotStart(int descriptors)
    {
        if (Native is not { } native || !OperatingSystem.IsLinux())
        {
            return;
        }

        var start = new ProcessStartInfo("/bin/sh", ["-c", $"ulimit -n {descriptors}; exec \"$0\" policies", native]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(74, process.ExitCode);
        Assert.Equal("smi-retention cannot start: Too many open files (the limit on open files, ulimit -n, may be too low).\n", error);
        Assert.Equal("", await output);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private string ConfigOf(bool reflection) => Path.Combine(_folder.FullName, reflection ? "with.runtimeconfig.json" : "without.runtimeconfig.json");

    /// <summary>The tool's process: run by a shell that closes the standard streams <paramref name="closed"/> says (<c>&lt;&amp;- &gt;&amp;-</c>), when given.</summary>
    private ProcessStartInfo Start(bool reflection, IEnumerable<string> args, string? closed = null)
    {
        string[] tool = !reflection && Native is { } native ? [native] : ["dotnet", "exec", "--runtimeconfig", ConfigOf(reflection), Tool];
        var start = closed is null
            ? new ProcessStartInfo(tool[0], [.. tool[1..], .. args])
            : new ProcessStartInfo("/bin/sh", ["-c", "exec \"$0\" \"$@\" " + closed, .. tool, .. args]);
        start.WorkingDirectory = _folder.FullName;
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    /// <summary>Runs one command; its output files (and each file written) with what names the run's own folder, and times, made alike.</summary>
    private (int Exit, string Output, string Error, string Files) Run(bool reflection, string command, string? closed = null)
    {
        var folder = reflection ? "with" : "without";
        using var process = Process.Start(Start(reflection, command.Replace("{out}", folder, StringComparison.Ordinal).Split(' '), closed))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var files = string.Join("\n", Directory.GetFiles(Path.Combine(_folder.FullName, folder)).Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + ":\n" + File.ReadAllText(f)));
        return (process.ExitCode, Alike(output.Result, folder), Alike(error, folder), Alike(files, folder));
    }

    private static string Alike(string text, string folder) =>
        ElapsedText().Replace(Elapsed().Replace(text.Replace(folder + "/", "{out}/", StringComparison.Ordinal), "$1 0"), "Elapsed");

    [GeneratedRegex("(\"elapsed(?:Seconds|Ms)\":) ?[0-9.]+")]
    private static partial Regex Elapsed();

    [GeneratedRegex("Elapsed +[0-9.]+ s, [0-9,]+ rows/s")]
    private static partial Regex ElapsedText();

    /// <summary>Serves the workbench and asks it what the page asks: its answers, times made alike.</summary>
    private async Task<string[]> Serve(bool reflection)
    {
        using var process = Process.Start(Start(reflection, ["serve", "--policy", "exclusion-per-type.json", "--inventory", "inventory.csv", "--as-of", "2026-11-28", "--port", "0"]))!;
        try
        {
            var address = "";
            while (address.Length == 0 && await process.StandardOutput.ReadLineAsync() is { } line)
            {
                address = Address().Match(line).Value;
            }

            Assert.NotEqual("", address);
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            var token = Token().Match(await client.GetStringAsync(new Uri("/", UriKind.Relative))).Groups[1].Value;
            client.DefaultRequestHeaders.Add("X-Smi-Token", token);
            var policy = File.ReadAllText(Path.Combine(_folder.FullName, "exclusion-per-type.json"));
            var device = new JsonObject { ["type"] = "ESME", ["status"] = "Pending", ["since"] = "2020-01-01", ["prior"] = "", ["asOf"] = "2026-11-28" };
            var answers = new List<string>();
            async Task Ask(HttpRequestMessage request)
            {
                using var answer = await client.SendAsync(request);
                answers.Add((int)answer.StatusCode + " " + Elapsed().Replace(await answer.Content.ReadAsStringAsync(), "$1 0"));
            }

            await Ask(new HttpRequestMessage(HttpMethod.Get, "/api/start"));
            await Ask(Post("/api/check", new JsonObject { ["text"] = policy }));
            await Ask(Post("/api/check", new JsonObject { ["text"] = 5 }));
            await Ask(Post("/api/check", new JsonObject()));
            await Ask(Post("/api/explain", new JsonObject { ["text"] = policy, ["device"] = device }));
            await Ask(new HttpRequestMessage(HttpMethod.Get, "/api/file?of=tests"));
            await Ask(new HttpRequestMessage(HttpMethod.Get, "/api/file?of=x"));
            await Ask(Post("/api/save", new JsonObject { ["text"] = policy, ["path"] = (reflection ? "with" : "without") + "/saved.json" }));
            return [.. answers.Select(a => a.Replace(reflection ? "with/" : "without/", "{out}/", StringComparison.Ordinal))];
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private static HttpRequestMessage Post(string path, JsonObject body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };

    [GeneratedRegex(@"http://127\.0\.0\.1:[0-9]+/")]
    private static partial Regex Address();

    [GeneratedRegex("name=\"smi-token\" content=\"([^\"]+)\"")]
    private static partial Regex Token();
}
