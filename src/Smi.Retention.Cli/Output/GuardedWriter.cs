using System.Text;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// Standard output or standard error as the tool writes text to it: a stream that is closed, full
/// or whose reader has gone never throws out of a write (which would abort the process while it
/// reports the failure), it is remembered instead, and the command's exit code and message then say
/// that the text did not arrive and what was written before.
/// </summary>
internal sealed class GuardedWriter(TextWriter inner) : TextWriter
{
    private bool _silenced;

    /// <summary>Why a write failed, the first time one did; null while every write succeeded.</summary>
    public string? Failure { get; private set; }

    /// <summary>Whether any text was written (or tried) since the writer was made.</summary>
    public bool HasWritten { get; private set; }

    /// <summary>Writes nothing more: the stream is a file the command reads (an input), which no message may change.</summary>
    public void Silence() => _silenced = true;

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override IFormatProvider FormatProvider => inner.FormatProvider;

    /// <inheritdoc />
    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // The base allows null (the default line end); so does the writer wrapped.
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    /// <inheritdoc />
    public override void Write(char value) => Guard(() => inner.Write(value));

    /// <inheritdoc />
    public override void Write(string? value) => Guard(() => inner.Write(value));

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<char> buffer)
    {
        var text = buffer.ToString();
        Guard(() => inner.Write(text));
    }

    /// <inheritdoc />
    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

    /// <inheritdoc />
    public override void WriteLine() => Guard(inner.WriteLine);

    /// <inheritdoc />
    public override void Flush() => Guard(inner.Flush);

    /// <inheritdoc />
    public override string ToString() => inner.ToString() ?? "";

    private void Guard(Action write)
    {
        HasWritten = true;
        if (Failure is not null || _silenced)
        {
            return; // the stream is gone, or is an input: nothing more reaches it
        }

        try
        {
            write();
        }
        catch (UnauthorizedAccessException)
        {
            // What .NET makes of writing to a closed descriptor (EBADF).
            Failure = "it is closed";
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException || OutputFile.MetFileSizeLimit(e))
        {
            Failure = OutputFile.Words(e);
        }
    }
}
