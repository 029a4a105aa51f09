using System.Text.Unicode;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Safety;

namespace Smi.Retention.Inventory;

/// <summary>
/// Streams an inventory CSV: a header naming the columns (any order, any case, extra columns
/// ignored), then one record per line. Every line after the header comes out as a record or as a
/// reject with its line number and every problem found in it, whatever its bytes: a broken quote,
/// bytes that are not UTF-8, an overlong or empty line, a value that does not parse. Nothing is
/// dropped and nothing stops the reading, so rows read = lines after the header.
/// </summary>
public sealed class InventoryReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly LineReader _lines;
    private readonly InventoryHeader _header;
    private readonly LocalDate? _asOf;
    private readonly Dictionary<string, string> _parties = new(StringComparer.Ordinal);
    private char[] _text = new char[256];
    private CsvField[] _fields = new CsvField[16];

    private readonly long _length;
    private bool _disposed;

    internal InventoryReader(Stream stream, bool ownsStream, string source, LocalDate? asOf)
    {
        // A seekable file's length, for progress; 0 for a pipe, and for a compressed file (its
        // length is not the length of what is read).
        var length = stream.CanSeek ? stream.Length : 0;
        _stream = Compressed.Open(stream, source);
        _length = _stream is Compressed ? 0 : length;
        _ownsStream = ownsStream;
        _lines = new LineReader(_stream);
        _asOf = asOf;
        _header = InventoryHeader.Of(source, ReadHeader(source));
    }

    /// <summary>Bytes of the input read so far, for progress.</summary>
    public long Position => _lines.Position;

    /// <summary>The input's length in bytes, or 0 when it has none (a pipe, standard input).</summary>
    public long Length => _length;

    /// <summary>
    /// Opens an inventory file, checked before it is opened (a folder or a socket is refused; a FIFO
    /// is read as a pipe, so this waits for its writer). Duplicated device ids are the caller's to
    /// find: the tool rejects every row of them.
    /// </summary>
    /// <param name="path">The inventory CSV (gzip-compressed or not); <c>-</c> reads standard input, as the tool does.</param>
    /// <param name="asOf">The date of the decisions, if known: rows whose status applies after it are rejected.</param>
    /// <returns>The reader, past the header.</returns>
    /// <exception cref="InventoryFormatException">The file cannot be read, is not a regular file, or its header lacks a required column.</exception>
    public static InventoryReader Open(string path, LocalDate? asOf = null) => InventoryInput.Open(path, asOf, null);

    /// <summary>Reads an inventory from a stream (a pipe, a download), gzip-compressed or not.</summary>
    /// <param name="stream">The CSV bytes.</param>
    /// <param name="source">A name for the stream in messages.</param>
    /// <param name="asOf">The date of the decisions, if known: rows whose status applies after it are rejected.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves the stream open.</param>
    /// <returns>The reader, past the header.</returns>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read (write-only, or disposed).</exception>
    /// <exception cref="InventoryFormatException">The header cannot be read or lacks a required column (the stream is then disposed unless <paramref name="leaveOpen"/>).</exception>
    public static InventoryReader FromStream(Stream stream, string source, LocalDate? asOf = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        if (!stream.CanRead)
        {
            throw new ArgumentException(Messages.StreamNotReadable(source), nameof(stream));
        }

        try
        {
            return new InventoryReader(stream, !leaveOpen, source, asOf);
        }
        catch (Exception e) when (Refused(e, stream, leaveOpen))
        {
            throw new InventoryFormatException(Messages.Unreadable(source, e.Message), e);
        }
    }

    /// <summary>Disposes a stream the reader was to own when its header is refused; true for the I/O errors that become a format exception.</summary>
    private static bool Refused(Exception e, Stream stream, bool leaveOpen)
    {
        if (!leaveOpen)
        {
            stream.Dispose();
        }

        return e is IOException;
    }

    /// <summary>Opens a path for the tool: <c>-</c> is <paramref name="standardInput"/> (or the console's).</summary>
    internal static InventoryReader Open(string path, LocalDate? asOf, Stream? standardInput) => InventoryInput.Open(path, asOf, standardInput);

    /// <summary>Reads CSV text held in memory (tests, small inputs).</summary>
    internal static InventoryReader FromText(string text, LocalDate? asOf) =>
        new(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), ownsStream: true, "text", asOf);

    /// <summary>Reads the next line after the header, as a record or as a reject with every problem; false at the end of the input.</summary>
    /// <param name="row">The row, when the result is <see langword="true"/>.</param>
    /// <returns><see langword="true"/> while there are rows.</returns>
    /// <exception cref="IOException">The input failed while reading (a disk error, a corrupt compressed file).</exception>
    public bool Read(out InventoryRow row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = _lines.Next(out var bytes, out var length);
        var line = _lines.LineNumber;
        switch (result)
        {
            case LineResult.End:
                row = default;
                return false;
            case LineResult.TooLong:
                row = Reject(line, default, Messages.LineTooLong(length));
                return true;
        }

        if (bytes.IsEmpty)
        {
            row = Reject(line, default, Messages.EmptyLine());
            return true;
        }

        if (!Decode(bytes, out var text, out var badByte))
        {
            row = Reject(line, default, Messages.NotUtf8(badByte + 1));
            return true;
        }

        var count = CsvLine.Split(text, ref _fields, out var quote);
        if (count < 0)
        {
            row = Reject(line, default, Messages.QuoteError(quote, _header.Name(quote.Field)));
            return true;
        }

        row = Parse(line, text, count);
        return true;
    }

    private InventoryRow Parse(int line, ReadOnlySpan<char> csv, int count)
    {
        if (count <= _header.LastRequired)
        {
            return Reject(line, count > _header.Required[0] ? Value(csv, _header.Required[0]) : default, Messages.TooFewColumns(count, _header.LastRequired + 1));
        }

        // More values than the header has columns: a comma that should have been quoted (or a ';')
        // has shifted values, so no value of the row can be trusted to be in its column.
        if (count > _header.Names.Length)
        {
            for (var extra = _header.Names.Length; extra < count; extra++)
            {
                if (!Value(csv, extra).Trim().IsEmpty)
                {
                    return Reject(line, Value(csv, _header.Required[0]).Trim(), Messages.TooManyValues(count, _header.Names.Length));
                }
            }
        }

        var idText = Value(csv, _header.Required[0]).Trim();
        var typeText = Value(csv, _header.Required[1]);
        var statusText = Value(csv, _header.Required[2]);
        var sinceText = Value(csv, _header.Required[3]);
        var priorText = Value(csv, _header.Required[4]);
        List<string>? errors = null;

        var id = Field(InventoryColumns.DeviceId, idText, DeviceId.TryParse(idText, out var parsedId, out var idError), idError, ref errors) ? parsedId : default;
        var type = Field(InventoryColumns.DeviceType, typeText, DeviceTypes.TryParse(typeText, out var parsedType, out var typeError), typeError, ref errors) ? parsedType : default;
        var status = Field(InventoryColumns.Status, statusText, SmiStatuses.TryParse(statusText, out var parsedStatus, out var statusError), statusError, ref errors) ? parsedStatus : default;
        var since = Field(InventoryColumns.StatusSince, sinceText, LondonDates.TryParseDateOrInstant(sinceText, out var parsedSince, out var sinceError), sinceError, ref errors) ? parsedSince : default;
        if (!SmiStatusSet.TryParse(priorText, out var prior, out var badPrior))
        {
            var priorError = SmiStatuses.TryParse(badPrior, out _, out var statusError2) ? "" : statusError2;
            (errors ??= []).Add(InventoryColumns.PriorStatuses + ": " + priorError);
        }

        if (errors is not null)
        {
            return Reject(line, idText, string.Join(" ", errors));
        }

        string? party = null;
        if (_header.Party >= 0 && _header.Party < count && Value(csv, _header.Party).Trim() is { IsEmpty: false } partyText)
        {
            if (!Untrusted.IsPrintableText(partyText.ToString()))
            {
                return Reject(line, idText, Messages.PartyNotPrintable(Untrusted.Show(partyText)));
            }

            party = Intern(partyText);
        }

        if (!DeviceRecord.TryCreate(id, type, status, since, prior, party, out var record, out var recordError))
        {
            return Reject(line, idText, recordError);
        }

        if (_asOf is { } asOf && since > asOf)
        {
            return Reject(line, idText, Messages.AfterAsOf(since, asOf));
        }

        return new InventoryRow(line, record, null, null);
    }

    private ReadOnlySpan<char> Value(ReadOnlySpan<char> csv, int column) => CsvLine.Value(csv, _fields[column]);

    /// <summary>Decodes a line as strict UTF-8: a byte that is not UTF-8 makes the line a reject, never a replacement character.</summary>
    private bool Decode(ReadOnlySpan<byte> bytes, out ReadOnlySpan<char> text, out int badByte)
    {
        if (_text.Length < bytes.Length)
        {
            _text = new char[Math.Max(bytes.Length, _text.Length * 2)];
        }

        var status = Utf8.ToUtf16(bytes, _text, out var read, out var written, replaceInvalidSequences: false);
        text = _text.AsSpan(0, written);
        badByte = read;
        return status == System.Buffers.OperationStatus.Done;
    }

    /// <summary>The header's column names, trimmed; a header that cannot be read stops the run (exit 2) before any row.</summary>
    private string[] ReadHeader(string source)
    {
        switch (_lines.Next(out var bytes, out _, skipOverlong: false))
        {
            case LineResult.End:
                throw new InventoryFormatException(Messages.NoHeader(source));
            case LineResult.TooLong:
                throw new InventoryFormatException(Messages.HeaderTooLong(source));
        }

        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (!Decode(bytes, out var text, out var badByte))
        {
            throw new InventoryFormatException(Messages.HeaderNotUtf8(source, badByte + 1));
        }

        if (text.Contains('\r'))
        {
            throw new InventoryFormatException(Messages.HeaderHasCarriageReturn(source));
        }

        var count = CsvLine.Split(text, ref _fields, out var quote);
        if (count < 0)
        {
            throw new InventoryFormatException(Messages.HeaderQuoteError(source, quote));
        }

        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = Value(text, i).Trim().ToString();
        }

        return names;
    }

    private static bool Field(string column, ReadOnlySpan<char> text, bool parsed, string? error, ref List<string>? errors)
    {
        if (parsed)
        {
            return true;
        }

        (errors ??= []).Add(text.Trim().IsEmpty ? Messages.EmptyValue(column) : column + ": " + error);
        return false;
    }

    private static InventoryRow Reject(int line, ReadOnlySpan<char> idText, string error) =>
        new(line, default, Untrusted.Show(idText, 64), error);

    private string Intern(ReadOnlySpan<char> text)
    {
        var lookup = _parties.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var value = text.ToString();
        _parties[value] = value;
        return value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    internal static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
