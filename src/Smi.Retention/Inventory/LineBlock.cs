namespace Smi.Retention.Inventory;

/// <summary>
/// Whole lines of an inventory, read as one run of bytes so that several threads can parse
/// consecutive blocks at once; or, when <see cref="TooLongLength"/> is not negative, one line too
/// long to hold, skipped by the reader.
/// </summary>
internal sealed class LineBlock
{
    /// <summary>The lines' bytes, line ends included; only the first <see cref="Length"/> are the block's.</summary>
    public byte[] Bytes { get; } = new byte[BlockReader.BlockSize];

    /// <summary>Bytes of whole lines in <see cref="Bytes"/>; the last line may lack a line end only at the end of the input.</summary>
    public int Length { get; set; }

    /// <summary>The 1-based number of the block's first line in the input.</summary>
    public long FirstLine { get; set; }

    /// <summary>How many lines the block holds.</summary>
    public int Lines { get; set; }

    /// <summary>The length of the overlong line this block stands for, or -1 for a block of lines.</summary>
    public long TooLongLength { get; set; } = -1;

    /// <summary>The identifiers of the overlong line this block stands for, read as it was skipped.</summary>
    public DeviceIdScan? TooLongScan { get; set; }

    /// <summary>Bytes of the input consumed up to the end of this block, for progress.</summary>
    public long Position { get; set; }

    /// <summary>
    /// Parses every line of the block into <paramref name="rows"/> (grown as needed), in order, with
    /// its line number: rows = lines, whatever their bytes.
    /// </summary>
    /// <returns>The number of rows, equal to <see cref="Lines"/>.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public int Parse(RowParser parser, ref InventoryRow[] rows)
    {
        if (rows.Length < Lines)
        {
            rows = new InventoryRow[Math.Max(Lines, rows.Length * 2)];
        }

        if (TooLongLength >= 0)
        {
            rows[0] = parser.TooLong(FirstLine, TooLongLength, Bytes.AsSpan(0, RowParser.PrefixBytes), TooLongScan!); // the bytes hold the line's start
            return 1;
        }

        var rest = Bytes.AsSpan(0, Length);
        var count = 0;
        while (!rest.IsEmpty)
        {
            var newline = rest.IndexOf((byte)'\n');
            var end = newline < 0 ? rest.Length : newline;
            var line = FirstLine + count;
            if (end > LineReader.MaxLineBytes)
            {
                var scan = new DeviceIdScan();
                scan.AddUtf8(rest[..end]);
                rows[count++] = parser.TooLong(line, end, rest[..RowParser.PrefixBytes], scan);
            }
            else
            {
                var bytes = end > 0 && rest[end - 1] == (byte)'\r' ? rest[..(end - 1)] : rest[..end];
                parser.Parse(line, bytes, rest, out rows[count++]);
                if (newline < 0)
                {
                    rows[count - 1] = RowParser.CutOff(rows[count - 1]);
                }
            }

            rest = newline < 0 ? default : rest[(newline + 1)..];
        }

        return count;
    }
}
