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
        while (filled < bytes.Length && !_eof)
        {
            var read = _stream.Read(bytes, filled, bytes.Length - filled);
            if (read == 0)
            {
                _eof = true;
            }

            filled += read;
        }

        if (filled == 0)
        {
            return false;
        }

        block.FirstLine = _nextLine;
        block.TooLongLength = -1;
        var last = bytes.AsSpan(0, filled).LastIndexOf((byte)'\n');
        if (last >= 0 || _eof)
        {
            var length = last >= 0 ? last + 1 : filled;
            var lines = bytes.AsSpan(0, length).Count((byte)'\n') + (bytes[length - 1] == (byte)'\n' ? 0 : 1);
            if (lines > MaxLines)
            {
                length = EndOfLine(bytes, MaxLines);
                lines = MaxLines;
            }

            _carried = filled - length;
            bytes.AsSpan(length, _carried).CopyTo(_carry);
            block.Length = length;
            block.Lines = lines;
            _position += length;
        }
        else
        {
            // A full block and no line end: its line is longer than any line kept.
            block.Length = 0;
            block.Lines = 1;
            block.TooLongLength = SkipRestOfLine(filled);
        }

        _nextLine += block.Lines;
        block.Position = _position;
        return true;
    }

    /// <summary>The length of the first <paramref name="lines"/> lines of <paramref name="bytes"/>, each ending in '\n'.</summary>
    private static int EndOfLine(byte[] bytes, int lines)
    {
        var end = 0;
        for (var line = 0; line < lines; line++)
        {
            end += bytes.AsSpan(end).IndexOf((byte)'\n') + 1;
        }

        return end;
    }

    /// <summary>Reads past the end of an overlong line, keeping what follows it; its length, line end excluded.</summary>
    private long SkipRestOfLine(long counted)
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
