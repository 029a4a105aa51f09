using System.Text;
using NodaTime;
using Smi.Retention.Text;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// A CSV file written as UTF-8 bytes straight into a buffer (no char encoding per row), into an
/// <see cref="Output.OutputFile"/>, which makes it the destination's only when the run succeeds;
/// or CSV rows formatted in memory (a growing buffer) on a parsing thread, for the thread writing
/// the file to copy in input order.
/// Fields are quoted when they need it (RFC 4180), and a text that a spreadsheet would run as a
/// formula gets a leading apostrophe.
/// </summary>
internal sealed class CsvOutput
{
    private const int BufferSize = 1 << 20;

    private readonly Stream? _file;
    private byte[] _buffer = new byte[BufferSize];

    // Rule names and alerts repeat on every row: encode each distinct string once.
    private readonly Dictionary<string, byte[]> _encoded = new(ReferenceEqualityComparer.Instance);
    private int _used;
    private bool _first = true;

    public CsvOutput(Output.OutputFile output, string header)
    {
        _file = output.Stream;
        Raw(Encoding.UTF8.GetBytes(header + "\n"));
    }

    /// <summary>Rows formatted in memory, read back with <see cref="Written"/>.</summary>
    public CsvOutput()
    {
    }

    /// <summary>Bytes formatted in memory since <see cref="Clear"/>.</summary>
    public int Length => _used;

    /// <summary>The bytes formatted in memory from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public ReadOnlySpan<byte> Written(int start, int end) => _buffer.AsSpan(start, end - start);

    /// <summary>Empties the in-memory buffer.</summary>
    public void Clear() => _used = 0;

    /// <summary>Writes bytes already formatted as CSV rows (see <see cref="Written"/>).</summary>
    public void Rows(ReadOnlySpan<byte> rows) => Raw(rows);

    public void Field(string? text)
    {
        Separator();
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (!_encoded.TryGetValue(text, out var bytes))
        {
            bytes = Encode(text);
            if (_encoded.Count < 4096)
            {
                _encoded[text] = bytes;
            }
        }

        Raw(bytes);
    }

    /// <summary>A field that is different on every row (an error message): encoded, not remembered.</summary>
    public void UniqueField(string? text)
    {
        Separator();
        if (!string.IsNullOrEmpty(text))
        {
            Raw(Encode(text));
        }
    }

    public void Field(DeviceId id)
    {
        Separator();
        id.TryFormat(Reserve(DeviceId.TextLength), out var written);
        _used += written;
    }

    public void Field(LocalDate? date)
    {
        Separator();
        if (date is not { } d)
        {
            return;
        }

        WriteDate(Reserve(10), d);
        _used += 10;
    }

    /// <summary>Writes <c>yyyy-MM-dd</c> into the first 10 bytes of <paramref name="span"/>.</summary>
    public static void WriteDate(Span<byte> span, LocalDate date)
    {
        // By hand: NodaTime 3.2 has no span formatting, and this runs once per row.
        Digits(span, date.Year, 4, 0);
        span[4] = (byte)'-';
        Digits(span, date.Month, 2, 5);
        span[7] = (byte)'-';
        Digits(span, date.Day, 2, 8);
    }

    public void Field(long number)
    {
        Separator();
        var span = Reserve(20);
        number.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _used += written;
    }

    public void EndRow()
    {
        Reserve(1)[0] = (byte)'\n';
        _used++;
        _first = true;
    }

    private static void Digits(Span<byte> span, int value, int width, int at)
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            span[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>A field's bytes as written: quoted when it needs it, a formula's leading character neutralised.</summary>
    public static byte[] Encode(string text)
    {
        text = Untrusted.NeutraliseFormula(text);
        return Encoding.UTF8.GetBytes(text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
    }

    private void Separator()
    {
        if (!_first)
        {
            Reserve(1)[0] = (byte)',';
            _used++;
        }

        _first = false;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        // Rows formatted elsewhere (a chunk's decisions, hundreds of kilobytes) go straight to the file, not through the buffer.
        if (bytes.Length >= BufferSize / 4 && _file is not null)
        {
            Flush();
            _file.Write(bytes);
            return;
        }

        bytes.CopyTo(Reserve(bytes.Length));
        _used += bytes.Length;
    }

    /// <summary>Room for <paramref name="length"/> bytes written by the caller, who then calls <see cref="Advance"/>.</summary>
    public Span<byte> Reserve(int length)
    {
        if (_used + length > _buffer.Length)
        {
            if (_file is null)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + length));
            }
            else
            {
                Flush();
            }
        }

        return _buffer.AsSpan(_used, length);
    }

    /// <summary>Keeps <paramref name="length"/> bytes written into the span <see cref="Reserve"/> gave.</summary>
    public void Advance(int length) => _used += length;

    private void Flush()
    {
        if (_file is null)
        {
            return; // in memory: kept until cleared
        }

        _file.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <summary>Writes what is buffered; call once every row is written, before the output is committed.</summary>
    public void Complete() => Flush();
}
