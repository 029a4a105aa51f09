using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Text;

namespace Smi.Retention;

/// <summary>Every message text the library shows a person, in one place, in the invariant culture; each says how to fix the problem.</summary>
/// <remarks>One partial file per area: devices, dates and evaluation here; rule expressions, policy files, and impact and hosting beside it.</remarks>
internal static partial class Messages
{
    private const string PeriodHint = "Write whole calendar months or years, from P1M to P100Y, e.g. P12M, P36M, P3Y or P1Y6M.";
    private const string IdExample = "88-73-84-57-00-2F-96-1E";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string BadDeviceId(ReadOnlySpan<char> text, int failedAt)
    {
        var shown = Untrusted.Show(text);
        var characters = Untrusted.Characters(text);
        if (characters != DeviceId.TextLength)
        {
            return F($"Device ID '{shown}' has {characters} characters; an EUI-64 has {DeviceId.TextLength}: 8 pairs of hex digits joined by '-', like {IdExample}.");
        }

        // Positions and the character shown are characters, not UTF-16 units: a character outside the BMP is one, shown whole.
        var position = failedAt;
        var at = characters == text.Length ? text.Slice(failedAt, 1).ToString() : "";
        if (characters != text.Length)
        {
            position = 0;
            foreach (var rune in text.EnumerateRunes())
            {
                var expected = position % 3 == 2 ? rune.Value == '-' : rune.IsAscii && char.IsAsciiHexDigit((char)rune.Value);
                if (!expected)
                {
                    at = rune.ToString();
                    break;
                }

                position++;
            }
        }

        return position % 3 == 2
            ? F($"Device ID '{shown}' has '{Untrusted.Show(at)}' at position {position + 1} where the separator '-' belongs; write 8 pairs of hex digits joined by '-', like {IdExample}.")
            : F($"Device ID '{shown}' has '{Untrusted.Show(at)}' at position {position + 1}, which is not a hex digit (0-9, A-F); write 8 pairs of hex digits joined by '-', like {IdExample}.");
    }

    public static string UnknownDeviceType(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' is not a device type; use one of {EnumNames<DeviceType>.List} (any case).");

    public static string UnknownSmiStatus(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' is not an SMI status; use one of {EnumNames<SmiStatus>.List} (any case).");

    public static string UnknownGeneration(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' is not a SMETS generation; use SMETS1 or SMETS2 (any case). A generation that is not known is left out.");

    public static string UndefinedGeneration(SmetsGeneration generation) =>
        F($"{(int)generation} is not a SMETS generation; use SMETS1, SMETS2 or Unknown.");

    public static string ModelTooLong(int length) =>
        F($"the device model is {length:N0} characters long, over the limit of {SmetsGenerations.MaxModelLength}; give the model as the SMI names it.");

    public static string ModelNotPrintable(string shown) =>
        F($"the device model '{shown}' is empty, has a space at either end, or holds a control, format, bidi, zero-width or combining character or a space other than the plain one; give the model as the SMI names it, in plain visible text.");

    public static string UndefinedDeviceType(DeviceType type) =>
        F($"{(int)type} is not a device type; use one of {EnumNames<DeviceType>.List}.");

    public static string UndefinedSmiStatus(SmiStatus status) =>
        F($"{(int)status} is not an SMI status; use one of {EnumNames<SmiStatus>.List}.");

    public static string StatusDoesNotFitType(DeviceType type, SmiStatus status) =>
        type.HasSmiStatus()
            ? F($"{type} devices have an SMI status, so it cannot be {status} (only Type 2 devices, IHD and CAD, have none); give the device's SMI status.")
            : F($"{type} devices are Type 2 devices with no SMI status, so the status must be NotApplicable, not {status}.");

    public static string HistoryDoesNotFitType(DeviceType type, SmiStatusSet history)
    {
        var misfits = SmiStatusSet.FromBitsUnchecked((ushort)(history.Bits & ~DeviceTypes.StatusesOf(type).Bits));
        return type.HasSmiStatus()
            ? F($"{type} devices have an SMI status, so they cannot have held {misfits} before (only Type 2 devices, IHD and CAD, have none); give the statuses the device held.")
            : F($"{type} devices are Type 2 devices with no SMI status, so they cannot have held {misfits} before; their history is empty.");
    }

    public static string HistoryOfTheCurrentStatusAlone(DeviceType type, SmiStatus status) =>
        type.HasSmiStatus()
            ? F($"the prior statuses are {status} alone, the current status: a run of {status} ends only in another status, so a device that held {status} before its current run held another status between them; list it, or leave {status} out if the current run is the only one.")
            : F($"{type} devices are Type 2 devices whose status never changes, so their history is empty, not {status}.");

    public static string NotIsoCalendar(LocalDate date) =>
        F($"The date {LocalDatePattern.Iso.Format(date)} is in the {date.Calendar.Id} calendar; SMI dates are ISO (Gregorian) calendar dates.");

    public static string BadStatusDate(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' is not a date: write a London date as yyyy-MM-dd (2019-11-07), or an ISO-8601 instant with Z or an offset (2019-11-06T23:30:00Z).");

    public static string HourTwentyFour(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text.ToString(), 64)}' gives the hour 24; write 00:00 of the next day.");

    public static string FolderUnresolved(string path, string reason) =>
        F($"The folder of {Untrusted.Show(path)} cannot be found as the kernel reads the path ({Untrusted.Show(reason, 300)}), so the files beside it cannot be told; give the path without '..'.");

    public static string NotAFolder(string folder, string what) =>
        F($"{Untrusted.Show(folder)} is {Untrusted.Show(what, 300)}, not a folder, so no folder can be made there; give a path through folders that exist or can be made.");

    public static string FolderNotMade(string folder, string reason) =>
        F($"The folder {Untrusted.Show(folder)} cannot be made ({Untrusted.Show(reason, 300)}); give a path in a folder this user may write to, or make the folder first.");

    public static string SyntheticTooEarly(LocalDate asOf, LocalDate earliest) =>
        F($"No inventory can be generated as of {LocalDatePattern.Iso.Format(asOf)}: its statuses go back up to ten years, before the calendar's first date (0001-01-01). Give a date from {LocalDatePattern.Iso.Format(earliest)}.");

    public static string InstantOnTheFirstOrLastDay(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' is an instant on 0001-01-01 or 9999-12-31, the first or last of the dates there are, whose London date its offset may put outside them; write the London date itself (yyyy-MM-dd).");

    public static string DateOutOfRangeValue(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' cannot be a status date: its offset is beyond +/-18:00, or the instant is outside the dates there are (0001-01-01 to 9999-12-31) once converted to London. Check the value.");

    public static string PeriodMissing() => "The retention period is missing. " + PeriodHint;

    public static string PeriodHasFraction(string text) =>
        F($"'{Untrusted.Show(text)}' has a fraction; a retention period is whole months or years. {PeriodHint}");

    public static string PeriodNotIso(string text) =>
        F($"'{Untrusted.Show(text)}' is not an ISO-8601 period. {PeriodHint}");

    public static string PeriodNotWholeMonths(string text) =>
        F($"'{Untrusted.Show(text)}' has weeks, days or a time part; a retention period counts calendar months only (12 months is not 365 days). {PeriodHint}");

    public static string PeriodNotPositive(string text) =>
        F($"'{Untrusted.Show(text)}' is not a positive period; a retention period is at least one month. {PeriodHint}");

    public static string PeriodTooLong(string text) =>
        F($"'{Untrusted.Show(text)}' is longer than 100 years. {PeriodHint}");

    // ---- Evaluation

    public const string Uninitialized =
        "The device record is uninitialised (default): it has no type. Build records with the DeviceRecord constructor.";

    public static string DeviceIdNotAString(string token) =>
        F($"A device id in JSON is a string, the EUI-64 such as \"{IdExample}\", not {token}.");

    public static string JsonDateNotIso(string calendar) =>
        F($"A date in JSON is in the ISO calendar, as every date of the library is; this one is in the {calendar} calendar.");

    /// <summary>Why a device is undetermined when its decision needs a fact its record lacks; made once for each combination.</summary>
    public static string LacksFact(bool generation, bool model) => LacksFactTexts[(generation ? 1 : 0) + (model ? 2 : 0)];

    private static readonly string[] LacksFactTexts =
    [
        "The decision depends on a fact the record lacks.",
        LackedFact("SMETS generation", "smets_generation", "as SMETS1 and as SMETS2"),
        LackedFact("device model", "device_model", "as each model the rules name and as any other model"),
        LackedFact("SMETS generation and device model", "smets_generation and device_model", "with each generation and model the rules tell apart"),
    ];

    private static string LackedFact(string fact, string column, string alike) =>
        $"The rules need this device's {fact}, which its record does not give ({column} missing or empty): {alike} it would not be decided alike, so it is neither retained nor removed. Record the {fact}, or write the rules so that this device's decision does not need it.";

    public static string SinceAfterAsOf(LocalDate since, LocalDate asOf) =>
        F($"The status applies from {Iso(since)}, after the as-of date {Iso(asOf)}: the record and the date disagree. Check the record's status date or the run's date.");

    public static string DateOutOfRange(string detail) =>
        F($"A due date falls outside the supported range of dates ({detail}). Check the record's status date.");

    public static string OutputTooShort(int outputs, int devices) =>
        F($"The decisions span holds {outputs} items but there are {devices} devices; give one decision slot per device.");

    public static string EvidenceNotTheDecision(DeviceId id, string policy) =>
        F($"The decision given is not what {Untrusted.Show(policy)} decides for device {id} on this date, so no evidence is made for it; pass the decision the evaluator returned for that device.");

    public static string EvidenceNotRemoval(RetentionAction action) =>
        F($"Evidence is for removals; this decision is {action}.");


    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
