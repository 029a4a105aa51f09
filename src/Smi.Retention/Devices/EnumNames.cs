using System.Buffers.Binary;

namespace Smi.Retention;

/// <summary>Case-insensitive lookup of an enum's declared names; numbers are never accepted.</summary>
internal static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    private static readonly string[] Names = NamesOf(Values);

    /// <summary>The declared names, comma separated, for error messages.</summary>
    public static readonly string List = string.Join(", ", Names);

    /// <summary>The declared names in declaration order, as a new array.</summary>
    public static string[] NameArray() => (string[])Names.Clone();

    /// <summary>All declared values in declaration order.</summary>
    public static ReadOnlySpan<TEnum> All => Values;

    /// <summary>
    /// How many values are declared. Device types and statuses are numbered 1 to this count, with
    /// no gaps (EnumNamesTests holds it), so one new member at the end is all a new type or status needs.
    /// </summary>
    public static readonly int Count = Values.Length;

    // Where each name is, by a hash of its length and its first and last letters (any case): the
    // fast path looks up one candidate instead of trying the names in turn, which mispredicts a
    // branch on nearly every row when the values vary. Null when two names share a hash.
    private static readonly byte[]? Slots = BuildSlots();

    // The names in lower case, as bytes: a name's letters compare with (byte | 0x20), which is
    // exact for ASCII letters (only 'A'-'Z' and 'a'-'z' give 'a'-'z'); BuildSlots holds names to letters.
    private static readonly byte[][] Lower = LowerOf(Names);

    /// <summary>Parses a name from UTF-8 bytes, exactly as written (no spaces around it): the inventory reader's fast path.</summary>
    public static bool TryParseAscii(ReadOnlySpan<byte> text, out TEnum value)
    {
        value = default;
        if (text.IsEmpty)
        {
            return false;
        }

        if (Slots is null)
        {
            Span<char> chars = stackalloc char[64];
            return text.Length <= chars.Length && System.Text.Ascii.ToUtf16(text, chars, out var written) == System.Buffers.OperationStatus.Done
                && TryParse(chars[..written], out value);
        }

        var index = Slots[Hash(text.Length, text[0], text[^1])] - 1;
        if (index < 0)
        {
            return false;
        }

        var name = Lower[index];
        if (name.Length != text.Length || !EqualsLower(text, name))
        {
            return false;
        }

        value = Values[index];
        return true;
    }

    /// <summary>Whether <paramref name="text"/> is the lower-case letters <paramref name="lower"/> in any case (the same length), eight bytes at a time.</summary>
    private static bool EqualsLower(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lower)
    {
        // OR-ing 0x20 into every byte at once is exact as it is byte by byte: only letters become letters.
        var length = text.Length;
        if (length >= 8)
        {
            for (var at = 0; at < length - 8; at += 8)
            {
                if ((BinaryPrimitives.ReadUInt64LittleEndian(text[at..]) | 0x2020202020202020UL) != BinaryPrimitives.ReadUInt64LittleEndian(lower[at..]))
                {
                    return false;
                }
            }

            return (BinaryPrimitives.ReadUInt64LittleEndian(text[(length - 8)..]) | 0x2020202020202020UL) == BinaryPrimitives.ReadUInt64LittleEndian(lower[(length - 8)..]);
        }

        if (length >= 4)
        {
            return (BinaryPrimitives.ReadUInt32LittleEndian(text) | 0x20202020U) == BinaryPrimitives.ReadUInt32LittleEndian(lower)
                && (BinaryPrimitives.ReadUInt32LittleEndian(text[(length - 4)..]) | 0x20202020U) == BinaryPrimitives.ReadUInt32LittleEndian(lower[(length - 4)..]);
        }

        for (var i = 0; i < length; i++)
        {
            if ((text[i] | 0x20) != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParse(ReadOnlySpan<char> text, out TEnum value)
    {
        var trimmed = text.Trim();
        for (var i = 0; i < Names.Length; i++)
        {
            if (trimmed.Length == Names[i].Length && System.Text.Ascii.EqualsIgnoreCase(trimmed, Names[i]))
            {
                value = Values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    // Loops, not LINQ over the values: the packed tool would compile a Select over each enum whenever it starts.
    private static string[] NamesOf(TEnum[] values)
    {
        var names = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            names[i] = values[i].ToString();
        }

        return names;
    }

    private static byte[][] LowerOf(string[] names)
    {
        var lower = new byte[names.Length][];
        for (var i = 0; i < names.Length; i++)
        {
            lower[i] = System.Text.Encoding.ASCII.GetBytes(names[i].ToLowerInvariant());
        }

        return lower;
    }

    private static int Hash(int length, int first, int last) => ((length * 61) + ((first | 0x20) * 7) + (last | 0x20)) & 1023;

    private static byte[]? BuildSlots()
    {
        var slots = new byte[1024];
        if (!Names.All(n => n.All(char.IsAsciiLetter)))
        {
            return null;
        }

        for (var i = 0; i < Names.Length; i++)
        {
            ref var slot = ref slots[Hash(Names[i].Length, Names[i][0], Names[i][^1])];
            if (slot != 0 || i >= byte.MaxValue)
            {
                return null;
            }

            slot = (byte)(i + 1);
        }

        return slots;
    }
}
