using NodaTime;

namespace Smi.Retention.Tests.Calendar;

/// <summary>The legal cases of docs/calendar.md (Dodds v Walker, E J Riley v Eurostile), pinned, and the traps shown to be traps.</summary>
public class RetentionCalendarTests
{
    private static readonly RetentionPeriod OneMonth = RetentionPeriod.FromMonths(1);
    private static readonly RetentionPeriod Twelve = RetentionPeriod.Parse("P12M");
    private static readonly RetentionPeriod ThirtySix = RetentionPeriod.Parse("P36M");

    [Theory]
    [InlineData("2019-09-30", 4, "2020-01-30")] // Dodds v Walker: 30 September + 4 months ends 30 January
    [InlineData("2019-01-31", 1, "2019-02-28")] // no corresponding date: last day of the month
    [InlineData("2020-01-31", 1, "2020-02-29")] // leap year
    [InlineData("2020-02-29", 12, "2021-02-28")]
    [InlineData("2020-02-29", 48, "2024-02-29")]
    [InlineData("2020-02-29", 36, "2023-02-28")]
    [InlineData("2019-03-15", 12, "2020-03-15")]
    [InlineData("2017-06-01", 36, "2020-06-01")]
    [InlineData("2019-08-31", 6, "2020-02-29")]
    public void CorrespondingDate_LegalCases_Pinned(string since, int months, string expected) =>
        Assert.Equal(Date(expected), RetentionCalendar.CorrespondingDate(Date(since), RetentionPeriod.FromMonths(months)));

    [Fact]
    public void HasElapsed_OnTheCorrespondingDate_ElapsedThatDayNotBefore()
    {
        // E J Riley v Eurostile: pending since 2019-03-15, removable under 12 months on 2020-03-15.
        Assert.False(RetentionCalendar.HasElapsed(Date("2019-03-15"), Twelve, Date("2020-03-14")));
        Assert.True(RetentionCalendar.HasElapsed(Date("2019-03-15"), Twelve, Date("2020-03-15")));
    }

    [Fact]
    public void HasElapsed_StrictMode_ElapsedOnlyFromTheDayAfter()
    {
        Assert.False(RetentionCalendar.HasElapsed(Date("2019-03-15"), Twelve, Date("2020-03-15"), BoundaryMode.AfterCorrespondingDate));
        Assert.True(RetentionCalendar.HasElapsed(Date("2019-03-15"), Twelve, Date("2020-03-16"), BoundaryMode.AfterCorrespondingDate));
        Assert.Equal(Date("2020-03-16"), RetentionCalendar.DueDate(Date("2019-03-15"), Twelve, BoundaryMode.AfterCorrespondingDate));
    }

    [Fact]
    public void Cutoff_MonthEndAsOf_IncludesTheLeapDayThatTheBackwardStepMisses()
    {
        var asOf = Date("2023-02-28");
        var since = Date("2020-02-29");

        // The trap: stepping back from the as-of date says not due...
        Assert.False(asOf.PlusMonths(-36) >= since);

        // ...yet the forward rule says due, and the cutoff agrees with the forward rule.
        Assert.True(RetentionCalendar.HasElapsed(since, ThirtySix, asOf));
        Assert.Equal(Date("2020-02-29"), RetentionCalendar.Cutoff(asOf, ThirtySix));
    }

    [Theory]
    [InlineData("2020-03-15", "2019-03-15", BoundaryMode.OnCorrespondingDate)]
    [InlineData("2020-03-15", "2019-03-14", BoundaryMode.AfterCorrespondingDate)]
    [InlineData("2021-02-28", "2020-02-29", BoundaryMode.OnCorrespondingDate)]
    [InlineData("2021-03-01", "2020-02-29", BoundaryMode.AfterCorrespondingDate)]
    [InlineData("2019-02-28", "2018-02-28", BoundaryMode.OnCorrespondingDate)]
    [InlineData("2020-02-28", "2019-02-28", BoundaryMode.OnCorrespondingDate)]
    [InlineData("2020-03-30", "2019-03-30", BoundaryMode.OnCorrespondingDate)]
    public void Cutoff_Examples_LatestStartThatIsDue(string asOf, string expected, BoundaryMode mode) =>
        Assert.Equal(Date(expected), RetentionCalendar.Cutoff(Date(asOf), Twelve, mode));

    [Fact]
    public void Cutoff_OneMonthBeforeMarchThirtieth_IsTheLastDayOfFebruary() =>
        Assert.Equal(Date("2023-02-28"), RetentionCalendar.Cutoff(Date("2023-03-30"), OneMonth));

    [Fact]
    public void MonthStepping_IsNotMonthAdding()
    {
        var since = Date("2019-01-31");
        var stepped = since.PlusMonths(1).PlusMonths(1);

        Assert.Equal(Date("2019-03-28"), stepped);
        Assert.Equal(Date("2019-03-31"), RetentionCalendar.CorrespondingDate(since, RetentionPeriod.FromMonths(2)));
    }

    [Fact]
    public void TwelveMonths_IsNot365Days()
    {
        var since = Date("2019-03-01");

        Assert.Equal(Date("2020-02-29"), since.PlusDays(365));
        Assert.Equal(Date("2020-03-01"), RetentionCalendar.CorrespondingDate(since, Twelve));
        Assert.False(RetentionCalendar.HasElapsed(since, Twelve, since.PlusDays(365)));
    }

    [Fact]
    public void P12MAndP1Y_DifferentNodaTimePeriods_SameRetentionPeriod()
    {
        var months = RetentionPeriod.Parse("P12M");
        var year = RetentionPeriod.Parse("P1Y");

        Assert.NotEqual(Period.FromMonths(12), Period.FromYears(1));
        Assert.Equal(months, year);
        Assert.Equal(12, year.Months);
        Assert.Equal(months.GetHashCode(), year.GetHashCode());
        Assert.Equal(Period.FromMonths(12), year.ToPeriod());
    }

    [Fact]
    public void CorrespondingDate_BeyondNodaTimeRange_Throws() =>
        Assert.Throws<OverflowException>(() => RetentionCalendar.CorrespondingDate(new LocalDate(9999, 6, 1), Twelve));

    internal static LocalDate Date(string iso) => NodaTime.Text.LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();
}
