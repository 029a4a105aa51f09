using System.Diagnostics.CodeAnalysis;
using NodaTime;
using NodaTime.Text;

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

    /// <summary>
    /// Reads the date a status applied from: a London date <c>yyyy-MM-dd</c>, or an ISO-8601 instant
    /// with <c>Z</c> or an offset (<c>2019-06-30T23:30:00Z</c>), converted to its London date.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="date">The London date, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is wrong and how to write it, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the text is such a date or instant.</returns>
    public static bool TryParseDateOrInstant(ReadOnlySpan<char> text, out LocalDate date, [NotNullWhen(false)] out string? error)
    {
        text = text.Trim();
        if (text.Length == 10 && TryParseIsoDate(text, out date))
        {
            error = null;
            return true;
        }

        // Instants are rare in feeds; the allocation of the pattern's string is fine here.
        if (text.Length > 10 && text[10] is 'T' or 't')
        {
            // 24:00, which ISO 8601 allows for the end of a day and NodaTime reads as the next day's
            // midnight: refused, as the schemas refuse it, so that a date is written one way only.
            if (text.Length >= 13 && text[11] == '2' && text[12] == '4')
            {
                date = default;
                error = Messages.HourTwentyFour(text);
                return false;
            }

            // An instant on the first or last day there is may have its London date outside the dates
            // there are, by its offset and time of day: refused whole, a rule a schema's pattern can
            // state exactly (the tests schema's Since), where "outside once converted" it cannot.
            if (text.StartsWith("0001-01-01", StringComparison.Ordinal) || text.StartsWith("9999-12-31", StringComparison.Ordinal))
            {
                date = default;
                error = Messages.InstantOnTheFirstOrLastDay(text);
                return false;
            }

            try
            {
                var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text.ToString());
                if (parsed.Success)
                {
                    // Years 0001 to 9999, as for a plain date: an instant in year 0, or one whose London date falls there, is out of range.
                    date = ToLocalDate(parsed.Value.ToInstant());
                    error = parsed.Value.Year < 1 || date.Year < 1 ? Messages.DateOutOfRangeValue(text) : null;
                    date = error is null ? date : default;
                    return error is null;
                }
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
            {
                // NodaTime throws, rather than failing the parse, for an offset beyond +/-18:00 and
                // for an instant past the end of its range: a bad value, never a reason to stop.
                date = default;
                error = Messages.DateOutOfRangeValue(text);
                return false;
            }
        }

        date = default;
        error = Messages.BadStatusDate(text);
        return false;
    }

    /// <summary>Parses <c>yyyy-MM-dd</c> without allocating; false for anything else, including 2019-02-30.</summary>
    internal static bool TryParseIsoDate(ReadOnlySpan<char> text, out LocalDate date)
    {
        // Narrowed to bytes: a character that is not ASCII becomes 0xFF, which is no digit and no '-'.
        Span<byte> ascii = stackalloc byte[10];
        date = default;
        if (text.Length != ascii.Length)
        {
            return false;
        }

        for (var i = 0; i < ascii.Length; i++)
        {
            ascii[i] = text[i] <= 0x7F ? (byte)text[i] : (byte)0xFF;
        }

        return TryParseIsoDate(ascii, out date);
    }

    /// <summary>The length of a date written <c>yyyy-MM-dd</c>.</summary>
    internal const int IsoDateLength = 10;

    /// <summary>Parses <c>yyyy-MM-dd</c> from UTF-8 bytes (the inventory reader's fast path reads them as they are); false for anything else.</summary>
    internal static bool TryParseIsoDate(ReadOnlySpan<byte> text, out LocalDate date)
    {
        date = TryParseIsoDateKey(text, out var key) ? RetentionCalendar.FromDateKey(key) : default;
        return key != 0;
    }

    /// <summary>
    /// Parses <c>yyyy-MM-dd</c> from UTF-8 bytes straight to the date's <see cref="RetentionCalendar.DateKey(NodaTime.LocalDate)"/>
    /// (years 1 to 9999, a day the month has): the reader's fast path, which needs no <see cref="LocalDate"/>.
    /// </summary>
    /// <returns>False, with a key of 0, for anything else.</returns>
    internal static bool TryParseIsoDateKey(ReadOnlySpan<byte> text, out int key)
    {
        key = 0;
        if (text.Length != IsoDateLength)
        {
            return false;
        }

        // The first eight bytes as one word (byte i at bits 8i), the day's two as another: every
        // digit checked and read at once, once per inventory row.
        var word = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(text);
        var day = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(text[8..]);
        if ((word & ~DigitPlaces) != Separators || !AllDigits(word, DigitPlaces) || !AllDigits(day, 0xFFFF))
        {
            return false;
        }

        var digits = word & 0x0F0F0F0F0F0F0F0FUL;
        var year = (int)((digits & 0xFF) * 1000) + (int)(((digits >> 8) & 0xFF) * 100) + (int)(((digits >> 16) & 0xFF) * 10) + (int)((digits >> 24) & 0xFF);
        var month = (int)(((digits >> 40) & 0xFF) * 10) + (int)((digits >> 48) & 0xFF);
        var dayOfMonth = ((day & 0x0F) * 10) + ((day >> 8) & 0x0F);
        if (year < 1 || month is < 1 or > 12 || dayOfMonth < 1 || dayOfMonth > RetentionCalendar.DaysInIsoMonth(year, month))
        {
            return false;
        }

        key = RetentionCalendar.DateKey(year, month, dayOfMonth);
        return true;
    }

    // yyyy-MM-: the digits' bytes (0-3, 5, 6) and the separators between them (bytes 4 and 7).
    private const ulong DigitPlaces = 0x00FF_FF00_FFFF_FFFFUL;
    private const ulong Separators = ((ulong)'-' << 56) | ((ulong)'-' << 32);

    /// <summary>Whether every byte of <paramref name="word"/> under <paramref name="places"/> is '0' to '9': high nibble 3, and a low nibble that does not carry past 15 when 6 is added.</summary>
    private static bool AllDigits(ulong word, ulong places) =>
        (word & 0xF0F0F0F0F0F0F0F0UL & places) == (0x3030303030303030UL & places)
        && (((word & 0x0F0F0F0F0F0F0F0FUL) + 0x0606060606060606UL) & 0xF0F0F0F0F0F0F0F0UL & places) == 0;
}
