using Smi.Retention.Tests.Policies;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>
/// Golden files under tests/Smi.Retention.Tests/Golden. Set SMI_UPDATE_GOLDEN=1 to rewrite them
/// from the current output, then review the diff before committing.
/// </summary>
public static class Golden
{
    public static string Folder(string name) => Path.Combine(BuiltInPolicyTests.RepositoryRoot(), "tests", "Smi.Retention.Tests", "Golden", name);

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
