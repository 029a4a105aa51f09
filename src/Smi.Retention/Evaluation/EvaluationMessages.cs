using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Smi.Retention;

/// <summary>Message texts about evaluation, in the invariant culture.</summary>
internal static class EvaluationMessages
{
    public const string Uninitialized =
        "The device record is uninitialised (default): it has no type. Build records with the DeviceRecord constructor.";

    public static string SinceAfterAsOf(LocalDate since, LocalDate asOf) =>
        F($"The status applies from {Iso(since)}, after the as-of date {Iso(asOf)}: the record and the date disagree. Check the record's status date or the run's date.");

    public static string DateOutOfRange(string detail) =>
        F($"A due date falls outside the supported range of dates ({detail}). Check the record's status date.");

    public static string OutputTooShort(int outputs, int devices) =>
        F($"The decisions span holds {outputs} items but there are {devices} devices; give one decision slot per device.");

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
