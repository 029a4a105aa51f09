namespace Smi.Retention.Tests.TestSupport;

/// <summary>Named pipes for the tests that prove nothing waits on one or reads through one.</summary>
public static class Fifo
{
    /// <summary>Makes a named pipe (FIFO) at <paramref name="path"/>.</summary>
    public static void Make(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
