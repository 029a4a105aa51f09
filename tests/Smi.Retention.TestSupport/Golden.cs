namespace Smi.Retention.Tests.TestSupport;

/// <summary>
/// Golden files under each test project's Golden/ folder (tests/*/Golden/&lt;name&gt;). Set SMI_UPDATE_GOLDEN=1 to rewrite them
/// from the current output, then review the diff before committing.
/// </summary>
public static class Golden
{
    public static string Folder(string name) =>
        Directory.GetDirectories(Path.Combine(Repository.Root(), "tests")).Select(project => Path.Combine(project, "Golden", name)).SingleOrDefault(Directory.Exists)
        ?? throw new DirectoryNotFoundException($"No test project has a Golden/{name} folder.");

    public static void AssertMatches(string path, string actual)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("SMI_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing; run the tests with SMI_UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal), actual);
    }
}
