namespace Smi.Retention.Inventory;

/// <summary>
/// Reads an inventory's lines after the header in blocks of whole lines (see <see cref="LineBlock"/>),
/// finding only where the last line of each block ends and how many lines it holds, so that the
/// parsing, the costly part, can be shared between threads. The lines, their numbers and the bytes
/// consumed are exactly those <see cref="LineReader"/> gives line by line: a line longer than
/// <see cref="LineReader.MaxLineBytes"/> becomes a block of its own, skipped without being held.
/// </summary>
internal sealed class BlockReader
{
    /// <summary>The largest block: room for any line that is not overlong, and its line end.</summary>
    public const int BlockSize = LineReader.BufferSize;

    /// <summary>
    /// The most lines in a block: a parsed row takes far more memory than a short line's bytes (a
    /// file of empty lines would otherwise make a million rows, each a reject, of one 2 MB block).
    /// </summary>
    public const int MaxLines = 1 << 14;

    private readonly Stream _stream;
    private readonly byte[] _carry = new byte[BlockSize];
    private int _carried;
    private bool _eof;
    private long _nextLine;
    private long _position;

    /// <summary>Takes over from a line reader that has read the header.</summary>
    public BlockReader(LineReader lines)
    {
        _stream = lines.Stream;
        _carried = lines.TakePending(_carry, out _eof);
        _nextLine = lines.LineNumber + 1;
        _position = lines.Position;
    }

    /// <summary>Fills <paramref name="block"/> with the next lines; false after the last.</summary>
    /// <exception cref="IOException">The input failed while reading.</exception>
    public bool Next(LineBlock block)
    {
        var bytes = block.Bytes;
        _carry.AsSpan(0, _carried).CopyTo(bytes);
        var filled = _carried;
        _carried = 0;

        // Read until the block is full or holds MaxLines lines, each read sized from the lines so
        // far to end near there: every byte is counted once, and little is carried to the next block.
        var newlines = bytes.AsSpan(0, filled).Count((byte)'\n');
        while (filled < bytes.Length && !_eof && newlines < MaxLines)
        {
            var want = newlines == 0 ? FirstRead : (long)(MaxLines - newlines) * filled / newlines + MinRead;
            var read = _stream.Read(bytes, filled, (int)Math.Min(bytes.Length - filled, want));
            if (read == 0)
            {
                _eof = true;
            }

            newlines += bytes.AsSpan(filled, read).Count((byte)'\n');
            filled += read;
        }

        if (filled == 0)
        {
            return false;
        }

        block.FirstLine = _nextLine;
        block.TooLongLength = -1;
        var unterminated = _eof && bytes[filled - 1] != (byte)'\n' ? 1 : 0; // the input's last line, with no line end
        if (newlines + unterminated > MaxLines)
        {
            block.Length = AfterNewline(bytes.AsSpan(0, filled), newlines - MaxLines + 1);
            block.Lines = MaxLines;
        }
        else if (_eof)
        {
            block.Length = filled;
            block.Lines = newlines + unterminated;
        }
        else if (newlines > 0)
        {
            block.Length = AfterNewline(bytes.AsSpan(0, filled), 1);
            block.Lines = newlines;
        }
        else
        {
            // A full block and no line end: its line is longer than any line kept.
            block.Length = 0;
            block.Lines = 1;
            var scan = new DeviceIdScan();
            scan.AddUtf8(bytes.AsSpan(0, filled));
            block.TooLongLength = SkipRestOfLine(filled, scan);
            block.TooLongScan = scan;
        }

        if (block.TooLongLength < 0)
        {
            _carried = filled - block.Length;
            bytes.AsSpan(block.Length, _carried).CopyTo(_carry);
            _position += block.Length;
        }

        _nextLine += block.Lines;
        block.Position = _position;
        return true;
    }

    private const int FirstRead = 256 << 10;
    private const int MinRead = 16 << 10;

    /// <summary>The length up to and including the <paramref name="fromEnd"/>-th line end counted from the end of <paramref name="bytes"/>.</summary>
    private static int AfterNewline(ReadOnlySpan<byte> bytes, int fromEnd)
    {
        var end = bytes.Length;
        for (var i = 0; i < fromEnd; i++)
        {
            end = bytes[..end].LastIndexOf((byte)'\n');
        }

        return end + 1;
    }

    /// <summary>Reads past the end of an overlong line, keeping what follows it and scanning it for the devices it names; its length, line end excluded.</summary>
    private long SkipRestOfLine(long counted, DeviceIdScan scan)
    {
        _position += counted;
        while (true)
        {
            var read = _stream.Read(_carry, 0, _carry.Length);
            if (read == 0)
            {
                _eof = true;
                return counted;
            }

            var newline = _carry.AsSpan(0, read).IndexOf((byte)'\n');
            scan.AddUtf8(_carry.AsSpan(0, newline >= 0 ? newline : read));
            if (newline >= 0)
            {
                _carried = read - newline - 1;
                _carry.AsSpan(newline + 1, _carried).CopyTo(_carry);
                _position += newline + 1;
                return counted + newline;
            }

            counted += read;
            _position += read;
        }
    }
}
