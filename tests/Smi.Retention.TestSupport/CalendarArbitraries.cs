using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>A local date between 1990 and 2100, biased towards month ends and 29 February.</summary>
public readonly record struct Day(LocalDate Value)
{
    public override string ToString() => Value.ToString("uuuu-MM-dd", null);
}

/// <summary>A retention period of 1 to 1200 months, biased towards the periods policies use.</summary>
public readonly record struct Months(int Value)
{
    public RetentionPeriod Period => RetentionPeriod.FromMonths(Value);

    public override string ToString() => $"P{Value}M";
}

/// <summary>A small non-negative number of days, for offsets between dates.</summary>
public readonly record struct DayGap(int Value);

/// <summary>Generators for the calendar laws of docs/laws.md.</summary>
public static class CalendarArbitraries
{
    public static readonly LocalDate First = new(1990, 1, 1);
    public static readonly LocalDate Last = new(2100, 12, 31);

    public static Gen<LocalDate> Dates()
    {
        var year = Gen.Choose(First.Year, Last.Year);
        var month = Gen.Choose(1, 12);
        var anyDay = Gen.Choose(0, Period.Between(First, Last, PeriodUnits.Days).Days).Select(d => First.PlusDays(d));
        var monthEnd = year.SelectMany(y => month.Select(m => new LocalDate(y, m, CalendarSystem.Iso.GetDaysInMonth(y, m))));
        var nearMonthEnd = monthEnd.SelectMany(d => Gen.Choose(0, 3).Select(back => d.PlusDays(-back)));
        var leapDay = Gen.Choose(1992 / 4, 2096 / 4).Select(q => q * 4).Where(y => y % 100 != 0 || y % 400 == 0).Select(y => new LocalDate(y, 2, 29));
        return Gen.Frequency((5, anyDay), (3, monthEnd), (1, nearMonthEnd), (1, leapDay));
    }

    public static Gen<int> MonthCounts() =>
        Gen.Frequency(
            (6, Gen.Choose(1, 60)),
            (2, Gen.Elements(12, 24, 36, 48, 120)),
            (1, Gen.Choose(1, RetentionPeriod.MaxMonths)));

    public static Arbitrary<Day> Day() => Arb.From(Dates().Select(d => new Day(d)));

    public static Arbitrary<Months> Months() => Arb.From(MonthCounts().Select(m => new Months(m)));

    public static Arbitrary<DayGap> DayGap() => Arb.From(Gen.Frequency((3, Gen.Choose(0, 3)), (2, Gen.Choose(0, 62)), (1, Gen.Choose(0, 4000))).Select(d => new DayGap(d)));

    public static Arbitrary<BoundaryMode> BoundaryMode() =>
        Arb.From(Gen.Elements(Retention.BoundaryMode.OnCorrespondingDate, Retention.BoundaryMode.AfterCorrespondingDate));
}

/// <summary>An FsCheck property over the calendar generators, bounded so the suite stays quick.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CalendarPropertyAttribute : FsCheck.Xunit.PropertyAttribute
{
    public CalendarPropertyAttribute()
    {
        Arbitrary = [typeof(CalendarArbitraries)];
        MaxTest = 2000;
        QuietOnSuccess = true;
    }
}
