using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Calendar;

public class RetentionPeriodTests
{
    private const string Hint = "Write whole calendar months or years, from P1M to P100Y, e.g. P12M, P36M, P3Y or P1Y6M.";

    [Theory]
    [InlineData("P36M", 36)]
    [InlineData("P3Y", 36)]
    [InlineData("P1Y6M", 18)]
    [InlineData("P12M", 12)]
    [InlineData("p36m", 36)]
    [InlineData("P0Y1M", 1)]
    [InlineData("P100Y", 1200)]
    public void Parse_WholeMonthsAndYears_NormalisedToMonths(string text, int months)
    {
        var period = RetentionPeriod.Parse(text);
        Assert.Equal(months, period.Months);
        Assert.Equal($"P{months}M", period.ToString());
    }

    [Theory]
    [InlineData("P10D", "'P10D' has weeks, days or a time part; a retention period counts calendar months only (12 months is not 365 days). " + Hint)]
    [InlineData("P2W", "'P2W' has weeks, days or a time part; a retention period counts calendar months only (12 months is not 365 days). " + Hint)]
    [InlineData("P1MT1H", "'P1MT1H' has weeks, days or a time part; a retention period counts calendar months only (12 months is not 365 days). " + Hint)]
    [InlineData("PT36M", "'PT36M' has weeks, days or a time part; a retention period counts calendar months only (12 months is not 365 days). " + Hint)]
    [InlineData("P1.5Y", "'P1.5Y' has a fraction; a retention period is whole months or years. " + Hint)]
    [InlineData("P0M", "'P0M' is not a positive period; a retention period is at least one month. " + Hint)]
    [InlineData("P-1M", "'P-1M' is not a positive period; a retention period is at least one month. " + Hint)]
    [InlineData("P1Y-13M", "'P1Y-13M' is not a positive period; a retention period is at least one month. " + Hint)]
    [InlineData("P101Y", "'P101Y' is longer than 100 years. " + Hint)]
    [InlineData("P1201M", "'P1201M' is longer than 100 years. " + Hint)]
    [InlineData("P99999999999Y", "'P99999999999Y' is longer than 100 years. " + Hint)]
    [InlineData("P2147483648M", "'P2147483648M' is longer than 100 years. " + Hint)]
    [InlineData("p99999999999m", "'p99999999999m' is longer than 100 years. " + Hint)]
    [InlineData("P1Y99999999999999999999999M", "'P1Y99999999999999999999999M' is not an ISO-8601 period. " + Hint)]
    [InlineData("36 months", "'36 months' is not an ISO-8601 period. " + Hint)]
    [InlineData("36", "'36' is not an ISO-8601 period. " + Hint)]
    [InlineData("", "The retention period is missing. " + Hint)]
    public void Parse_NotWholePositiveMonths_RejectedSayingWhatIsAllowed(string text, string message)
    {
        Assert.False(RetentionPeriod.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => RetentionPeriod.Parse(text)).Message);
    }

    /// <summary>Period-like text: a designator or two with numbers of any size, signs and stray characters.</summary>
    public static Arbitrary<string> PeriodLike() => Arb.From(
        from prefix in Gen.Elements("P", "p", "", "PT", "-P")
        from count in Gen.Choose(0, 3)
        from parts in Gen.ListOf(
            from number in Gen.Elements("0", "1", "12", "-1", "+3", "1200", "1201", "2147483647", "2147483648", "99999999999", "9223372036854775808", "1.5", "")
            from designator in Gen.Elements("Y", "M", "W", "D", "H", "S", "y", "m", "")
            select number + designator,
            count)
        select prefix + string.Concat(parts));

    [Property(Arbitrary = [typeof(RetentionPeriodTests)], MaxTest = 3000, QuietOnSuccess = true)]
    public bool TryParse_AnyPeriodLikeText_AnswersWithoutThrowing(string text) =>
        RetentionPeriod.TryParse(text, out var period, out var error)
            ? error is null && period.Months is >= 1 and <= RetentionPeriod.MaxMonths
            : error is { Length: > 0 };

    [Fact]
    public void Compare_ByTotalMonths()
    {
        Assert.True(RetentionPeriod.Parse("P1Y") < RetentionPeriod.Parse("P13M"));
        Assert.True(RetentionPeriod.Parse("P3Y") >= RetentionPeriod.Parse("P36M"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-12)]
    [InlineData(1201)]
    public void FromMonths_OutOfRange_Throws(int months) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetentionPeriod.FromMonths(months));
}
