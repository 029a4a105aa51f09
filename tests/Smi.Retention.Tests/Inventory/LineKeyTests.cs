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

    [Property(Arbitrary = [typeof(LineKeyTests)], MaxTest = 2000, QuietOnSuccess = true)]
    public void IsPlain_ExactlyWhenNoByteButTheDatesIsZero((byte[] Bytes, int DateAt, int Change, byte To) run)
    {
        var (bytes, dateAt, change, _) = run;
        Assert.True(Key(bytes, dateAt, trailing: 0).IsPlain());
        var zeroed = bytes.ToArray();
        zeroed[change] = 0;
        Assert.Equal(change >= dateAt && change < dateAt + 10, Key(zeroed, dateAt, trailing: 0x41).IsPlain());
    }

    // Two rows whose dates stand in different places, each with 0 bytes where the other's date is,
    // have equal keys: the table keeps neither, so a row met by its key alone is never the other.
    [Fact]
    public void Keep_RowsWithZerosWhereAnotherRowsDateIs_NeverKept()
    {
        var first = "ESME,Pending,2020-01-01,\0\0\0\0\0\0\0\0\0\0,P"u8.ToArray();
        var second = "ESME,Pending,\0\0\0\0\0\0\0\0\0\0,2020-01-01,P"u8.ToArray();
        var (firstKey, secondKey) = (Key(first, 13, 0x41), Key(second, 24, 0x41));
        Assert.True(firstKey.SameAs(secondKey));

        var table = new DetailsTable();
        var hash = table.Hash(firstKey);
        table.Keep(firstKey, hash, new RowFacts(DeviceType.ESME, SmiStatus.Pending, 0, SmetsGeneration.SMETS2, null));
        Assert.False(table.TryFacts(secondKey, table.Hash(secondKey), table.Peek(table.Hash(secondKey)), out _));

        var plain = "ESME,Pending,2020-01-01,Commissioned,P"u8.ToArray();
        var plainKey = Key(plain, 13, 0x41);
        table.Keep(plainKey, table.Hash(plainKey), new RowFacts(DeviceType.ESME, SmiStatus.Pending, 0, SmetsGeneration.SMETS2, null));
        var again = Key("ESME,Pending,2021-12-31,Commissioned,P"u8.ToArray(), 13, 0x41);
        Assert.True(table.TryFacts(again, table.Hash(again), table.Peek(table.Hash(again)), out var facts));
        Assert.Equal(DeviceType.ESME, facts.Type);
    }

    /// <summary>The key of <paramref name="bytes"/>, read from a buffer that goes on past them with <paramref name="trailing"/>.</summary>
    private static LineKey Key(byte[] bytes, int dateAt, byte trailing)
    {
        var buffer = Enumerable.Repeat(trailing, bytes.Length + LineKey.MaxLength).ToArray();
        bytes.CopyTo(buffer, 0);
        return LineKey.Of(buffer, bytes.Length, dateAt);
    }
}
