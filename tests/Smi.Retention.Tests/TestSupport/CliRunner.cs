using Smi.Retention.Cli;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>Runs the tool in-process, capturing what it prints; a scratch folder per test.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-cli-");

    public string Folder => _folder.FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    public (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = SmiRetentionCli.Run(args, output, error, interactive: false);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
