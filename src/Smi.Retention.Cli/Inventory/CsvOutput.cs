using System.Globalization;
using System.Text;
using NodaTime;

namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// A CSV file written to a temporary name and moved into place only by <see cref="Commit"/>, so a
/// refused or failed run leaves nothing behind. Fields are quoted when they need it (RFC 4180).
/// </summary>
internal sealed class CsvOutput : IDisposable
{
    private readonly string _path;
    private readonly string _partial;
    private readonly StreamWriter _writer;
    private readonly char[] _buffer = new char[64];
    private bool _first = true;
    private bool _committed;

    public CsvOutput(string path, string header)
    {
        _path = path;
        _partial = path + ".partial";
        try
        {
            _writer = new StreamWriter(_partial, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException(CliMessages.Unreadable(path, e.Message));
        }

        _writer.Write(header);
        _writer.Write('\n');
    }

    public void Field(string? text)
    {
        Separator();
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(text);
            return;
        }

        _writer.Write('"');
        _writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    public void Field(DeviceId id)
    {
        Separator();
        id.TryFormat(_buffer, out var written);
        _writer.Write(_buffer, 0, written);
    }

    public void Field(LocalDate? date)
    {
        Separator();
        if (date is { } d)
        {
            // yyyy-MM-dd by hand: NodaTime 3.2 has no span formatting, and this runs once per row.
            Digits(d.Year, 4, 0);
            _buffer[4] = '-';
            Digits(d.Month, 2, 5);
            _buffer[7] = '-';
            Digits(d.Day, 2, 8);
            _writer.Write(_buffer, 0, 10);
        }
    }

    private void Digits(int value, int width, int at)
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            _buffer[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    public void Field(int number)
    {
        Separator();
        number.TryFormat(_buffer, out var written, default, CultureInfo.InvariantCulture);
        _writer.Write(_buffer, 0, written);
    }

    public void EndRow()
    {
        _writer.Write('\n');
        _first = true;
    }

    private void Separator()
    {
        if (!_first)
        {
            _writer.Write(',');
        }

        _first = false;
    }

    /// <summary>Flushes and moves the file into place.</summary>
    public void Commit()
    {
        _writer.Flush();
        _writer.Dispose();
        File.Move(_partial, _path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        _writer.Dispose();
        if (!_committed && File.Exists(_partial))
        {
            File.Delete(_partial);
        }
    }
}
