using System.Numerics;
using System.Runtime.Intrinsics;

namespace Smi.Retention.Inventory;

/// <summary>
/// A row's facts in the common layout (device_id first, every other column a fact or the status
/// date): the bytes after its first comma, at most <see cref="MaxLength"/>, with the date's ten
/// bytes and every byte past the line's end zeroed, in three vectors read where the row lies. A
/// plain row has no zero byte, so two rows' keys are equal exactly when their bytes are equal
/// but for their dates, which stand at the same place: their facts are the same. Made and compared
/// in a few vector instructions, where a key copied column by column and hashed byte by byte cost a
/// third of a pass (benchmarks/results/SUMMARY.md).
/// </summary>
internal readonly struct LineKey
{
    /// <summary>The longest run of bytes after the first comma a key holds.</summary>
    public const int MaxLength = 96;

    /// <summary>The length of a plain row's status date (yyyy-MM-dd).</summary>
    private const int DateLength = LondonDates.IsoDateLength;

    // Byte g of a key is kept where Prefix[MaxLength - length + g] is set (g < length), and where
    // Hole[MaxLength - dateAt + g] is (g outside the date's ten bytes).
    private static readonly byte[] Prefix = [.. Enumerable.Repeat((byte)0xFF, MaxLength), .. new byte[MaxLength]];
    private static readonly byte[] Hole = [.. Enumerable.Repeat((byte)0xFF, MaxLength), .. new byte[DateLength], .. Enumerable.Repeat((byte)0xFF, MaxLength)];

    private readonly Vector256<byte> _a;
    private readonly Vector256<byte> _b;
    private readonly Vector256<byte> _c;

    private LineKey(Vector256<byte> a, Vector256<byte> b, Vector256<byte> c, int length)
    {
        _a = a;
        _b = b;
        _c = c;
        Length = length;
    }

    /// <summary>How many bytes of the row the key holds (the date's among them).</summary>
    public int Length { get; }

    /// <summary>Whether keys can be made on this processor (else the facts are looked up by a key built column by column).</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;

    /// <summary>
    /// The key of the <paramref name="length"/> bytes at the start of <paramref name="from"/>, the
    /// ten from <paramref name="dateAt"/> left out. <paramref name="from"/> must hold at least
    /// <see cref="MaxLength"/> bytes; those past <paramref name="length"/> are not read into the key.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static LineKey Of(ReadOnlySpan<byte> from, int length, int dateAt)
    {
        var prefix = Prefix.AsSpan(MaxLength - length);
        var hole = Hole.AsSpan(MaxLength - dateAt);
        return new LineKey(
            Vector256.Create(from) & Vector256.Create(prefix) & Vector256.Create(hole),
            Vector256.Create(from[32..]) & Vector256.Create(prefix[32..]) & Vector256.Create(hole[32..]),
            Vector256.Create(from[64..]) & Vector256.Create(prefix[64..]) & Vector256.Create(hole[64..]),
            length);
    }

    /// <summary>
    /// Whether the row's bytes but its date's hold no 0 byte, as every plain row's do: the only
    /// keys a table may keep. A lookup finds a row's facts with its other bytes unread
    /// (<c>RowParser.TryMet</c>), and a row whose date stood elsewhere than a kept row's can equal it
    /// only where that row had 0 bytes; so the table checks this itself rather than trust its callers.
    /// </summary>
    public bool IsPlain()
    {
        var zeros = BitOperations.PopCount(Vector256.Equals(_a, Vector256<byte>.Zero).ExtractMostSignificantBits())
            + BitOperations.PopCount(Vector256.Equals(_b, Vector256<byte>.Zero).ExtractMostSignificantBits())
            + BitOperations.PopCount(Vector256.Equals(_c, Vector256<byte>.Zero).ExtractMostSignificantBits());
        return zeros == MaxLength - Length + DateLength; // those past the line's end and the date's
    }

    /// <summary>Whether two keys hold the same bytes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool SameAs(in LineKey other) =>
        ((_a ^ other._a) | (_b ^ other._b) | (_c ^ other._c)) == Vector256<byte>.Zero && Length == other.Length;

    /// <summary>
    /// The key's hash under <paramref name="keys"/> (drawn for each table, so that no file can be
    /// written to crowd one slot): the three vectors folded, each with a key of its own, then two
    /// 128-bit products of its words.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong Hash(in LineHashKeys keys)
    {
        var folded = (_a.AsUInt64() + keys.A) ^ (_b.AsUInt64() + keys.B) ^ (_c.AsUInt64() + keys.C);
        return Mix(folded.GetElement(0) ^ keys.Words.GetElement(0), folded.GetElement(1) ^ keys.Words.GetElement(1))
            ^ Mix(folded.GetElement(2) ^ keys.Words.GetElement(2), folded.GetElement(3) ^ keys.Words.GetElement(3) ^ (ulong)Length);

        static ulong Mix(ulong x, ulong y)
        {
            var high = Math.BigMul(x, y, out var low);
            return high ^ low;
        }
    }
}

/// <summary>The keys of a table's <see cref="LineKey.Hash"/>, drawn at random.</summary>
internal readonly struct LineHashKeys
{
    /// <summary>Draws the keys.</summary>
    public LineHashKeys(Random random)
    {
        A = Draw(random);
        B = Draw(random);
        C = Draw(random);
        Words = Draw(random);
    }

    /// <summary>The first vector's key.</summary>
    public Vector256<ulong> A { get; }

    /// <summary>The second vector's key.</summary>
    public Vector256<ulong> B { get; }

    /// <summary>The third vector's key.</summary>
    public Vector256<ulong> C { get; }

    /// <summary>The folded words' keys.</summary>
    public Vector256<ulong> Words { get; }

    private static Vector256<ulong> Draw(Random random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return Vector256.Create<byte>(bytes).AsUInt64();
    }
}
