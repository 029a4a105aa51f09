using System.Text;

namespace Smi.Retention;

/// <summary>
/// The identifiers a text may name, however they are spelt: the hex digits read in order whatever
/// lies between them (separators of any kind, quotes, invisible or replaced characters; a fullwidth
/// digit is its digit), every run of 16 an identifier. Read a part at a time, so a line too long to
/// hold is scanned as it is skipped. The text is a device_id value (<see cref="All"/>: every
/// identifier in it) or a whole line whose values cannot be told apart (<see cref="Nearest"/>: those
/// in the value nearest the device_id column, commas counted as if nothing were quoted; when no
/// value holds one, those its digits make across values, as an identifier cut by a comma). At most
/// <see cref="MaxFound"/> of each are kept, so a line of hex digits costs what its bytes cost.
/// </summary>
/// <remarks>
/// A rejected row that names a device is a listing of it: reading too much holds back a device no
/// row names (an identifier no device has costs nothing), reading too little lets a device's other
/// row be decided.
/// </remarks>
internal sealed class DeviceIdScan
{
    /// <summary>The most identifiers kept of one kind: a row's device_id names one; past this many, a line is hex noise.</summary>
    public const int MaxFound = 1024;

    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly char[] _chars = new char[4096];
    private readonly List<(DeviceId Id, int Value)> _inValues = [];
    private readonly List<DeviceId> _across = [];
    private readonly HashSet<(DeviceId, int)> _seenInValues = [];
    private readonly HashSet<DeviceId> _seenAcross = [];
    private ulong _value;
    private int _digits;
    private ulong _joined;
    private int _joinedDigits;
    private int _index;

    /// <summary>Every identifier found, each once, in the order found, commas and all (for a device_id value).</summary>
    public DeviceId[] All => [.. _across];

    /// <summary>
    /// For a whole line: the identifiers of the value nearest <paramref name="column"/> that holds
    /// any (both, when two are as near); when none does, those read across values.
    /// </summary>
    public DeviceId[] Nearest(int column)
    {
        if (_inValues.Count == 0)
        {
            return All;
        }

        var distance = _inValues.Min(f => Math.Abs(f.Value - column));
        return [.. _inValues.Where(f => Math.Abs(f.Value - column) == distance).Select(f => f.Id).Distinct()];
    }

    /// <summary>Reads on through <paramref name="text"/>.</summary>
    public void Add(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c == ',')
            {
                _digits = 0; // a value ends: its own identifiers end with it
                _index++;
                continue;
            }

            var digit = DeviceId.HexValue(c);
            if (digit < 0)
            {
                continue;
            }

            _value = (_value << 4) | (uint)digit;
            _joined = (_joined << 4) | (uint)digit;
            if (++_digits >= 16 && _seenInValues.Count < MaxFound && _seenInValues.Add((new DeviceId(_value), _index)))
            {
                _inValues.Add((new DeviceId(_value), _index));
            }

            if (++_joinedDigits >= 16 && _seenAcross.Count < MaxFound && _seenAcross.Add(new DeviceId(_joined)))
            {
                _across.Add(new DeviceId(_joined));
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
