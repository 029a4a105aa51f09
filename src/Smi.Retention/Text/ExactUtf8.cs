using System.Buffers;
using System.Text;

namespace Smi.Retention.Text;

/// <summary>
/// A string's UTF-8 bytes with nothing replaced: a lone surrogate (which a .NET string may hold and
/// UTF-8 cannot) becomes its own three bytes, which no UTF-8 reader accepts, rather than the
/// U+FFFD that <see cref="Encoding.UTF8"/> writes in its place. Text handed over as a string is
/// then refused at the lone surrogate's place, as a file's bytes that are not UTF-8 are, and not
/// read (and hashed) as another text.
/// </summary>
internal static class ExactUtf8
{
    /// <summary>The bytes of <paramref name="text"/>, a lone surrogate as its three (invalid) bytes.</summary>
    public static byte[] Of(string text)
    {
        var bytes = new ArrayBufferWriter<byte>(text.Length);
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) == OperationStatus.Done)
            {
                bytes.Advance(rune.EncodeToUtf8(bytes.GetSpan(4)));
            }
            else
            {
                var c = rest[0];
                var span = bytes.GetSpan(3);
                (span[0], span[1], span[2]) = ((byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F)));
                bytes.Advance(3);
                used = 1;
            }

            rest = rest[used..];
        }

        return bytes.WrittenSpan.ToArray();
    }
}
