using System.Text;

namespace Smi.Retention;

/// <summary>
/// The identifiers a text may name, however they are spelt: its hex digits read in order whatever
/// lies between them (separators of any kind, commas and quotes too, invisible or replaced
/// characters; a fullwidth digit is its digit), every run of 16 an identifier. Read a part at a
/// time, so a line too long to hold is scanned as it is skipped. More than <see cref="MaxFound"/>
/// distinct identifiers are not kept (<see cref="TooMany"/>): a text of hex noise cannot be told to
/// name this device or that, and its reader refuses it rather than name some and not others.
/// </summary>
/// <remarks>
/// A rejected row that names a device is a listing of it: reading too much holds back a device no
/// row names (an identifier no device has costs nothing), reading too little lets a device's other
/// row be decided, which is the failure that matters.
/// </remarks>
internal sealed class DeviceIdScan
{
    /// <summary>The most identifiers one text names: a row names one; past this many, a line is hex noise.</summary>
    public const int MaxFound = 1024;

    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly char[] _chars = new char[4096];
    private readonly List<DeviceId> _found = [];
    private readonly HashSet<DeviceId> _seen = [];
    private ulong _value;
    private int _digits;

    /// <summary>Every identifier found, each once, in the order found.</summary>
    public DeviceId[] All => [.. _found];

    /// <summary>Whether more than <see cref="MaxFound"/> distinct identifiers were met (those past it are not kept).</summary>
    public bool TooMany { get; private set; }

    /// <summary>Reads on through <paramref name="text"/>.</summary>
    public void Add(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            var digit = DeviceId.HexValue(c);
            if (digit < 0)
            {
                continue;
            }

            _value = (_value << 4) | (uint)digit;
            if (++_digits >= 16 && !TooMany && _seen.Add(new DeviceId(_value)))
            {
                if (_found.Count == MaxFound)
                {
                    TooMany = true;
                    continue;
                }

                _found.Add(new DeviceId(_value));
            }
        }
    }

    /// <summary>Reads on through UTF-8 bytes (a sequence may be split between calls; bytes that are not UTF-8 are replaced).</summary>
    public void AddUtf8(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            _utf8.Convert(bytes, _chars, flush: false, out var used, out var written, out _);
            Add(_chars.AsSpan(0, written));
            bytes = bytes[used..];
        }
    }
}
