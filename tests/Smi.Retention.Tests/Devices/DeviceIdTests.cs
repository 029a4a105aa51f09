using FsCheck.Xunit;

namespace Smi.Retention.Tests.Devices;

public class DeviceIdTests
{
    private static DeviceId[] FindAll(string text)
    {
        var scan = new DeviceIdScan();
        scan.Add(text);
        return scan.All;
    }

    [Theory]
    [InlineData("88-73-84-57-00-2F-96-1E")]
    [InlineData("88-73-84-57-00-2f-96-1e")]
    [InlineData(" 88-73-84-57-00-2F-96-1E")]
    public void Parse_AnyCase_WritesUpperCase(string text)
    {
        if (text.StartsWith(' '))
        {
            Assert.False(DeviceId.TryParse(text, out _));
            return;
        }

        var id = DeviceId.Parse(text);
        Assert.Equal("88-73-84-57-00-2F-96-1E", id.ToString());
        Assert.Equal(0x88738457002F961EUL, id.Value);
    }

    [Property(MaxTest = 1000)]
    public bool ToString_ThenParse_RoundTrips(ulong value)
    {
        var id = new DeviceId(value);
        return DeviceId.Parse(id.ToString()) == id && DeviceId.Parse(id.ToString().ToLowerInvariant()) == id;
    }

    // The devices a spoilt device_id (or a line that cannot be split) still names: the identifier in
    // any spelling (any separator or none, any case, fullwidth digits, invisible characters between
    // its digits), whatever surrounds it that holds no hex digit or comma, beside another identifier
    // too; and none in text without 16 hex digits.
    [Property(MaxTest = 2000)]
    public bool FindAll_IdentifierAmidJunk_FoundWhateverItsSpelling(ulong value, ulong other, string prefix, string suffix, byte spelling)
    {
        static string Junk(string? s) => new((s ?? "").Where(c => !char.IsAsciiHexDigit(c) && c != ',' && !(c is >= '\uFF10' and <= '\uFF46')).ToArray());
        var id = new DeviceId(value);
        var text = id.ToString();
        var written = (spelling % 8) switch
        {
            0 => text,
            1 => text.Replace('-', ':'),
            2 => text.Replace("-", "", StringComparison.Ordinal),
            3 => text.ToLowerInvariant().Replace('-', '.'),
            4 => text.Replace('-', ' '),
            5 => text.Replace('-', '\u2010').Replace("0", "\uFF10", StringComparison.Ordinal).Replace("A", "\uFF21", StringComparison.Ordinal),
            6 => text.Replace("-", "\u200B\"-", StringComparison.Ordinal),
            _ => text + " " + new DeviceId(other),
        };

        var found = FindAll(Junk(prefix) + written + Junk(suffix));
        return found.Contains(id) && (spelling % 8 != 7 || found.Contains(new DeviceId(other)))
            && FindAll(Junk(prefix) + Junk(suffix)).Length == 0
            && FindAll(text[..12] + "," + text[12..]).Contains(id); // a comma inside a (quoted) value is one more separator
    }

    // A line of hex digits names at most MaxFound identifiers, however long; a part at a time, split
    // anywhere (inside a UTF-8 sequence too), it names what it names whole, across commas too.
    [Fact]
    public void Scan_HexNoiseBounded_AndPartsAsTheWhole()
    {
        var noise = new DeviceIdScan();
        noise.AddUtf8(System.Text.Encoding.ASCII.GetBytes(new string('A', 1 << 20) + string.Concat(Enumerable.Range(0, 1 << 16).Select(i => i.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)))));
        Assert.Equal(DeviceIdScan.MaxFound, noise.All.Length);
        Assert.True(noise.TooMany);

        var text = "x\uFF11\uFF11-11-11-11-11-11-11-11 , 22:22:22:22:22:22:22:22\u200B";
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var parts = new DeviceIdScan();
            Assert.False(parts.TooMany);
            parts.AddUtf8(bytes.AsSpan(0, cut));
            parts.AddUtf8(bytes.AsSpan(cut));
            Assert.Equal(FindAll(text), parts.All);
        }

        Assert.Equal([DeviceId.Parse("11-11-11-11-11-11-11-11"), DeviceId.Parse("22-22-22-22-22-22-22-22")], FindAll(text).Intersect([DeviceId.Parse("11-11-11-11-11-11-11-11"), DeviceId.Parse("22-22-22-22-22-22-22-22")]));

        var split = new DeviceIdScan();
        split.Add("AA-00-00-00,00-00-00-02,ESME,Aldor E2,300,AA-00-00-00-00-00-00-01");
        Assert.Contains(DeviceId.Parse("AA-00-00-00-00-00-00-02"), split.All); // cut by a comma
        Assert.Contains(DeviceId.Parse("AA-00-00-00-00-00-00-01"), split.All); // and every other
    }

    // Written as UTF-8 (every row of the tool's output) as the BCL writes the number in hex, with a
    // separator after every pair; never past the 23 bytes, whatever the destination holds after them.
    [Property(MaxTest = 5000)]
    public void FormatUtf8_AnyValue_AsTheReferenceWritesIt(ulong value)
    {
        var expected = string.Join("-", value.ToString("X16", System.Globalization.CultureInfo.InvariantCulture).Chunk(2).Select(pair => new string(pair)));
        var destination = Enumerable.Repeat((byte)'#', 40).ToArray();
        Assert.True(new DeviceId(value).TryFormat(destination.AsSpan(3), out var written));
        Assert.Equal(DeviceId.TextLength, written);
        Assert.Equal("###" + expected + new string('#', 40 - 3 - DeviceId.TextLength), System.Text.Encoding.ASCII.GetString(destination));
        Assert.False(new DeviceId(value).TryFormat(new byte[DeviceId.TextLength - 1], out _));
    }

    // An identifier is read from its bytes by a vector parser, with the scalar one behind it for
    // the message: both held to a reference that shares no code with them, over texts a byte or two
    // from valid ones (every byte value, at every one of the 23 places).
    [Fact]
    public void Parse_TextsNearValidOnes_AsTheReferenceReadsThem()
    {
        var random = new Random(17);
        for (var i = 0; i < 200_000; i++)
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(new DeviceId(((ulong)random.NextInt64() << 1) ^ (ulong)random.Next()).ToString());
            if (random.Next(4) == 0)
            {
                bytes = System.Text.Encoding.ASCII.GetBytes(System.Text.Encoding.ASCII.GetString(bytes).ToLowerInvariant());
            }

            for (var changes = random.Next(3); changes > 0; changes--)
            {
                bytes[random.Next(bytes.Length)] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)"0123456789abcdefABCDEFgG-:_ /@`"[random.Next(31)];
            }

            var expected = Reference(bytes);
            if (System.Runtime.Intrinsics.X86.Ssse3.IsSupported)
            {
                // The vector parser alone: it takes every valid identifier itself, not only through the scalar one behind it.
                Assert.Equal(expected is not null, DeviceId.TryParseVector(bytes, out var vector));
                Assert.Equal(expected ?? default, vector);
            }

            Assert.Equal(expected is not null, DeviceId.TryParseUtf8(bytes, out var fromBytes));
            Assert.Equal(expected ?? default, fromBytes.Value);
            var text = string.Concat(bytes.Select(b => (char)b));
            Assert.Equal(expected is not null, DeviceId.TryParse(text, out var fromText, out var error));
            Assert.Equal(expected ?? default, fromText.Value);
            Assert.Equal(expected is null, error is not null);
        }
    }

    /// <summary>8 pairs of hex digits joined by '-', by a regular expression and the BCL's hex reader; null for anything else.</summary>
    private static ulong? Reference(byte[] bytes)
    {
        var text = string.Concat(bytes.Select(b => (char)b));
        return System.Text.RegularExpressions.Regex.IsMatch(text, "^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){7}\\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(Convert.FromHexString(text.Replace("-", "", StringComparison.Ordinal)))
            : null;
    }

    [Theory]
    [InlineData("88-73-84-57-00-2F-96", "Device ID '88-73-84-57-00-2F-96' has 20 characters; an EUI-64 has 23: 8 pairs of hex digits joined by '-', like 88-73-84-57-00-2F-96-1E.")]
    [InlineData("8873845700 2F961E", "Device ID '8873845700 2F961E' has 17 characters; an EUI-64 has 23: 8 pairs of hex digits joined by '-', like 88-73-84-57-00-2F-96-1E.")]
    [InlineData("", "Device ID '' has 0 characters; an EUI-64 has 23: 8 pairs of hex digits joined by '-', like 88-73-84-57-00-2F-96-1E.")]
    [InlineData("88-73-84-57-00-2G-96-1E", "Device ID '88-73-84-57-00-2G-96-1E' has 'G' at position 17, which is not a hex digit (0-9, A-F); write 8 pairs of hex digits joined by '-', like 88-73-84-57-00-2F-96-1E.")]
    [InlineData("88:73:84:57:00:2F:96:1E", "Device ID '88:73:84:57:00:2F:96:1E' has ':' at position 3 where the separator '-' belongs; write 8 pairs of hex digits joined by '-', like 88-73-84-57-00-2F-96-1E.")]
    [InlineData("88-73-84-57-00-2F-961-E", "Device ID '88-73-84-57-00-2F-961-E' has '1' at position 21 where the separator '-' belongs; write 8 pairs of hex digits joined by '-', like 88-73-84-57-00-2F-96-1E.")]
    public void Parse_Malformed_RejectedSayingWhere(string text, string message)
    {
        Assert.False(DeviceId.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => DeviceId.Parse(text)).Message);
    }

    [Fact]
    public void TryFormat_ShortBuffer_ReturnsFalse()
    {
        var id = DeviceId.Parse("00-00-00-00-00-00-00-01");
        Assert.False(id.TryFormat(new char[22], out var written));
        Assert.Equal(0, written);
        var buffer = new char[23];
        Assert.True(id.TryFormat(buffer, out written));
        Assert.Equal("00-00-00-00-00-00-00-01", new string(buffer, 0, written));
    }

    [Fact]
    public void Compare_ByNumericValue() =>
        Assert.True(DeviceId.Parse("00-00-00-00-00-00-00-02") > DeviceId.Parse("00-00-00-00-00-00-00-01"));

    [Fact]
    public void TryFormat_Utf8_TheSameTextAsToString()
    {
        var id = DeviceId.Parse("88-73-84-57-00-2f-96-1e");
        var bytes = new byte[DeviceId.TextLength];
        Assert.True(id.TryFormat(bytes, out var written));
        Assert.Equal(DeviceId.TextLength, written);
        Assert.Equal("88-73-84-57-00-2F-96-1E", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.False(id.TryFormat(new byte[DeviceId.TextLength - 1], out written));
        Assert.Equal(0, written);
        Assert.Equal("88-73-84-57-00-2F-96-1E", $"{id}");
        var buffer = new byte[64];
        Assert.True(System.Text.Unicode.Utf8.TryWrite(buffer, $"{id}", out var length)); // through IUtf8SpanFormattable
        Assert.Equal("88-73-84-57-00-2F-96-1E", System.Text.Encoding.UTF8.GetString(buffer, 0, length));
    }

    [Fact]
    public void TryFormat_Utf8_EveryOctetValueInEveryPlace_AsToStringWritesIt()
    {
        var bytes = new byte[DeviceId.TextLength];
        for (var value = 0; value < 256; value++)
        {
            for (var place = 0; place < 8; place++)
            {
                var id = new DeviceId(((ulong)value << (8 * place)) | (0x0123456789ABCDEFUL & ~(0xFFUL << (8 * place))));
                Assert.True(id.TryFormat(bytes, out _));
                Assert.Equal(id.ToString(), System.Text.Encoding.ASCII.GetString(bytes));
            }
        }
    }
}
