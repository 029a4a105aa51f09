using FsCheck;
using FsCheck.Fluent;
using NodaTime;
using NodaTime.Testing;

namespace Smi.Retention.Tests.Calendar;

/// <summary>Law 9 of docs/laws.md (London dates) and the London-date examples.</summary>
public class LondonDatesTests
{
    [CalendarProperty]
    public bool ToLocalDate_AnyInstant_IsTheUtcDateOrTheDayAfter(Day day, ushort minuteOfDay)
    {
        var instant = Instant.FromUtc(day.Value.Year, day.Value.Month, day.Value.Day, 0, 0).Plus(Duration.FromMinutes(minuteOfDay % 1440));
        var utcDate = instant.InUtc().Date;
        var london = LondonDates.ToLocalDate(instant);
        return london == utcDate || london == utcDate.PlusDays(1);
    }

    [CalendarProperty]
    public Property ToLocalDate_EveryInstantOfOneLondonDay_SameDateAndSameDecision(Day londonDay, Day since, Months months, BoundaryMode mode)
    {
        var start = LondonDates.Zone.AtStartOfDay(londonDay.Value).ToInstant();
        var end = LondonDates.Zone.AtStartOfDay(londonDay.Value.PlusDays(1)).ToInstant();
        var length = (end - start).TotalTicks;
        var instants = Gen.Choose(0, 10_000).Select(f => start.PlusTicks((long)(length * (f / 10_001.0))));
        return Prop.ForAll(
            Arb.From(Gen.Two(instants)),
            pair =>
            {
                var (first, second) = pair;
                var firstDate = LondonDates.ToLocalDate(first);
                var secondDate = LondonDates.ToLocalDate(second);
                return firstDate == londonDay.Value
                    && secondDate == londonDay.Value
                    && RetentionCalendar.HasElapsed(since.Value, months.Period, firstDate, mode)
                        == RetentionCalendar.HasElapsed(since.Value, months.Period, secondDate, mode);
            });
    }

    [Fact]
    public void ToLocalDate_HalfPastElevenUtcOnThirtiethJune_IsFirstJuly() =>
        Assert.Equal(new LocalDate(2019, 7, 1), LondonDates.ToLocalDate(Instant.FromUtc(2019, 6, 30, 23, 30)));

    [Fact]
    public void ToLocalDate_HalfPastElevenUtcInWinter_IsTheSameDay() =>
        Assert.Equal(new LocalDate(2019, 12, 30), LondonDates.ToLocalDate(Instant.FromUtc(2019, 12, 30, 23, 30)));

    [Theory]
    [InlineData(2019, 3, 31, 23)] // clocks go forward
    [InlineData(2019, 10, 27, 25)] // clocks go back
    [InlineData(2019, 6, 1, 24)]
    public void Zone_DaysAroundClockChanges_HaveTheirLengthAndKeepTheirDate(int year, int month, int day, int hours)
    {
        var date = new LocalDate(year, month, day);
        var start = LondonDates.Zone.AtStartOfDay(date).ToInstant();
        var end = LondonDates.Zone.AtStartOfDay(date.PlusDays(1)).ToInstant();

        Assert.Equal(Duration.FromHours(hours), end - start);
        Assert.Equal(date, LondonDates.ToLocalDate(start));
        Assert.Equal(date, LondonDates.ToLocalDate(end - Duration.Epsilon));
        Assert.Equal(date.PlusDays(1), LondonDates.ToLocalDate(end));
    }

    [Fact]
    public void Today_FakeClockJustBeforeMidnightUtcInSummer_IsTomorrowInLondon()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 7, 31, 23, 15));
        Assert.Equal(new LocalDate(2026, 8, 1), LondonDates.Today(clock));
    }

    [Fact]
    public void Zone_IsTzdbEuropeLondon() =>
        Assert.Equal("Europe/London", LondonDates.Zone.Id);

    /// <summary>Ten characters of digits and dashes (and a few others), often a real date or nearly one.</summary>
    public static Arbitrary<string> DateLike() => Arb.From(Gen.OneOf(
        Gen.ArrayOf(Gen.Elements('0', '1', '2', '3', '9', '-', '+', ' ', 'x'), 10).Select(c => new string(c)),
        from year in Gen.Choose(0, 9999)
        from month in Gen.Choose(0, 13)
        from day in Gen.Choose(0, 32)
        select $"{year:0000}-{month:00}-{day:00}"));

    // The tool reads --as-of and --from this way before NodaTime's pattern: it must take only what
    // the pattern takes, as the same date.
    [FsCheck.Xunit.Property(Arbitrary = [typeof(LondonDatesTests)], MaxTest = 5000, QuietOnSuccess = true)]
    public bool TryParseIsoDate_WhatItReads_IsoPatternReadsAlike(string text)
    {
        var pattern = NodaTime.Text.LocalDatePattern.Iso.Parse(text);
        return !LondonDates.TryParseIsoDate(text, out var date) || (pattern.Success && pattern.Value == date);
    }

    // The reader's fast path reads a date's bytes straight to its key: exactly the dates the ISO
    // pattern reads (leap days, month ends, the first and last years), as the same date.
    [Theory]
    [InlineData(1)]
    [InlineData(1900)]
    [InlineData(2000)]
    [InlineData(2023)]
    [InlineData(2024)]
    [InlineData(2100)]
    [InlineData(9999)]
    public void TryParseIsoDateKey_EveryMonthAndDay_ExactlyThePatternsDates(int year)
    {
        for (var month = 0; month <= 13; month++)
        {
            for (var day = 0; day <= 32; day++)
            {
                var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{year:0000}-{month:00}-{day:00}");
                var pattern = NodaTime.Text.LocalDatePattern.Iso.Parse(text);
                var read = LondonDates.TryParseIsoDateKey(System.Text.Encoding.ASCII.GetBytes(text), out var key);
                Assert.Equal(pattern.Success, read);
                Assert.Equal(pattern.Success ? RetentionCalendar.DateKey(pattern.Value) : 0, key);
            }
        }

        Assert.False(LondonDates.TryParseIsoDateKey("0000-01-01"u8, out _));
    }

    // The bytes are read eight at a time: any byte at any place (every one a digit's neighbour, ':'
    // and '/' among them) refuses the text exactly as the ISO pattern does (but for year 0).
    [Fact]
    public void TryParseIsoDateKey_DatesAByteOrTwoAway_ExactlyThePatternsDates()
    {
        var random = new Random(23);
        for (var i = 0; i < 100_000; i++)
        {
            var date = new NodaTime.LocalDate(1, 1, 1).PlusDays(random.Next(3_652_058));
            var bytes = System.Text.Encoding.ASCII.GetBytes(NodaTime.Text.LocalDatePattern.Iso.Format(date));
            for (var changes = random.Next(3); changes > 0; changes--)
            {
                bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? (byte)random.Next(256) : (byte)"0123456789/:-.;@ "[random.Next(17)];
            }

            var text = string.Concat(bytes.Select(b => (char)b));
            var pattern = NodaTime.Text.LocalDatePattern.Iso.Parse(text);
            var expected = pattern.Success && pattern.Value.Year >= 1; // the pattern reads year 0 (1 BC); the reader takes years 1 to 9999
            var read = LondonDates.TryParseIsoDateKey(bytes, out var key);
            Assert.True(expected == read, text);
            Assert.Equal(expected ? RetentionCalendar.DateKey(pattern.Value) : 0, key);
        }
    }

    [Theory]
    [InlineData("2019-11-07")]
    [InlineData("2020-02-29")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public void TryParseIsoDate_PlainDates_ReadWithoutThePattern(string text) =>
        Assert.True(LondonDates.TryParseIsoDate(text, out _));
}
