using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Smi.Retention;

/// <summary>Every message text the library shows a person, in one place, in the invariant culture.</summary>
internal static class Messages
{
    private const string PeriodHint = "Write whole calendar months or years, from P1M to P100Y, e.g. P12M, P36M, P3Y or P1Y6M.";
    private const string IdExample = "88-73-84-57-00-2F-96-1E";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string BadDeviceId(ReadOnlySpan<char> text, int failedAt)
    {
        var shown = text.ToString();
        if (failedAt == text.Length && text.Length != DeviceId.TextLength)
        {
            return F($"Device ID '{shown}' has {text.Length} characters; an EUI-64 has {DeviceId.TextLength}: 8 pairs of hex digits joined by '-', like {IdExample}.");
        }

        return failedAt % 3 == 2
            ? F($"Device ID '{shown}' has '{text[failedAt]}' at position {failedAt + 1} where the separator '-' belongs; write 8 pairs of hex digits joined by '-', like {IdExample}.")
            : F($"Device ID '{shown}' has '{text[failedAt]}' at position {failedAt + 1}, which is not a hex digit (0-9, A-F); write 8 pairs of hex digits joined by '-', like {IdExample}.");
    }

    public static string UnknownDeviceType(ReadOnlySpan<char> text) =>
        F($"'{text.ToString()}' is not a device type; use one of {EnumNames<DeviceType>.List} (any case).");

    public static string UnknownSmiStatus(ReadOnlySpan<char> text) =>
        F($"'{text.ToString()}' is not an SMI status; use one of {EnumNames<SmiStatus>.List} (any case).");

    public static string UndefinedDeviceType(DeviceType type) =>
        F($"{(int)type} is not a device type; use one of {EnumNames<DeviceType>.List}.");

    public static string UndefinedSmiStatus(SmiStatus status) =>
        F($"{(int)status} is not an SMI status; use one of {EnumNames<SmiStatus>.List}.");

    public static string StatusDoesNotFitType(DeviceType type, SmiStatus status) =>
        type.HasSmiStatus()
            ? F($"{type} devices have an SMI status, so it cannot be {status} (only Type 2 devices, IHD and CAD, have none); give the device's SMI status.")
            : F($"{type} devices are Type 2 devices with no SMI status, so the status must be NotApplicable, not {status}.");

    public static string NotIsoCalendar(LocalDate date) =>
        F($"The date {LocalDatePattern.Iso.Format(date)} is in the {date.Calendar.Id} calendar; SMI dates are ISO (Gregorian) calendar dates.");

    public static string PeriodMissing() => "The retention period is missing. " + PeriodHint;

    public static string PeriodHasFraction(string text) =>
        F($"'{text}' has a fraction; a retention period is whole months or years. {PeriodHint}");

    public static string PeriodNotIso(string text) =>
        F($"'{text}' is not an ISO-8601 period. {PeriodHint}");

    public static string PeriodNotWholeMonths(string text) =>
        F($"'{text}' has weeks, days or a time part; a retention period counts calendar months only (12 months is not 365 days). {PeriodHint}");

    public static string PeriodNotPositive(string text) =>
        F($"'{text}' is not a positive period; a retention period is at least one month. {PeriodHint}");

    public static string PeriodTooLong(string text) =>
        F($"'{text}' is longer than 100 years. {PeriodHint}");
}
