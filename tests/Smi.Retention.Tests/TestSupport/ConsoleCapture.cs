using System.Text;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>
/// Takes over <see cref="Console.Out"/> until disposed, keeping what is written from any thread.
/// A plain <see cref="StringWriter"/> is not enough: a host's console logger writes from its own
/// thread, and a <see cref="StringBuilder"/> read while it grows throws (it did, once, in CI).
/// </summary>
public sealed class ConsoleCapture : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly TextWriter _previous;

    public ConsoleCapture()
    {
        _previous = Console.Out;
        Console.SetOut(this);
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            _text.Append(buffer, index, count);
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            _text.Append(buffer);
        }
    }

    /// <summary>Everything written so far.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
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
