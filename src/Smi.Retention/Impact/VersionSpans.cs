using NodaTime;
using Smi.Retention.Policies;

namespace Smi.Retention.Impact;

/// <summary>
/// The spans of as-of dates between two timelines' version dates, on each of which the same two
/// versions are in force, with one date inside each to decide on (the 15th where it can be, so no
/// month end clamps). A policy without dates is one span: every date.
/// </summary>
internal static class VersionSpans
{
    /// <summary>Each span: its first date (null: from the beginning), its first date after (null: no end), and a date inside it.</summary>
    public static IEnumerable<(LocalDate? From, LocalDate? Until, LocalDate Date)> Of(RetentionTimeline first, RetentionTimeline second)
    {
        var breaks = first.Versions.Concat(second.Versions).Select(v => v.EffectiveFrom).OfType<LocalDate>().Distinct().Order().ToArray();
        if (breaks.Length == 0)
        {
            yield return (null, null, new LocalDate(2026, 1, 15));
            yield break;
        }

        var before = RetentionCalendar.MonthsBefore(breaks[0], 2, BoundaryMode.OnCorrespondingDate);
        yield return (null, breaks[0], new LocalDate(before.Year, before.Month, 15));
        for (var i = 0; i < breaks.Length; i++)
        {
            var start = breaks[i];
            var fifteenth = new LocalDate(start.Year, start.Month, 15);
            fifteenth = start.Day <= 15 ? fifteenth : RetentionCalendar.MonthsAfter(fifteenth, 1);
            LocalDate? until = i + 1 < breaks.Length ? breaks[i + 1] : null;
            yield return (start, until, until is { } next && fifteenth >= next ? start : fifteenth);
        }
    }
}
