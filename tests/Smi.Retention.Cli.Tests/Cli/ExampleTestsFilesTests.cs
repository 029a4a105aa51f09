
namespace Smi.Retention.Tests.Cli;

/// <summary>
/// The examples' tests files pass, run from the repository's root as the README runs them: among
/// them the two readings of Bryt Energy's answer, each pinned (the built-in's strict one has its own).
/// </summary>
[Collection(WorkingDirectoryTests.Name)]
public sealed class ExampleTestsFilesTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void ExampleTests_AllPass()
    {
        var root = Repository.Root();
        var files = Directory.GetFiles(Path.Combine(root, "examples", "policies"), "*.tests.json").Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(Path.Combine("examples", "policies", "previously-in-service.tests.json"), files);
        Assert.Contains(Path.Combine("examples", "policies", "smets2-pending-24-months.tests.json"), files);
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(root);
        try
        {
            var (exit, output, error) = _cli.Run(["test", .. files]);

            Assert.Equal((0, ""), (exit, error));
            Assert.EndsWith(" passed, 0 failed\n", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }
}
