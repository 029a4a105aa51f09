using NodaTime;

namespace Smi.Retention;

/// <summary>
/// The legal calendar of retention: when N months have elapsed under the law of England and Wales.
/// The only place in the library that does month arithmetic; everything else asks it.
/// </summary>
/// <remarks>
/// A period ends on the corresponding date in the later month (Dodds v Walker), or on the last day
/// of that month when it has no corresponding date (31 January + 1 month = 28/29 February): exactly
/// <see cref="LocalDate.PlusMonths(int)"/> applied once from the start date, never month by month
/// and never as a number of days.
/// </remarks>
public static class RetentionCalendar
{
    /// <summary>The corresponding date: <paramref name="since"/> plus the period, clamped to the month's last day.</summary>
    /// <param name="since">The date the status applied from.</param>
    /// <param name="period">The retention period.</param>
    /// <returns>The date on which the period ends.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The result falls outside NodaTime's range of dates.</exception>
    public static LocalDate CorrespondingDate(LocalDate since, RetentionPeriod period) => since.PlusMonths(period.Months);

    /// <summary>The first date on which the period counts as elapsed, under <paramref name="mode"/>.</summary>
    /// <param name="since">The date the status applied from.</param>
    /// <param name="period">The retention period.</param>
    /// <param name="mode">Whether the corresponding date itself counts.</param>
    /// <returns>The corresponding date, or the day after it in <see cref="BoundaryMode.AfterCorrespondingDate"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The result falls outside NodaTime's range of dates.</exception>
    public static LocalDate DueDate(LocalDate since, RetentionPeriod period, BoundaryMode mode = BoundaryMode.OnCorrespondingDate)
    {
        var corresponding = CorrespondingDate(since, period);
        return mode == BoundaryMode.AfterCorrespondingDate ? corresponding.PlusDays(1) : corresponding;
    }

    /// <summary>The first date on which the period counts as elapsed, or false when that date is beyond the calendar's last.</summary>
    /// <param name="since">The date the status applied from.</param>
    /// <param name="period">The retention period.</param>
    /// <param name="mode">Whether the corresponding date itself counts.</param>
    /// <param name="due">The due date, when the result is <see langword="true"/>.</param>
    /// <returns><see langword="false"/> when the period ends after <see cref="LocalDate.MaxIsoValue"/>: it never elapses.</returns>
    internal static bool TryDueDate(LocalDate since, RetentionPeriod period, BoundaryMode mode, out LocalDate due)
    {
        due = default;
        if (since.Calendar != CalendarSystem.Iso || period.Months <= 0 || (since.Year * 12L) + since.Month - 1 + period.Months > (LocalDate.MaxIsoValue.Year * 12L) + 11)
        {
            return false;
        }

        var corresponding = CorrespondingDate(since, period);
        if (mode == BoundaryMode.AfterCorrespondingDate && corresponding == LocalDate.MaxIsoValue)
        {
            return false;
        }

        due = mode == BoundaryMode.AfterCorrespondingDate ? corresponding.PlusDays(1) : corresponding;
        return true;
    }

    /// <summary>Whether the period has elapsed on <paramref name="asOf"/>.</summary>
    /// <param name="since">The date the status applied from.</param>
    /// <param name="period">The retention period.</param>
    /// <param name="asOf">The date of the decision.</param>
    /// <param name="mode">Whether the corresponding date itself counts.</param>
    /// <returns><see langword="true"/> when <see cref="DueDate"/> is on or before <paramref name="asOf"/>; <see langword="false"/> when it would fall beyond the calendar's last date, so never.</returns>
    public static bool HasElapsed(LocalDate since, RetentionPeriod period, LocalDate asOf, BoundaryMode mode = BoundaryMode.OnCorrespondingDate) =>
        TryDueDate(since, period, mode, out var due) && due <= asOf;

    /// <summary>The whole months a status applied from <paramref name="since"/> has been held on <paramref name="asOf"/>: the longest period that has elapsed (0 when not yet one month).</summary>
    /// <param name="since">The date the status applied from.</param>
    /// <param name="asOf">The date of the count, on or after <paramref name="since"/>.</param>
    /// <param name="mode">Whether the corresponding date itself counts.</param>
    /// <returns>The months, at least 0.</returns>
    public static int WholeMonthsHeld(LocalDate since, LocalDate asOf, BoundaryMode mode = BoundaryMode.OnCorrespondingDate)
    {
        // At most the months between the two months, and one fewer when the corresponding date (or the day after it) is still to come.
        var months = Math.Max(0, ((asOf.Year - since.Year) * 12) + asOf.Month - since.Month);
        while (months > 0)
        {
            var corresponding = since.PlusMonths(months);
            if (corresponding < asOf || (corresponding == asOf && mode == BoundaryMode.OnCorrespondingDate))
            {
                break;
            }

            months--;
        }

        return months;
    }

    /// <summary>
    /// The latest start date for which the period has elapsed on <paramref name="asOf"/>: for every
    /// date <c>S</c>, <c>S &lt;= Cutoff(asOf, period, mode)</c> exactly when
    /// <c>HasElapsed(S, period, asOf, mode)</c>. A batch compares one date per device against it
    /// instead of doing month arithmetic per device.
    /// </summary>
    /// <param name="asOf">The date of the decision.</param>
    /// <param name="period">The retention period.</param>
    /// <param name="mode">Whether the corresponding date itself counts.</param>
    /// <returns>The cutoff date.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The cutoff falls outside NodaTime's range of dates.</exception>
    public static LocalDate Cutoff(LocalDate asOf, RetentionPeriod period, BoundaryMode mode = BoundaryMode.OnCorrespondingDate)
    {
        // Strict mode: elapsed on D exactly when the corresponding date is on or before D - 1.
        var lastCorresponding = mode == BoundaryMode.AfterCorrespondingDate ? asOf.PlusDays(-1) : asOf;
        var back = lastCorresponding.PlusMonths(-period.Months);

        // The backward step alone is not the inverse at month ends: every start date in the month
        // N months before clamps onto a month-end D (2020-02-29 + 36M = 2023-02-28), so all count.
        return IsLastDayOfMonth(lastCorresponding) ? LastDayOfMonth(back) : back;
    }

    /// <summary>
    /// <see cref="Cutoff"/>, or null when no start date in the calendar has held the period on
    /// <paramref name="asOf"/> (the cutoff would fall before <see cref="LocalDate.MinIsoValue"/>).
    /// </summary>
    internal static LocalDate? TryCutoff(LocalDate asOf, RetentionPeriod period, BoundaryMode mode)
    {
        var lastCorresponding = mode == BoundaryMode.AfterCorrespondingDate ? (asOf == LocalDate.MinIsoValue ? (LocalDate?)null : asOf.PlusDays(-1)) : asOf;
        if (lastCorresponding is not { } last || (last.Year * 12L) + last.Month - 1 - period.Months < LocalDate.MinIsoValue.Year * 12L)
        {
            return null;
        }

        return Cutoff(asOf, period, mode);
    }

    /// <summary>
    /// An integer that orders ISO dates as the dates themselves, from NodaTime's public API:
    /// year * 512 + month * 32 + day (a month needs 4 bits and a day 5). Device records store it so
    /// the per-device comparison is one integer compare; <see cref="FromDateKey"/> reverses it.
    /// RetentionCalendarPropertyTests.DateKey_OrdersIsoDatesExactly proves the order.
    /// </summary>
    internal static int DateKey(LocalDate date) => DateKey(date.Year, date.Month, date.Day);

    /// <summary>The <see cref="DateKey(LocalDate)"/> of a valid ISO year, month and day.</summary>
    internal static int DateKey(int year, int month, int day) => (year * 512) + (month * 32) + day;

    /// <summary>
    /// <see cref="DueDate"/> on date keys (<see cref="DateKey(LocalDate)"/>), for the decision pass's
    /// dated devices: the same corresponding-date rule (the month <paramref name="months"/> on,
    /// the day clamped to its last) in integers, with no date made or validated on the way.
    /// RetentionCalendarPropertyTests.DueKey_IsTheDueDatesKey proves it equal to
    /// <see cref="DueDate"/> on every kind of date. False when the due date would be after
    /// <see cref="LocalDate.MaxIsoValue"/> (<see cref="DueDate"/> throws there).
    /// </summary>
    /// <param name="sinceKey">The key of a valid ISO date.</param>
    /// <param name="months">The period's months, 1 to <see cref="RetentionPeriod.MaxMonths"/>.</param>
    /// <param name="mode">Whether the corresponding date itself counts.</param>
    /// <param name="dueKey">The due date's key, when the result is <see langword="true"/>.</param>
    internal static bool TryDueKey(int sinceKey, int months, BoundaryMode mode, out int dueKey)
    {
        var monthIndex = (sinceKey >> 9) * 12 + ((sinceKey >> 5) & 15) - 1 + months;
        var year = monthIndex >= 0 ? monthIndex / 12 : ((monthIndex + 1) / 12) - 1; // floor, for years before 1
        var month = monthIndex - (year * 12) + 1;
        var last = DaysInIsoMonth(year, month);
        var day = Math.Min(sinceKey & 31, last);
        if (mode == BoundaryMode.AfterCorrespondingDate && day == last)
        {
            (year, month, day) = month == 12 ? (year + 1, 1, 1) : (year, month + 1, 1);
        }
        else if (mode == BoundaryMode.AfterCorrespondingDate)
        {
            day++;
        }

        dueKey = DateKey(year, month, day);
        return year <= MaxIsoYear;
    }

    private const int MaxIsoYear = 9999;

    /// <summary>The days of an ISO (proleptic Gregorian) month (also the inventory reader's check of a date, once a row).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static int DaysInIsoMonth(int year, int month) =>
        month == 2 ? (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28)
        : 30 + ((month + (month >> 3)) & 1);

    /// <summary>The ISO date of a <see cref="DateKey(LocalDate)"/>.</summary>
    internal static LocalDate FromDateKey(int key) => new(key >> 9, (key >> 5) & 15, key & 31);

    /// <summary>A start date for which exactly the periods up to <paramref name="months"/> have elapsed on <paramref name="asOf"/> (use a mid-month date).</summary>
    internal static LocalDate MonthsBefore(LocalDate asOf, int months, BoundaryMode mode)
    {
        var back = asOf.PlusMonths(-months);
        return mode == BoundaryMode.AfterCorrespondingDate ? back.PlusDays(-1) : back;
    }

    /// <summary>The date <paramref name="months"/> months later (a forecast's month boundaries).</summary>
    internal static LocalDate MonthsAfter(LocalDate date, int months) => date.PlusMonths(months);

    private static bool IsLastDayOfMonth(LocalDate date) => date.Day == date.Calendar.GetDaysInMonth(date.Year, date.Month);

    private static LocalDate LastDayOfMonth(LocalDate date) =>
        new(date.Year, date.Month, date.Calendar.GetDaysInMonth(date.Year, date.Month), date.Calendar);
}
