using System.Numerics;
using System.Runtime.Intrinsics;

namespace Smi.Retention.Inventory;

/// <summary>
/// A plain line (printable ASCII, no quote): where its commas are, found 32 bytes at a time where
/// the processor allows, in the same pass that checks it is plain.
/// </summary>
internal static class PlainCsv
{
    /// <summary>
    /// Puts the positions of the commas in <paramref name="line"/> into <paramref name="commas"/>, in
    /// order, and stops counting once there is one more than it holds.
    /// </summary>
    /// <returns>How many commas there are (<c>commas.Length + 1</c> when there are more than it holds), or -1 when the line is not plain: a control byte, a quote, or anything not ASCII.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static int Commas(ReadOnlySpan<byte> line, Span<int> commas)
    {
        var count = 0;
        if (!Vector256.IsHardwareAccelerated || line.Length < Vector256<byte>.Count)
        {
            for (var i = 0; i < line.Length; i++)
            {
                var b = line[i];
                if (b is < (byte)' ' or > (byte)'~' or (byte)'"')
                {
                    return -1;
                }

                if (b == (byte)',' && !Add(commas, ref count, i))
                {
                    return count;
                }
            }

            return count;
        }

        var comma = Vector256.Create((byte)',');
        var quote = Vector256.Create((byte)'"');
        var space = Vector256.Create((byte)' ');
        var tilde = Vector256.Create((byte)'~');
        for (var i = 0; i < line.Length; i += Vector256<byte>.Count)
        {
            // The last load ends at the line's end and overlaps the one before: its first bits, already seen, are shifted out.
            var at = Math.Min(i, line.Length - Vector256<byte>.Count);
            var bytes = Vector256.Create(line.Slice(at, Vector256<byte>.Count));
            var odd = Vector256.LessThan(bytes, space) | Vector256.GreaterThan(bytes, tilde) | Vector256.Equals(bytes, quote);
            if (odd != Vector256<byte>.Zero)
            {
                return -1;
            }

            var found = Vector256.Equals(bytes, comma).ExtractMostSignificantBits() >> (i - at);
            while (found != 0)
            {
                if (!Add(commas, ref count, i + BitOperations.TrailingZeroCount(found)))
                {
                    return count;
                }

                found &= found - 1;
            }
        }

        return count;
    }

    /// <summary>How many bytes from a line's start <see cref="TryLeadingCommas"/> reads.</summary>
    public const int LeadingBytes = 64;

    /// <summary>
    /// Where a line's first comma and its <paramref name="nth"/> (1-based) are, found in its first
    /// <see cref="LeadingBytes"/> bytes with no check that it is plain: for a row whose other bytes
    /// are checked another way (a row met before, <c>RowParser.TryMet</c>). Needs 256-bit vectors (<see cref="LineKey.IsSupported"/>).
    /// </summary>
    /// <param name="readable">The line's bytes and those after it, at least <see cref="LeadingBytes"/>.</param>
    /// <param name="length">The line's length: commas from there on are not its own.</param>
    /// <param name="nth">Which comma besides the first (1 for the first again).</param>
    /// <param name="first">The first comma's position.</param>
    /// <param name="last">The <paramref name="nth"/> comma's position.</param>
    /// <returns>Whether the line has <paramref name="nth"/> commas in those bytes.</returns>
    public static bool TryLeadingCommas(ReadOnlySpan<byte> readable, int length, int nth, out int first, out int last)
    {
        var comma = Vector256.Create((byte)',');
        var bits = Vector256.Equals(Vector256.Create(readable), comma).ExtractMostSignificantBits()
            | ((ulong)Vector256.Equals(Vector256.Create(readable[Vector256<byte>.Count..]), comma).ExtractMostSignificantBits() << Vector256<byte>.Count);
        if (length < LeadingBytes)
        {
            bits &= (1UL << length) - 1;
        }

        first = BitOperations.TrailingZeroCount(bits);
        for (var i = 1; i < nth && bits != 0; i++)
        {
            bits &= bits - 1;
        }

        last = BitOperations.TrailingZeroCount(bits);
        return bits != 0;
    }

    private static bool Add(Span<int> commas, ref int count, int position)
    {
        if (count == commas.Length)
        {
            count++;
            return false;
        }

        commas[count++] = position;
        return true;
    }
}
