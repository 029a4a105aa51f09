using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Inventory;

/// <summary>
/// The fast path's key of a row's facts (<see cref="LineKey"/>): the bytes after its first comma
/// but for the date's ten. Two keys are the same exactly when those bytes are, whatever the date,
/// whatever lies past the line's end; and the same keys hash alike.
/// </summary>
public sealed class LineKeyTests
{
    /// <summary>A run of printable ASCII bytes (what a plain row holds) with a date's place in it, and a byte to change.</summary>
    public static Arbitrary<(byte[] Bytes, int DateAt, int Change, byte To)> Runs() => Arb.From(
        from length in Gen.Choose(10, LineKey.MaxLength)
        from bytes in Gen.ArrayOf(Gen.Elements("AaZz09,;- EP".Select(c => (byte)c).ToArray()), length)
        from dateAt in Gen.Choose(0, length - 10)
        from change in Gen.Choose(0, length - 1)
        from to in Gen.Choose(' ', '~')
        select (bytes, dateAt, change, (byte)to));

    [Property(Arbitrary = [typeof(LineKeyTests)], MaxTest = 5000, QuietOnSuccess = true)]
    public void TwoRuns_SameKeyExactlyWhenTheirBytesButTheDatesAreTheSame((byte[] Bytes, int DateAt, int Change, byte To) run)
    {
        var (bytes, dateAt, change, to) = run;
        var other = bytes.ToArray();
        other[change] = to;
        var key = Key(bytes, dateAt, trailing: 0x41);
        var otherKey = Key(other, dateAt, trailing: 0x7E); // other bytes past the end
        var inDate = change >= dateAt && change < dateAt + 10;
        Assert.Equal(inDate || bytes[change] == to, key.SameAs(otherKey));
        if (key.SameAs(otherKey))
        {
            var keys = new LineHashKeys(new Random(change));
            Assert.Equal(key.Hash(keys), otherKey.Hash(keys));
        }

        // One byte shorter or longer, or the date a byte earlier or later: never the same.
        if (bytes.Length > 10 && dateAt + 10 < bytes.Length)
        {
            Assert.False(key.SameAs(Key(bytes[..^1], dateAt, 0x41)));
            Assert.False(key.SameAs(Key(bytes, dateAt + 1, 0x41)));
        }

        if (bytes.Length < LineKey.MaxLength)
        {
            Assert.False(key.SameAs(Key([.. bytes, (byte)','], dateAt, 0x41)));
        }

        if (dateAt > 0)
        {
            Assert.False(key.SameAs(Key(bytes, dateAt - 1, 0x41)));
        }
    }

    /// <summary>The key of <paramref name="bytes"/>, read from a buffer that goes on past them with <paramref name="trailing"/>.</summary>
    private static LineKey Key(byte[] bytes, int dateAt, byte trailing)
    {
        var buffer = Enumerable.Repeat(trailing, bytes.Length + LineKey.MaxLength).ToArray();
        bytes.CopyTo(buffer, 0);
        return LineKey.Of(buffer, bytes.Length, dateAt);
    }
}
