using NodaTime;

namespace Smi.Retention.Tests.Calendar;

/// <summary>The calendar laws 1 to 8 of docs/laws.md.</summary>
public class RetentionCalendarPropertyTests
{
    private static bool Elapsed(LocalDate since, Months months, LocalDate asOf, BoundaryMode mode) =>
        RetentionCalendar.HasElapsed(since, months.Period, asOf, mode);

    // 1. Monotone in D.
    [CalendarProperty]
    public bool HasElapsed_LaterAsOf_StaysElapsed(Day since, Months months, DayGap toFirst, DayGap toSecond, BoundaryMode mode)
    {
        var first = since.Value.PlusDays(toFirst.Value);
        var second = first.PlusDays(toSecond.Value);
        return !Elapsed(since.Value, months, first, mode) || Elapsed(since.Value, months, second, mode);
    }

    // 2. Exact boundary, in both modes.
    [CalendarProperty]
    public bool HasElapsed_OnCorrespondingDate_ElapsedOnTNotOnTheDayBefore(Day since, Months months)
    {
        var t = since.Value.PlusMonths(months.Value);
        return Elapsed(since.Value, months, t, BoundaryMode.OnCorrespondingDate)
            && !Elapsed(since.Value, months, t.PlusDays(-1), BoundaryMode.OnCorrespondingDate);
    }

    [CalendarProperty]
    public bool HasElapsed_AfterCorrespondingDate_NotOnTButOnTheDayAfter(Day since, Months months)
    {
        var t = since.Value.PlusMonths(months.Value);
        return !Elapsed(since.Value, months, t, BoundaryMode.AfterCorrespondingDate)
            && Elapsed(since.Value, months, t.PlusDays(1), BoundaryMode.AfterCorrespondingDate);
    }

    // 3. An earlier start is never due later.
    [CalendarProperty]
    public bool CorrespondingDate_EarlierStart_NeverLater(Day since, DayGap gap, Months months) =>
        RetentionCalendar.CorrespondingDate(since.Value, months.Period)
        <= RetentionCalendar.CorrespondingDate(since.Value.PlusDays(gap.Value), months.Period);

    // 4. A longer period is due strictly later.
    [CalendarProperty]
    public bool CorrespondingDate_LongerPeriod_StrictlyLater(Day since, Months shorter, Months extra)
    {
        var longer = Math.Min(RetentionPeriod.MaxMonths, shorter.Value + Math.Max(1, extra.Value % 240));
        return shorter.Value == longer
            || RetentionCalendar.CorrespondingDate(since.Value, shorter.Period)
                < RetentionCalendar.CorrespondingDate(since.Value, RetentionPeriod.FromMonths(longer));
    }

    // 5. Clamp: the month is S + N, the day is min(S.Day, days in that month).
    [CalendarProperty]
    public bool CorrespondingDate_LandsInMonthSPlusN_OnClampedDay(Day since, Months months)
    {
        var s = since.Value;
        var t = RetentionCalendar.CorrespondingDate(s, months.Period);
        var monthIndex = (s.Year * 12) + (s.Month - 1) + months.Value;
        var daysInMonth = CalendarSystem.Iso.GetDaysInMonth(monthIndex / 12, (monthIndex % 12) + 1);
        return t.Year == monthIndex / 12 && t.Month == (monthIndex % 12) + 1 && t.Day == Math.Min(s.Day, daysInMonth);
    }

    // 6. PkY and P(12k)M give identical decisions.
    [CalendarProperty]
    public bool Parse_YearsAndTwelveTimesMonths_SameDecisions(Day since, DayGap gap, BoundaryMode mode, byte yearsSeed)
    {
        var years = 1 + (yearsSeed % 100);
        var inYears = RetentionPeriod.Parse($"P{years}Y");
        var inMonths = RetentionPeriod.Parse($"P{12 * years}M");
        var asOf = since.Value.PlusMonths(12 * years).PlusDays(gap.Value - 3);
        return inYears == inMonths
            && RetentionCalendar.HasElapsed(since.Value, inYears, asOf, mode) == RetentionCalendar.HasElapsed(since.Value, inMonths, asOf, mode)
            && RetentionCalendar.Cutoff(asOf, inYears, mode) == RetentionCalendar.Cutoff(asOf, inMonths, mode);
    }

    // 7. Iterated single months are never later than T.
    [CalendarProperty]
    public bool CorrespondingDate_MonthByMonthStepping_NeverLater(Day since, Months months)
    {
        var stepped = since.Value;
        for (var i = 0; i < months.Value; i++)
        {
            stepped = stepped.PlusMonths(1);
        }

        return stepped <= RetentionCalendar.CorrespondingDate(since.Value, months.Period);
    }

    // 8. The hoisted cutoff is the exact inverse of the forward rule, for arbitrary start dates...
    [CalendarProperty]
    public bool Cutoff_AnyStart_ExactInverseOfForwardRule(Day since, Day asOf, Months months, BoundaryMode mode) =>
        (since.Value <= RetentionCalendar.Cutoff(asOf.Value, months.Period, mode)) == Elapsed(since.Value, months, asOf.Value, mode);

    // ... and for start dates within days of the boundary, where the inverse can go wrong.
    [CalendarProperty]
    public bool Cutoff_StartNearBoundary_ExactInverseOfForwardRule(Day asOf, Months months, DayGap gap, bool before, BoundaryMode mode)
    {
        var offset = Math.Min(gap.Value, 40) * (before ? -1 : 1);
        var since = asOf.Value.PlusMonths(-months.Value).PlusDays(offset);
        return (since <= RetentionCalendar.Cutoff(asOf.Value, months.Period, mode)) == Elapsed(since, months, asOf.Value, mode);
    }

    // ... and the cutoff is itself elapsed while the next day is not: it is the latest such date.
    [CalendarProperty]
    public bool Cutoff_IsTheLatestElapsedStart(Day asOf, Months months, BoundaryMode mode)
    {
        var cutoff = RetentionCalendar.Cutoff(asOf.Value, months.Period, mode);
        return Elapsed(cutoff, months, asOf.Value, mode) && !Elapsed(cutoff.PlusDays(1), months, asOf.Value, mode);
    }

    // The evaluator compares integer keys instead of LocalDates: they must order ISO dates exactly, and give the date back.
    [CalendarProperty]
    public bool DateKey_OrdersIsoDatesExactly(Day first, Day second, DayGap gap) =>
        Math.Sign(first.Value.CompareTo(second.Value)) == Math.Sign(RetentionCalendar.DateKey(first.Value).CompareTo(RetentionCalendar.DateKey(second.Value)))
        && RetentionCalendar.DateKey(first.Value) < RetentionCalendar.DateKey(first.Value.PlusDays(gap.Value + 1));

    [CalendarProperty]
    public bool DateKey_GivesTheDateBack(Day day) => RetentionCalendar.FromDateKey(RetentionCalendar.DateKey(day.Value)) == day.Value;

    // The decision pass's due dates are made on date keys, in integers: the same date as DueDate's,
    // near today (month ends and 29 February weighted) and anywhere in NodaTime's range, where past
    // 9999-12-31 DueDate throws and the key is refused.
    [CalendarProperty]
    public bool DueKey_IsTheDueDatesKey(Day since, Months months, BoundaryMode mode) =>
        SameDueDate(since.Value, months.Value, mode);

    [CalendarProperty]
    public bool DueKey_IsTheDueDatesKey_AnywhereInTheCalendar(int dayIndex, Months months, BoundaryMode mode)
    {
        var span = Period.Between(LocalDate.MinIsoValue, LocalDate.MaxIsoValue, PeriodUnits.Days).Days;
        var since = LocalDate.MinIsoValue.PlusDays((int)(((long)dayIndex - int.MinValue) % (span + 1)));
        return SameDueDate(since, months.Value, mode) && SameDueDate(LocalDate.MaxIsoValue.PlusMonths(-months.Value).PlusDays(-(dayIndex & 3)), months.Value, mode);
    }

    [Theory]
    [InlineData(9999, 12, 31, 1)]
    [InlineData(9999, 11, 30, 1)]
    [InlineData(9999, 1, 31, 11)]
    [InlineData(-9998, 1, 1, 1200)]
    [InlineData(-1, 12, 31, 1)]
    [InlineData(0, 2, 29, 12)]
    [InlineData(-1, 1, 31, 1)]
    public void DueKey_AtTheEndsOfTheCalendar(int year, int month, int day, int months)
    {
        Assert.True(SameDueDate(new LocalDate(year, month, day), months, BoundaryMode.OnCorrespondingDate));
        Assert.True(SameDueDate(new LocalDate(year, month, day), months, BoundaryMode.AfterCorrespondingDate));
    }

    // Every day of the years around the century rule's turns (1900 and 2100 are not leap years, 2000
    // and 1600 are; -100 and 0 either side of year 1), every period of up to two years, both modes:
    // the property's dates land on a February 29 of a century year too rarely to be trusted with it.
    [Fact]
    public void DueKey_EveryDayAroundTheCenturyLeapYears_IsTheDueDatesKey()
    {
        var failures = new List<string>();
        foreach (var year in new[] { -101, -1, 1599, 1899, 1999, 2099, 9997 })
        {
            for (var since = new LocalDate(year, 1, 1); since < new LocalDate(year + 2, 1, 1); since = since.PlusDays(1))
            {
                for (var months = 1; months <= 24; months++)
                {
                    foreach (var mode in new[] { BoundaryMode.OnCorrespondingDate, BoundaryMode.AfterCorrespondingDate })
                    {
                        if (!SameDueDate(since, months, mode))
                        {
                            failures.Add($"{since:uuuu-MM-dd} P{months}M {mode}");
                        }
                    }
                }
            }
        }

        Assert.Empty(failures);
    }

    private static bool SameDueDate(LocalDate since, int months, BoundaryMode mode)
    {
        LocalDate? due;
        try
        {
            due = RetentionCalendar.DueDate(since, RetentionPeriod.FromMonths(months), mode);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            due = null; // past the calendar's last date: the evaluator's decision is undetermined
        }

        return RetentionCalendar.TryDueKey(RetentionCalendar.DateKey(since), months, mode, out var key)
            ? due is { } date && RetentionCalendar.FromDateKey(key) == date
            : due is null;
    }

    // NodaTime's whole range, where Day stays near today: the first and last dates, and either side of year 0.
    [Theory]
    [InlineData(-9998, 1, 1)]
    [InlineData(-1, 12, 31)]
    [InlineData(0, 1, 1)]
    [InlineData(0, 2, 29)]
    [InlineData(1, 1, 1)]
    [InlineData(9999, 12, 31)]
    public void DateKey_HoldsAtTheEndsOfTheCalendar(int year, int month, int day)
    {
        var date = new LocalDate(year, month, day);
        Assert.Equal(date, RetentionCalendar.FromDateKey(RetentionCalendar.DateKey(date)));
        if (date != LocalDate.MinIsoValue)
        {
            Assert.True(RetentionCalendar.DateKey(date.PlusDays(-1)) < RetentionCalendar.DateKey(date));
        }

        if (date != LocalDate.MaxIsoValue)
        {
            Assert.True(RetentionCalendar.DateKey(date) < RetentionCalendar.DateKey(date.PlusDays(1)));
        }
    }

    // Whole months held: the longest period that has elapsed, as HasElapsed says (the stock report's months).
    [CalendarProperty]
    public bool WholeMonthsHeld_IsTheLongestPeriodElapsed(Day since, DayGap gap, BoundaryMode mode)
    {
        var asOf = since.Value.PlusDays(gap.Value);
        var months = RetentionCalendar.WholeMonthsHeld(since.Value, asOf, mode);
        return (months == 0 || Elapsed(since.Value, new Months(months), asOf, mode))
            && (months == RetentionPeriod.MaxMonths || !Elapsed(since.Value, new Months(months + 1), asOf, mode));
    }
}
