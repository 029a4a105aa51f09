namespace Smi.Retention.Tests.TestSupport;

/// <summary>
/// A test that draws a page in headless Chromium (Debian's chromium package). On a machine without
/// it the test is reported as skipped, with the reason and the command that installs it, so the
/// README's test command passes with only the .NET SDK; .ci/run installs Chromium and sets
/// SMI_RETENTION_REQUIRE_BROWSER=1, so there the test always runs and a missing browser fails it.
/// SMI_RETENTION_BROWSER names another executable; .ci/run names one that is not there to show
/// that the test command passes on a machine without the browser.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static readonly string Executable = Environment.GetEnvironmentVariable("SMI_RETENTION_BROWSER") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable) && Environment.GetEnvironmentVariable("SMI_RETENTION_REQUIRE_BROWSER") != "1")
        {
            Skip = $"needs headless Chromium at {Executable}, which is not installed; install it with 'apt-get install chromium' (as .ci/run does) to run this test";
        }
    }
}
