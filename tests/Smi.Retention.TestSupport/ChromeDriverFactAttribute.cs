namespace Smi.Retention.Tests.TestSupport;

/// <summary>
/// A test that drives a page in headless Chromium through WebDriver: Debian's chromium and
/// chromium-driver packages. Skipped, with the reason and the command that installs them, where
/// either is missing (so the README's test command passes with only the .NET SDK); .ci/run
/// installs both and sets SMI_RETENTION_REQUIRE_BROWSER=1, so there it always runs.
/// SMI_RETENTION_CHROMEDRIVER names another driver.
/// </summary>
public sealed class ChromeDriverFactAttribute : FactAttribute
{
    public static readonly string Driver = Environment.GetEnvironmentVariable("SMI_RETENTION_CHROMEDRIVER") is { Length: > 0 } path ? path : "/usr/bin/chromedriver";

    public ChromeDriverFactAttribute()
    {
        if ((!File.Exists(ChromiumFactAttribute.Executable) || !File.Exists(Driver)) && Environment.GetEnvironmentVariable("SMI_RETENTION_REQUIRE_BROWSER") != "1")
        {
            Skip = $"needs headless Chromium at {ChromiumFactAttribute.Executable} and its WebDriver at {Driver}, which are not both installed; install them with 'apt-get install chromium chromium-driver' (as .ci/run does) to run this test";
        }
    }
}
