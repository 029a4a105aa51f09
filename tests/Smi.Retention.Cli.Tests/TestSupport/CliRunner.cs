using Smi.Retention.Cli;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>Runs the tool in-process, capturing what it prints; a scratch folder per test.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-cli-");

    private volatile LockedStringWriter? _current;
    private volatile LockedStringWriter? _currentError;

    public string Folder => _folder.FullName;

    /// <summary>What the command running now (or the last one) has printed so far, for a command that runs until stopped.</summary>
    public string? LastOutput => _current?.ToString();

    /// <summary>What the command running now (or the last one) has printed on standard error so far.</summary>
    public string? LastError => _currentError?.ToString();

    /// <summary>Waits until the command running now prints <paramref name="text"/> on standard error (a minute at most).</summary>
    public void WaitForError(string text, Task running)
    {
        for (var i = 0; i < 3000; i++)
        {
            if (LastError?.Contains(text, StringComparison.Ordinal) == true)
            {
                return;
            }

            if (running.IsCompleted)
            {
                Assert.Fail($"The command ended before printing '{text}': {LastError}");
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"The command printed no '{text}' within a minute.");
    }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    public (int Exit, string Output, string Error) Run(params string[] args) => RunWith(null, null, default, args);

    /// <summary>Runs with <paramref name="folder"/> as the working folder (for tests in the working-folder collection, which run alone).</summary>
    public (int Exit, string Output, string Error) RunIn(string folder, params string[] args)
    {
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(folder);
        try
        {
            return Run(args);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    /// <summary>Runs with a standard input (for <c>-</c>), a standard output stream (for outputs named <c>-</c>) and an interrupt.</summary>
    public (int Exit, string Output, string Error) RunWith(Stream? input, Stream? standardOutput, CancellationToken interrupt, params string[] args)
    {
        var output = new LockedStringWriter();
        var error = new LockedStringWriter();
        _current = output;
        _currentError = error;
        var exit = SmiRetentionCli.Run(args, output, error, interactive: false, standardOutput is null ? () => Stream.Null : () => standardOutput, input, cancellation: interrupt);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The address <c>serve</c>, running as <paramref name="serving"/>, prints once it listens.</summary>
    public async Task<Uri> ServingAddress(Task<(int Exit, string Output, string Error)> serving)
    {
        for (var i = 0; i < 600; i++)
        {
            if (serving.IsCompleted)
            {
                var (exit, output, error) = await serving;
                Assert.Fail($"serve ended: exit {exit}\n{output}{error}");
            }

            if (LastOutput is { } printed && System.Text.RegularExpressions.Regex.Match(printed, @"Workbench  (http://127\.0\.0\.1:[0-9]+/)") is { Success: true } found)
            {
                return new Uri(found.Groups[1].Value);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("serve printed no address within a minute.");
    }

    /// <summary>Files the tool left in the folder that it was not asked to write: temporary ones.</summary>
    public string[] Leftovers() => Directory.GetFiles(Folder, "*.partial", SearchOption.AllDirectories);

    public void Dispose() => _folder.Delete(recursive: true);
}
