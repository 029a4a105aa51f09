namespace Smi.Retention.Inventory;

/// <summary>
/// The physical lines of a stream, as UTF-8 bytes without their line end (<c>\n</c> or <c>\r\n</c>).
/// A line longer than <see cref="MaxLineBytes"/> is skipped to its end without being held in memory
/// and reported as such, so no input, however long its lines, grows the memory or loses the lines
/// after it. A last line without a line end is returned, and <see cref="Unterminated"/> says so
/// (the input may have been cut off); an empty remainder after the last line end is not a line.
/// </summary>
internal sealed class LineReader
{
    /// <summary>The longest line read; an inventory row is about 60 bytes.</summary>
    public const int MaxLineBytes = 1 << 20;

    /// <summary>The reader's buffer: a line that is not overlong, and a read after it.</summary>
    public const int BufferSize = MaxLineBytes + ReadSize;

    private const int ReadSize = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private readonly byte[] _prefix = new byte[RowParser.PrefixBytes];
    private int _prefixLength;

    public LineReader(Stream stream) => _stream = stream;

    /// <summary>The stream read.</summary>
    public Stream Stream => _stream;

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The bytes an overlong line returned as <see cref="LineResult.TooLong"/> started with (at most <see cref="RowParser.PrefixBytes"/>), to tell the device it names.</summary>
    public ReadOnlySpan<byte> OverlongPrefix => _prefix.AsSpan(0, _prefixLength);

    /// <summary>The identifiers of the overlong line last returned, read as it was skipped.</summary>
    public DeviceIdScan OverlongScan { get; private set; } = new();

    /// <summary>Whether the line last returned ended the input without a line end.</summary>
    public bool Unterminated { get; private set; }

    /// <summary>Bytes consumed so far, for progress.</summary>
    public long Position { get; private set; }

    /// <summary>The next line; <see cref="LineResult.TooLong"/> with its length when it was skipped, <see cref="LineResult.End"/> after the last.</summary>
    /// <param name="line">The line's bytes, valid until the next call.</param>
    /// <param name="length">The line's length in bytes, its line end excluded.</param>
    /// <param name="skipOverlong">
    /// Whether to read past an overlong line to the next (an inventory row); false reports it at
    /// once without reading on, for a header, whose line may never end (<c>/dev/zero</c>).
    /// </param>
    public LineResult Next(out ReadOnlySpan<byte> line, out long length, bool skipOverlong = true)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0 || (_eof && pending.Length > 0))
            {
                var end = newline >= 0 ? newline : pending.Length;
                var consumed = newline >= 0 ? newline + 1 : end;
                _start += consumed;
                Position += consumed;
                LineNumber++;
                Unterminated = newline < 0;
                length = end;
                if (end > MaxLineBytes)
                {
                    KeepPrefix(pending);
                    var whole = new DeviceIdScan();
                    whole.AddUtf8(pending[..end]);
                    OverlongScan = whole;
                    line = default;
                    return LineResult.TooLong;
                }

                line = end > 0 && pending[end - 1] == (byte)'\r' ? pending[..(end - 1)] : pending[..end];
                return LineResult.Line;
            }

            if (_eof)
            {
                line = default;
                length = 0;
                return LineResult.End;
            }

            if (pending.Length > MaxLineBytes)
            {
                KeepPrefix(pending);
                var scan = new DeviceIdScan();
                scan.AddUtf8(pending);
                length = skipOverlong ? SkipRestOfLine(pending.Length, scan) : pending.Length;
                OverlongScan = scan;
                line = default;
                return LineResult.TooLong;
            }

            Fill();
        }
    }

    /// <summary>Hands over the bytes read but not yet returned as lines (at most <see cref="BufferSize"/>), for a <see cref="BlockReader"/> to go on from; the reader is then spent.</summary>
    /// <returns>How many bytes were copied into <paramref name="destination"/>.</returns>
    public int TakePending(Span<byte> destination, out bool eof)
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        pending.CopyTo(destination);
        eof = _eof;
        _start = _end = 0;
        return pending.Length;
    }

    private void KeepPrefix(ReadOnlySpan<byte> line)
    {
        _prefixLength = Math.Min(line.Length, _prefix.Length);
        line[.._prefixLength].CopyTo(_prefix);
    }

    /// <summary>Discards the current line's bytes up to and including its line end, counting them and scanning them for the devices they name.</summary>
    private long SkipRestOfLine(long counted, DeviceIdScan scan)
    {
        _start = _end = 0;
        Position += counted;
        while (true)
        {
            var read = _stream.Read(_buffer, 0, ReadSize);
            if (read == 0)
            {
                _eof = true;
                LineNumber++;
                return counted;
            }

            var newline = _buffer.AsSpan(0, read).IndexOf((byte)'\n');
            scan.AddUtf8(_buffer.AsSpan(0, newline >= 0 ? newline : read));
            if (newline >= 0)
            {
                _start = newline + 1;
                _end = read;
                Position += newline + 1;
                LineNumber++;
                return counted + newline;
            }

            counted += read;
            Position += read;
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = _stream.Read(_buffer, _end, Math.Min(ReadSize, _buffer.Length - _end));
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
