using Smi.Retention.Cli;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>Runs the tool in-process, capturing what it prints; a scratch folder per test.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-cli-");

    private volatile LockedStringWriter? _current;

    public string Folder => _folder.FullName;

    /// <summary>What the command running now (or the last one) has printed so far, for a command that runs until stopped.</summary>
    public string? LastOutput => _current?.ToString();

    public string PathOf(string name) => Path.Combine(Folder, name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    public (int Exit, string Output, string Error) Run(params string[] args) => RunWith(null, null, default, args);

    /// <summary>Runs with a standard input (for <c>-</c>), a standard output stream (for outputs named <c>-</c>) and an interrupt.</summary>
    public (int Exit, string Output, string Error) RunWith(Stream? input, Stream? standardOutput, CancellationToken interrupt, params string[] args)
    {
        var output = new LockedStringWriter();
        var error = new LockedStringWriter();
        _current = output;
        var exit = SmiRetentionCli.Run(args, output, error, interactive: false, standardOutput is null ? () => Stream.Null : () => standardOutput, input, cancellation: interrupt);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Files the tool left in the folder that it was not asked to write: temporary ones.</summary>
    public string[] Leftovers() => Directory.GetFiles(Folder, "*.partial", SearchOption.AllDirectories);

    public void Dispose() => _folder.Delete(recursive: true);
}
