namespace Smi.Retention.Tests.Hostile;

/// <summary>The one guard the host and the tool share: given limits replace the default, one denominator, exact arithmetic.</summary>
public class BlastRadiusLimitsTests
{
    [Theory]
    [InlineData(null, null, 1, 20, null)]
    [InlineData(null, null, 2, 20, BlastRadiusLimit.Fraction)]
    [InlineData(12L, null, 12, 20, null)] // a count alone replaces the default 5%
    [InlineData(11L, null, 12, 20, BlastRadiusLimit.Count)]
    [InlineData(12L, 0.5, 12, 20, BlastRadiusLimit.Fraction)]
    [InlineData(100L, 0.07, 7, 100, null)] // 0.07 * 100 is 7.000000000000001 in binary floating point
    [InlineData(100L, 0.07, 8, 100, BlastRadiusLimit.Fraction)]
    [InlineData(null, 0.1, 3, 30, null)] // 0.1 * 30 is 3.0000000000000004
    [InlineData(null, 0.29, 29, 100, null)] // 0.29 * 100 is 28.999999999999996
    [InlineData(null, 0.0, 0, 0, null)]
    [InlineData(null, 0.0, 1, 1, BlastRadiusLimit.Fraction)]
    [InlineData(0L, null, 0, 5, null)]
    [InlineData(0L, null, 1, 5, BlastRadiusLimit.Count)]
    public void Exceeded_ExactlyAsDocumented(long? maxRemovals, double? fraction, long removals, long decided, BlastRadiusLimit? expected) =>
        Assert.Equal(expected, new BlastRadiusLimits(maxRemovals, fraction).Exceeded(removals, decided));

    [Fact]
    public void FractionInForce_DefaultOnlyWhenNothingIsGiven()
    {
        Assert.Equal(0.05, new BlastRadiusLimits().FractionInForce);
        Assert.True(new BlastRadiusLimits().IsDefault);
        Assert.Null(new BlastRadiusLimits(MaxRemovals: 10).FractionInForce);
        Assert.Equal(0.2, new BlastRadiusLimits(10, 0.2).FractionInForce);
    }

    [Fact]
    public void Exceeded_MoreRemovalsThanDevices_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlastRadiusLimits().Exceeded(3, 2));
}
