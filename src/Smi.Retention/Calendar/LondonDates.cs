using NodaTime;

namespace Smi.Retention;

/// <summary>
/// Converts instants to the Europe/London calendar date from which SMI statuses apply, through
/// NodaTime's tzdb (never the machine's time zone): 23:30Z on 30 June is 1 July in London.
/// </summary>
public static class LondonDates
{
    /// <summary>The tzdb id of the zone SMI dates are kept in.</summary>
    public const string ZoneId = "Europe/London";

    /// <summary>The Europe/London zone from NodaTime's bundled tzdb.</summary>
    public static DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb[ZoneId];

    /// <summary>The version of the tzdb data in use, for run reports (e.g. <c>2024a</c>).</summary>
    public static string TzdbVersion => DateTimeZoneProviders.Tzdb.VersionId;

    /// <summary>The London calendar date of an instant.</summary>
    /// <param name="instant">The instant, e.g. from a feed's UTC timestamp.</param>
    /// <returns>The London local date: the UTC date or the day after.</returns>
    public static LocalDate ToLocalDate(Instant instant) => instant.InZone(Zone).Date;

    /// <summary>Today's London date by the given clock.</summary>
    /// <param name="clock">The clock: the system clock in a host, a fake one in tests.</param>
    /// <returns>The London local date now.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    public static LocalDate Today(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return ToLocalDate(clock.GetCurrentInstant());
    }
}
