namespace Smi.Retention.Tests.TestSupport;

/// <summary>
/// Takes over <see cref="Console.Out"/> until disposed, keeping what is written from any thread
/// (a host's console logger writes from its own).
/// </summary>
public sealed class ConsoleCapture : LockedStringWriter
{
    private readonly TextWriter _previous;

    public ConsoleCapture()
    {
        _previous = Console.Out;
        Console.SetOut(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ReferenceEquals(Console.Out, this))
        {
            Console.SetOut(_previous);
        }

        base.Dispose(disposing);
    }
}
