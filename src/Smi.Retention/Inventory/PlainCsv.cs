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
