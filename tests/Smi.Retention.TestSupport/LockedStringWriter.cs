using System.Text;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>
/// A <see cref="StringWriter"/> that may be written from one thread while another reads it: a
/// <see cref="StringBuilder"/> read while it grows throws (it did, once, in CI).
/// </summary>
public class LockedStringWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();

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
}
