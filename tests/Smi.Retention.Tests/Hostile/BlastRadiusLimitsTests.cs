using System.Globalization;

namespace Smi.Retention.Tests.Hostile;

/// <summary>The one guard the host and the tool share: given limits replace the default, one denominator, exact arithmetic.</summary>
[Trait("Category", "Hostile")]
public class BlastRadiusLimitsTests
{
    [Theory]
    [InlineData(null, null, 1, 20, null)]
    [InlineData(null, null, 2, 20, BlastRadiusLimit.Fraction)]
    [InlineData(12L, null, 12, 20, null)] // a count alone replaces the default 5%
    [InlineData(11L, null, 12, 20, BlastRadiusLimit.Count)]
    [InlineData(12L, "0.5", 12, 20, BlastRadiusLimit.Fraction)]
    [InlineData(100L, "0.07", 7, 100, null)] // 0.07 * 100 is 7.000000000000001 in binary floating point
    [InlineData(100L, "0.07", 8, 100, BlastRadiusLimit.Fraction)]
    [InlineData(null, "0.1", 3, 30, null)] // 0.1 * 30 is 3.0000000000000004
    [InlineData(null, "0.29", 29, 100, null)] // 0.29 * 100 is 28.999999999999996
    [InlineData(null, "0.0243999999", 244, 10_000, BlastRadiusLimit.Fraction)] // a double rounded to 15 digits would let it through
    [InlineData(null, "0.0244", 244, 10_000, null)]
    [InlineData(null, "0.3333333333", 1, 3, BlastRadiusLimit.Fraction)]
    [InlineData(null, "0.3333333334", 1, 3, null)]
    [InlineData(null, "0", 0, 0, null)]
    [InlineData(null, "0", 1, 1, BlastRadiusLimit.Fraction)]
    [InlineData(0L, null, 0, 5, null)]
    [InlineData(0L, null, 1, 5, BlastRadiusLimit.Count)]
    [InlineData(null, "1", 10_000_000_000L, 10_000_000_000L, null)]
    public void Exceeded_ExactlyAsDocumented(long? maxRemovals, string? fraction, long removals, long decided, BlastRadiusLimit? expected) =>
        Assert.Equal(expected, new BlastRadiusLimits(maxRemovals, fraction is null ? null : decimal.Parse(fraction, CultureInfo.InvariantCulture)).Exceeded(removals, decided));

    [Fact]
    public void FractionInForce_DefaultOnlyWhenNothingIsGiven()
    {
        Assert.Equal(0.05m, new BlastRadiusLimits().FractionInForce);
        Assert.True(new BlastRadiusLimits().IsDefault);
        Assert.Null(new BlastRadiusLimits(MaxRemovals: 10).FractionInForce);
        Assert.Equal(0.2m, new BlastRadiusLimits(10, 0.2m).FractionInForce);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("0.00000000001")] // 11 decimal places: the product would no longer be exact
    public void Exceeded_FractionThatCannotBeALimit_Refused(string fraction) =>
        Assert.Throws<InvalidOperationException>(() => new BlastRadiusLimits(null, decimal.Parse(fraction, CultureInfo.InvariantCulture)).Exceeded(0, 10));

    [Fact]
    public void Exceeded_MoreRemovalsThanDevices_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlastRadiusLimits().Exceeded(3, 2));
}
