namespace Smi.Retention.Tests.TestSupport;

/// <summary>Waits for what a host does on its own timers (a reload, a log line), up to 30 seconds.</summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails naming <paramref name="what"/> after 30 s.</summary>
    /// <param name="condition">What must come to hold.</param>
    /// <param name="what">What it is, for the failure.</param>
    /// <returns>A task that completes when it holds.</returns>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 30 s: " + what);
            await Task.Delay(50);
        }
    }
}
