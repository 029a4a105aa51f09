namespace Smi.Retention.Tests.TestSupport;

/// <summary>The repository the tests run from: the folder that holds Smi.Retention.sln, above the test assembly.</summary>
public static class Repository
{
    /// <summary>The repository's root folder.</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Smi.Retention.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
