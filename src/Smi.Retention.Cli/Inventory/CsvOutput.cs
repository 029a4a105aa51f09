using System.Text;
using NodaTime;
using Smi.Retention.Safety;

namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// A CSV file written as UTF-8 bytes straight into a buffer (no char encoding per row), into an
/// <see cref="Output.OutputFile"/>, which makes it the destination's only when the run succeeds.
/// Fields are quoted when they need it (RFC 4180), and a text that a spreadsheet would run as a
/// formula gets a leading apostrophe.
/// </summary>
internal sealed class CsvOutput
{
    private const int BufferSize = 1 << 20;

    private readonly Stream _file;
    private readonly byte[] _buffer = new byte[BufferSize];

    // Rule names and alerts repeat on every row: encode each distinct string once.
    private readonly Dictionary<string, byte[]> _encoded = new(ReferenceEqualityComparer.Instance);
    private int _used;
    private bool _first = true;

    public CsvOutput(Output.OutputFile output, string header)
    {
        _file = output.Stream;
        Raw(Encoding.UTF8.GetBytes(header + "\n"));
    }

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

        // yyyy-MM-dd by hand: NodaTime 3.2 has no span formatting, and this runs once per row.
        var span = Reserve(10);
        Digits(span, d.Year, 4, 0);
        span[4] = (byte)'-';
        Digits(span, d.Month, 2, 5);
        span[7] = (byte)'-';
        Digits(span, d.Day, 2, 8);
        _used += 10;
    }

    public void Field(int number)
    {
        Separator();
        var span = Reserve(11);
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

    private static byte[] Encode(string text)
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
        if (bytes.Length > BufferSize)
        {
            Flush();
            _file.Write(bytes);
            return;
        }

        bytes.CopyTo(Reserve(bytes.Length));
        _used += bytes.Length;
    }

    private Span<byte> Reserve(int length)
    {
        if (_used + length > BufferSize)
        {
            Flush();
        }

        return _buffer.AsSpan(_used, length);
    }

    private void Flush()
    {
        _file.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <summary>Writes what is buffered; call once every row is written, before the output is committed.</summary>
    public void Complete() => Flush();
}
