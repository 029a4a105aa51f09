using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Smi.Retention;

/// <summary>
/// A device's EUI-64 identifier, written as eight pairs of hex digits joined by '-', for example
/// <c>88-73-84-57-00-2F-96-1E</c>. Parsed case-insensitively, always written upper case.
/// </summary>
/// <remarks>Eight bytes: the identifier is held as one 64-bit number, most significant octet first.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(DeviceIdJsonConverter))]
public readonly struct DeviceId : IEquatable<DeviceId>, IComparable<DeviceId>, ISpanParsable<DeviceId>, ISpanFormattable, IUtf8SpanFormattable
{
    /// <summary>The length of the written form: 8 pairs of hex digits and 7 separators.</summary>
    public const int TextLength = 23;

    private readonly ulong _value;

    /// <summary>Creates an identifier from its 64-bit value (the first octet is the most significant byte).</summary>
    /// <param name="value">The EUI-64 as a number.</param>
    public DeviceId(ulong value) => _value = value;

    /// <summary>The EUI-64 as a number, first octet most significant.</summary>
    public ulong Value => _value;

    /// <summary>Parses an EUI-64 such as <c>88-73-84-57-00-2F-96-1E</c>, case-insensitively.</summary>
    /// <param name="text">The identifier.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="FormatException">The text is not 8 pairs of hex digits joined by '-'; the message says where.</exception>
    public static DeviceId Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>Parses an EUI-64 such as <c>88-73-84-57-00-2F-96-1E</c>, case-insensitively.</summary>
    /// <param name="text">The identifier.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not 8 pairs of hex digits joined by '-'; the message says where.</exception>
    public static DeviceId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.AsSpan());
    }

    /// <summary>Tries to parse an EUI-64 such as <c>88-73-84-57-00-2F-96-1E</c>, case-insensitively.</summary>
    /// <param name="text">The identifier.</param>
    /// <param name="id">The identifier, when the result is <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when the text is a well-formed EUI-64.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out DeviceId id) => TryParseCore(text, out id) < 0;

    /// <summary>Tries to parse an EUI-64, giving the reason when it fails.</summary>
    /// <param name="text">The identifier.</param>
    /// <param name="id">The identifier, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is wrong and how to write it, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the text is a well-formed EUI-64.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out DeviceId id, [NotNullWhen(false)] out string? error)
    {
        var failedAt = TryParseCore(text, out id);
        error = failedAt < 0 ? null : Messages.BadDeviceId(text, failedAt);
        return failedAt < 0;
    }

    /// <summary>The value of a hex digit (a fullwidth one too), or -1 for any other character.</summary>
    internal static int HexValue(char c) =>
        c <= 0x7F ? HexDigits[c]
        : c is >= '\uFF10' and <= '\uFF19' ? c - 0xFF10
        : c is >= '\uFF21' and <= '\uFF26' ? c - 0xFF21 + 10
        : c is >= '\uFF41' and <= '\uFF46' ? c - 0xFF41 + 10
        : -1;

    /// <summary>Parses the identifier from UTF-8 bytes (the inventory reader's fast path); false for anything <see cref="TryParse(ReadOnlySpan{char}, out DeviceId)"/> refuses.</summary>
    internal static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out DeviceId id) => TryParseCore(utf8, out id) < 0;

    /// <summary>Returns -1 on success, else the index of the first offending character (the length when it is wrong).</summary>
    private static int TryParseCore(ReadOnlySpan<char> text, out DeviceId id)
    {
        if (text.Length != TextLength)
        {
            id = default;
            return text.Length;
        }

        // The bytes' parser reads the characters narrowed: one that is not ASCII becomes 0xFF,
        // which is neither a hex digit nor '-', so it fails at the same place.
        Span<byte> ascii = stackalloc byte[TextLength];
        for (var i = 0; i < TextLength; i++)
        {
            ascii[i] = text[i] <= 0x7F ? (byte)text[i] : (byte)0xFF;
        }

        return TryParseCore((ReadOnlySpan<byte>)ascii, out id);
    }

    private static int TryParseCore(ReadOnlySpan<byte> text, out DeviceId id)
    {
        id = default;
        if (text.Length != TextLength)
        {
            return text.Length;
        }

        if (Ssse3.IsSupported && TryParseVector(text, out var parsed))
        {
            id = new DeviceId(parsed);
            return -1;
        }

        // One octet per step, no division; also where a refused identifier is told what is wrong.
        ulong value = 0;
        for (var at = 0; at < TextLength; at += 3)
        {
            int high = HexDigits[text[at]];
            int low = HexDigits[text[at + 1]];
            if ((high | low) < 0)
            {
                return high < 0 ? at : at + 1;
            }

            if (at + 2 < TextLength && text[at + 2] != '-')
            {
                return at + 2;
            }

            value = (value << 8) | (uint)((high << 4) | low);
        }

        id = new DeviceId(value);
        return -1;
    }

    /// <summary>
    /// The identifier's 23 bytes in two overlapping vectors (bytes 0-15 and 7-22): its 16 digits
    /// gathered into one and checked as hex digits, its 7 separators into another and checked as
    /// '-', each pair of digits multiplied into its octet. False for anything else (the scalar
    /// parser then says where). About a third of the scalar parser's time, once per inventory row.
    /// Needs SSSE3; <paramref name="text"/> is 23 bytes.
    /// </summary>
    internal static bool TryParseVector(ReadOnlySpan<byte> text, out ulong value)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        var first = Vector128.LoadUnsafe(ref start);
        var last = Vector128.LoadUnsafe(ref start, TextLength - 16);
        var digits = Ssse3.Shuffle(first, FirstDigits) | Ssse3.Shuffle(last, LastDigits);
        var separators = Ssse3.Shuffle(first, FirstSeparators) | Ssse3.Shuffle(last, LastSeparators);
        var decimalDigit = digits - Vector128.Create((byte)'0');
        var letter = (digits | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a');
        var isDecimal = Vector128.LessThan(decimalDigit, Vector128.Create((byte)10));
        var valid = (isDecimal | Vector128.LessThan(letter, Vector128.Create((byte)6))) & Vector128.Equals(separators, Separators);
        if (!Vector128.EqualsAll(valid, Vector128<byte>.AllBitsSet))
        {
            value = 0;
            return false;
        }

        var nibbles = Vector128.ConditionalSelect(isDecimal, decimalDigit, letter + Vector128.Create((byte)10));
        var octets = Sse2.PackUnsignedSaturate(Ssse3.MultiplyAddAdjacent(nibbles, HighThenLow), default);
        value = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(octets.AsUInt64().ToScalar()); // the first octet the most significant
        return true;
    }

    // Where the 16 digits and 7 separators are in the two vectors (0x80: none, a zero byte).
    private static readonly Vector128<byte> FirstDigits = Vector128.Create((byte)0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> LastDigits = Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 9, 11, 12, 14, 15);
    private static readonly Vector128<byte> FirstSeparators = Vector128.Create((byte)2, 5, 8, 11, 14, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> LastSeparators = Vector128.Create((byte)0x80, 0x80, 0x80, 0x80, 0x80, 10, 13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
    private static readonly Vector128<byte> Separators = Vector128.Create((byte)'-', (byte)'-', (byte)'-', (byte)'-', (byte)'-', (byte)'-', (byte)'-', 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private static readonly Vector128<sbyte> HighThenLow = Vector128.Create((sbyte)16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1, 16, 1);

    // The digits, and which of an id's 16 digits each written byte holds (0x80: a separator's place).
    private static readonly Vector128<byte> HexDigitsUpper = Vector128.Create("0123456789ABCDEF"u8);
    private static readonly Vector128<byte> FirstWritten = Vector128.Create((byte)0, 1, 0x80, 2, 3, 0x80, 4, 5, 0x80, 6, 7, 0x80, 8, 9, 0x80, 10);
    private static readonly Vector128<byte> FirstWrittenSeparators = Vector128.Create((byte)0, 0, (byte)'-', 0, 0, (byte)'-', 0, 0, (byte)'-', 0, 0, (byte)'-', 0, 0, (byte)'-', 0);
    private static readonly Vector128<byte> LastWritten = Vector128.Create((byte)5, 0x80, 6, 7, 0x80, 8, 9, 0x80, 10, 11, 0x80, 12, 13, 0x80, 14, 15);
    private static readonly Vector128<byte> LastWrittenSeparators = Vector128.Create((byte)0, (byte)'-', 0, 0, (byte)'-', 0, 0, (byte)'-', 0, 0, (byte)'-', 0, 0, (byte)'-', 0, 0);

    // Each octet's two upper-case hex digits as UTF-8, first digit in the low byte.
    private static readonly ushort[] HexPairs = BuildHexPairs();

    // Each byte's value as a hex digit, -1 when it is not one. A table, not comparisons: ids are
    // random, so a branch on "digit or letter" is mispredicted about every third character.
    private static readonly sbyte[] HexDigits = BuildHexDigits();

    // The tables are filled by loops, not LINQ over value types: the packed tool would compile that LINQ whenever it starts.
    private static ushort[] BuildHexPairs()
    {
        var pairs = new ushort[256];
        for (var b = 0; b < pairs.Length; b++)
        {
            pairs[b] = (ushort)("0123456789ABCDEF"[b >> 4] | ("0123456789ABCDEF"[b & 0xF] << 8));
        }

        return pairs;
    }

    private static sbyte[] BuildHexDigits()
    {
        var digits = new sbyte[256];
        for (var c = 0; c < digits.Length; c++)
        {
            digits[c] = (sbyte)(c is >= '0' and <= '9' ? c - '0' : (c | 0x20) is >= 'a' and <= 'f' ? (c | 0x20) - 'a' + 10 : -1);
        }

        return digits;
    }

    /// <summary>Writes the identifier upper case, octets joined by '-'.</summary>
    /// <returns>For example <c>88-73-84-57-00-2F-96-1E</c>.</returns>
    public override string ToString() => string.Create(TextLength, _value, static (span, value) => Write(span, value));

    /// <summary>Writes the identifier into <paramref name="destination"/>, upper case, octets joined by '-'.</summary>
    /// <param name="destination">At least <see cref="TextLength"/> characters.</param>
    /// <param name="charsWritten">The number of characters written.</param>
    /// <returns><see langword="false"/> when the destination is too short.</returns>
    public bool TryFormat(Span<char> destination, out int charsWritten) => TryWrite(destination, _value, out charsWritten);

    /// <summary>Writes the identifier as UTF-8 into <paramref name="destination"/>, upper case, octets joined by '-': what a CSV writer wants.</summary>
    /// <param name="destination">At least <see cref="TextLength"/> bytes.</param>
    /// <param name="bytesWritten">The number of bytes written.</param>
    /// <returns><see langword="false"/> when the destination is too short.</returns>
    public bool TryFormat(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < TextLength)
        {
            bytesWritten = 0;
            return false;
        }

        if (Ssse3.IsSupported)
        {
            // The tool writes an id on every row of its output: its 16 digits looked up at once, then
            // spread with their separators into two overlapping stores (bytes 0-15 and 7-22).
            var octets = Vector128.CreateScalar(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(_value)).AsByte();
            var nibbles = Sse2.UnpackLow(Vector128.ShiftRightLogical(octets, 4) & Vector128.Create((byte)15), octets & Vector128.Create((byte)15));
            var digits = Ssse3.Shuffle(HexDigitsUpper, nibbles);
            ref var to = ref MemoryMarshal.GetReference(destination);
            (Ssse3.Shuffle(digits, FirstWritten) | FirstWrittenSeparators).StoreUnsafe(ref to);
            (Ssse3.Shuffle(digits, LastWritten) | LastWrittenSeparators).StoreUnsafe(ref to, TextLength - 16);
            bytesWritten = TextLength;
            return true;
        }

        // An octet's two digits in one store.
        for (var octet = 0; octet < 8; octet++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(destination[(octet * 3)..], HexPairs[(int)(_value >> (56 - (8 * octet))) & 0xFF]);
            if (octet < 7)
            {
                destination[(octet * 3) + 2] = (byte)'-';
            }
        }

        bytesWritten = TextLength;
        return true;
    }

    private static bool TryWrite<T>(Span<T> destination, ulong value, out int written)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        if (destination.Length < TextLength)
        {
            written = 0;
            return false;
        }

        Write(destination, value);
        written = TextLength;
        return true;
    }

    /// <summary>The one EUI-64 writer, for characters and for UTF-8 bytes alike.</summary>
    private static void Write<T>(Span<T> span, ulong value)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        ReadOnlySpan<byte> hex = "0123456789ABCDEF"u8;
        for (var octet = 0; octet < 8; octet++)
        {
            var b = (int)(value >> (56 - (8 * octet))) & 0xFF;
            var at = octet * 3;
            span[at] = T.CreateTruncating(hex[b >> 4]);
            span[at + 1] = T.CreateTruncating(hex[b & 0xF]);
            if (octet < 7)
            {
                span[at + 2] = T.CreateTruncating((byte)'-');
            }
        }
    }

    /// <inheritdoc />
    public bool Equals(DeviceId other) => _value == other._value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DeviceId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(DeviceId other) => _value.CompareTo(other._value);

    /// <summary>Whether two identifiers are equal.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when they are the same EUI-64.</returns>
    public static bool operator ==(DeviceId left, DeviceId right) => left.Equals(right);

    /// <summary>Whether two identifiers differ.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when they are different EUI-64s.</returns>
    public static bool operator !=(DeviceId left, DeviceId right) => !left.Equals(right);

    /// <summary>Orders identifiers by their numeric value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(DeviceId left, DeviceId right) => left._value < right._value;

    /// <summary>Orders identifiers by their numeric value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(DeviceId left, DeviceId right) => left._value > right._value;

    /// <summary>Orders identifiers by their numeric value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts first or they are equal.</returns>
    public static bool operator <=(DeviceId left, DeviceId right) => left._value <= right._value;

    /// <summary>Orders identifiers by their numeric value.</summary>
    /// <param name="left">The first identifier.</param>
    /// <param name="right">The second identifier.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> sorts last or they are equal.</returns>
    public static bool operator >=(DeviceId left, DeviceId right) => left._value >= right._value;

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => ToString();

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(destination, out charsWritten);

    bool IUtf8SpanFormattable.TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        TryFormat(utf8Destination, out bytesWritten);

    static DeviceId IParsable<DeviceId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<DeviceId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DeviceId result) =>
        TryParse(s.AsSpan(), out result);

    static DeviceId ISpanParsable<DeviceId>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s);

    static bool ISpanParsable<DeviceId>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out DeviceId result) =>
        TryParse(s, out result);
}
