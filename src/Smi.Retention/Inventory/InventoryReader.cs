using NodaTime;
using NodaTime.Text;
using Smi.Retention.Files;

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
    private LocalDate? _asOf;
    private RowParser _parser;
    private readonly List<RowParser> _parsers = [];

    private readonly long _length;
    private readonly InventoryFile? _file;
    private readonly string _source;
    private bool _disposed;

    internal InventoryReader(Stream stream, bool ownsStream, string source, LocalDate? asOf, InventoryFile? file = null)
    {
        // A seekable file's length, for progress; 0 for a pipe, and for a compressed file (its
        // length is not the length of what is read).
        _file = file;
        _source = source;
        var length = file is not null ? file.Opened.Size : stream.CanSeek ? stream.Length : 0;
        _stream = Compressed.Open(stream, source);
        _length = _stream is Compressed ? 0 : length;
        _ownsStream = ownsStream;
        _lines = new LineReader(_stream);
        _asOf = asOf;
        _header = InventoryHeader.Of(source, ReadHeader(source));
        _parser = new RowParser(_header, asOf);
    }

    /// <summary>Whether no row has been read yet (only the header), by <see cref="Read"/> or a pass.</summary>
    internal bool IsUnread => !_disposed && _lines.LineNumber == 1;

    /// <summary>Whether the header names <paramref name="column"/> (any case): one of the optional columns, <c>notifying_party</c>, <c>smets_generation</c> or <c>device_model</c>.</summary>
    /// <param name="column">The column's name.</param>
    /// <returns><see langword="true"/> when the inventory has the column.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is not an optional column (the required ones are always there).</exception>
    public bool HasColumn(string column) => _header.Has(column);

    /// <summary>The input's name in messages: its path, or the name given with the stream.</summary>
    public string Source => _source;

    /// <summary>Bytes of the input read so far, for progress.</summary>
    public long Position => _lines.Position;

    /// <summary>The input's length in bytes, or 0 when it has none (a pipe, standard input).</summary>
    public long Length => _length;

    /// <summary>
    /// Opens an inventory file, checked before it is opened (a folder or a socket is refused; a FIFO
    /// is read as a pipe, so this waits for its writer). Devices listed more than once are the
    /// caller's to find (a rejected row lists the devices of <see cref="InventoryRow.GetNamedDevices"/>):
    /// <see cref="InventoryAnalysis"/> applies that rule for an analysis, and the hosting package's
    /// <c>HousekeepingService</c> for a run, as the tool does.
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

        // A corrupt input stays what it is, wherever it is met (here, in its header): bad input, told from a failed read by type.
        return e is IOException and not CorruptInventoryException;
    }

    /// <summary>Opens a path for the tool: <c>-</c> is <paramref name="standardInput"/> (or the console's).</summary>
    internal static InventoryReader Open(string path, LocalDate? asOf, Stream? standardInput) => InventoryInput.Open(path, asOf, standardInput);

    /// <summary>Reads CSV text held in memory (tests, small inputs).</summary>
    internal static InventoryReader FromText(string text, LocalDate? asOf) =>
        new(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), ownsStream: true, "text", asOf);

    /// <summary>Reads the next line after the header, as a record or as a reject with every problem; false at the end of the input.</summary>
    /// <param name="row">The row, when the result is <see langword="true"/>.</param>
    /// <returns><see langword="true"/> while there are rows.</returns>
    /// <exception cref="CorruptInventoryException">The input's bytes cannot be what they claim (a gzip file cut short or corrupt).</exception>
    /// <exception cref="IOException">The input failed while reading (a disk error).</exception>
    /// <exception cref="InventoryChangedException">At the end of a file opened by path: the file changed while it was read (an export still being written, a file replaced).</exception>
    public bool Read(out InventoryRow row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var result = _lines.Next(out var bytes, out var length);
        var line = _lines.LineNumber;
        switch (result)
        {
            case LineResult.End:
                CheckUnchanged();
                row = default;
                return false;
            case LineResult.TooLong:
                row = _parser.TooLong(line, length, _lines.OverlongPrefix, _lines.OverlongScan);
                return true;
        }

        _parser.Parse(line, bytes, out row);
        if (_lines.Unterminated)
        {
            row = RowParser.CutOff(row);
        }

        return true;
    }

    /// <summary>
    /// Hands the rest of the input over to a block reader, for the tool to parse blocks of lines on
    /// several threads (each with its own <see cref="NewParser"/>); <see cref="Read"/> may not be
    /// called after this.
    /// </summary>
    internal BlockReader Blocks()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _disposed = true; // for Read: the lines are the block reader's now; Dispose still closes the stream
        return new BlockReader(_lines);
    }

    /// <summary>
    /// What this reading has read so far, for a file opened by path (null for a stream): the file
    /// as its handle describes it now and at the opening, and the bytes read and their hash.
    /// </summary>
    internal InventorySnapshot? Snapshot() =>
        _file is null ? null : new InventorySnapshot(_source, _file.Opened, FileFacts.Of(_file.Handle.SafeFileHandle, null), _file.Read.BytesRead, _file.Read.Hash);

    /// <summary>
    /// After the last row: refuses the input if it changed while it was read (a file still being
    /// written, or replaced); a stream is taken as read.
    /// </summary>
    /// <exception cref="InventoryChangedException">The file changed while it was read.</exception>
    internal void CheckUnchanged()
    {
        if (Snapshot()?.ChangedWhileRead() is { } change)
        {
            throw new InventoryChangedException(Messages.InventoryChanged(_source, change)) { Difference = change };
        }
    }

    /// <summary>
    /// Makes the rows be read as of <paramref name="asOf"/> (a row whose status applies after it is a
    /// reject), before any is read: a reader opened without a date takes the run's, so that a run
    /// over it rejects what the tool's would; one opened with another date is refused.
    /// </summary>
    /// <exception cref="ArgumentException">The reader was opened as of another date.</exception>
    internal void ReadAsOf(LocalDate asOf, string paramName)
    {
        if (_asOf is { } opened && opened != asOf)
        {
            throw new ArgumentException(Messages.ReaderAsOfDiffers(_source, opened, asOf), paramName);
        }

        if (_asOf is null)
        {
            _asOf = asOf;
            _parser = new RowParser(_header, asOf);
        }
    }

    /// <summary>A parser for this input's rows (its columns and date), one per parsing thread.</summary>
    internal RowParser NewParser()
    {
        var parser = new RowParser(_header, _asOf);
        lock (_parsers)
        {
            _parsers.Add(parser);
        }

        return parser;
    }

    /// <summary>
    /// The device models of the rows read so far, valid or not (the <c>device_model</c> column's
    /// values, trimmed), or null when there were too many distinct ones to keep, or no such column.
    /// </summary>
    internal IReadOnlySet<string>? ModelsRead()
    {
        if (_header.Model < 0)
        {
            return null;
        }

        var models = new HashSet<string>(StringComparer.Ordinal);
        lock (_parsers)
        {
            foreach (var parser in _parsers.Append(_parser))
            {
                if (parser.Models is not { } met)
                {
                    return null;
                }

                models.UnionWith(met);
            }
        }

        return models;
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

        var buffer = new char[bytes.Length];
        if (!RowParser.Decode(bytes, ref buffer, out var text, out var badByte))
        {
            throw new InventoryFormatException(Messages.HeaderNotUtf8(source, badByte + 1));
        }

        if (text.Contains('\r'))
        {
            throw new InventoryFormatException(Messages.HeaderHasCarriageReturn(source));
        }

        var fields = new CsvField[16];
        var count = CsvLine.Split(text, ref fields, out var quote);
        if (count < 0)
        {
            throw new InventoryFormatException(Messages.HeaderQuoteError(source, quote));
        }

        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = CsvLine.Value(text, fields[i]).Trim().ToString();
        }

        if (_lines.Unterminated)
        {
            throw new InventoryFormatException(Messages.HeaderCutOff(source));
        }

        return names;
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

/// <summary>An inventory file opened by path: its handle, the file as the handle described it when opened, and the stream that counts and hashes what is read.</summary>
internal sealed record InventoryFile(FileStream Handle, FileFacts Opened, HashingStream Read);
