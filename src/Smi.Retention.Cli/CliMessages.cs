using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Smi.Retention.Cli;

/// <summary>Every message text of the tool, in the invariant culture; each says how to fix the problem.</summary>
internal static class CliMessages
{
    public static string NoHeader(string source) =>
        F($"{source} is empty: an inventory CSV starts with a header line naming its columns, at least {Inventory.InventoryColumns.Header}.");

    public static string MissingColumns(string source, string[] missing, IReadOnlyList<string> found) =>
        F($"{source} has no column{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing)}; the header has {(found.Count == 0 ? "no names" : string.Join(", ", found))}. Name the columns {Inventory.InventoryColumns.Header} (any order; notifying_party is optional; extra columns are ignored).");

    public static string Unreadable(string path, string detail) =>
        F($"Cannot read {path}: {detail}");

    public static string TooFewColumns(int count, int needed) =>
        F($"the row has {count} value{(count == 1 ? "" : "s")} but the header needs at least {needed}; give every column a value (empty for no prior statuses).");

    public static string EmptyValue(string column) =>
        F($"{column} is empty; give a value.");

    public static string AfterAsOf(LocalDate since, LocalDate asOf) =>
        F($"status_since {Iso(since)} is after the as-of date {Iso(asOf)}; check the row or the run's --as-of.");

    public static string Duplicate(DeviceId id) =>
        F($"device_id {id} appears on an earlier line; each device is listed once.");

    public static string BadDate(string option, string text) =>
        F($"{option} '{text}' is not a date; write a London date as yyyy-MM-dd, e.g. 2019-11-07.");

    public static string BadBoundary(string text) =>
        F($"--boundary '{text}' is not a boundary; use 'on' (removable on the corresponding date) or 'after' (from the day after).");

    public static string Refused(long removals, long decided, string limit) =>
        F($"Refused: the run would remove {removals:N0} of {decided:N0} devices, over the limit of {limit}. Nothing was written. Check the policy and the inventory; if the count is expected, raise --max-removals or --max-removal-percent.");

    public static string DeviceNotFound(string id, string path) =>
        F($"Device {id} is not in {path}; check the id (8 pairs of hex digits joined by '-').");

    public static string DeviceRejected(string id, int line, string error) =>
        F($"Device {id} on line {line} is not a valid record, so no policy decides it: {error}");

    public static string PolicyNotFound(string message) => message;

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
