using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Hosting;
using Smi.Retention.Safety;

namespace Smi.Retention.Cli;

/// <summary>Every message text of the tool, in the invariant culture; each says how to fix the problem.</summary>
internal static class CliMessages
{
    public static string NoHeader(string source) =>
        F($"{Untrusted.Show(source)} is empty: an inventory CSV starts with a header line naming its columns, at least {Inventory.InventoryColumns.Header}.");

    public static string MissingColumns(string source, string[] missing, IReadOnlyList<string> found) =>
        F($"{Untrusted.Show(source)} has no column{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing)}; the header has {Names(found)}. Name the columns {Inventory.InventoryColumns.Header} (any order; notifying_party is optional; extra columns are ignored).");

    /// <summary>The header's names, at most 12 of them, each cut to 40 characters: a header can be anything.</summary>
    private static string Names(IReadOnlyList<string> found) =>
        found.Count == 0 ? "no names"
        : string.Join(", ", found.Take(12).Select(n => Untrusted.Show(n, 40))) + (found.Count > 12 ? F($" and {found.Count - 12:N0} more") : "");

    public static string Unreadable(string path, string detail) =>
        F($"Cannot read {Untrusted.Show(path)}: {Untrusted.Show(detail, 300)}");

    public static string OutputIsAnotherFile(string option, string path, string otherOption, string otherPath) =>
        F($"{option} {Untrusted.Show(path)} is the same file as {otherOption} {Untrusted.Show(otherPath)}; writing it would destroy that file. Give {option} a path of its own.");

    public static string OutputEmpty(string option) =>
        F($"{option} is empty; give the path of a file to write (or - for standard output).");

    public static string TwoOutputsToStandardOutput(string first, string second) =>
        F($"{first} and {second} both write to standard output, where their rows would mix; send one of them to a file.");

    public static string OutputIsStandardError(string option, string path) =>
        F($"{option} {Untrusted.Show(path)} is standard error, where the tool writes its messages; give a file, or - for standard output.");

    public static string WaitingForReader(string option, string path) =>
        F($"Waiting for a reader of the pipe {Untrusted.Show(path)} ({option}); the run is complete and its output is written when one opens it.");

    public static string PolicyEmpty(string option) =>
        F($"{option} is empty; give a built-in policy name (see 'policies') or the path of a policy JSON file.");

    public static string InventoryEmpty() =>
        "--inventory is empty; give the inventory CSV file, or - for standard input.";

    public static string HeaderHasCarriageReturn(string source) =>
        F($"The first line of {Untrusted.Show(source)} holds a carriage return (CR) inside it: its lines seem to end with CR alone. Save the inventory with LF or CRLF line ends.");

    public static string OutputIsNot(string option, string path, string kind) =>
        F($"{option} {Untrusted.Show(path)} is {kind}; give the path of a file to write (or - for standard output).");

    public static string OutputIsALink(string option, string path) =>
        F($"{option} {Untrusted.Show(path)} is a symbolic link; the output would replace the link, not the file it points to. Give the path of the file itself.");

    public static string OutputFolderMissing(string option, string path) =>
        F($"{option} {Untrusted.Show(path)}: its folder does not exist; create the folder first or give another path.");

    public static string CannotWriteOutput(string option, string path, string detail) =>
        F($"{option} {Untrusted.Show(path)} cannot be written: {Untrusted.Show(detail, 300)} Nothing was written.");

    public static string InputOutputFailed(string detail) =>
        F($"smi-retention stopped on an input or output error: {Untrusted.Show(detail, 500)} Every output is complete or absent: none is left half-written.");

    public static string CommitFailed(string option, string path, string detail, IReadOnlyList<string> committed) =>
        F($"{option} {Untrusted.Show(path)} could not be written: {Untrusted.Show(detail, 300)}. {(committed.Count == 0 ? "No output was written." : string.Join(" and ", committed) + " " + (committed.Count == 1 ? "was" : "were") + " written before it; the others were not.")}");

    public static string StreamIsAnInput(string stream, string option, string path) =>
        F($"{stream} is the same file as {option} {Untrusted.Show(path)}: what the tool prints would be written into it. Redirect {stream} elsewhere.");

    public static string Interrupted() =>
        "Interrupted: the run was stopped before it finished. No output was written, and no temporary file is left behind.";

    public static string InternalError(Exception e) =>
        F($"smi-retention stopped on an internal error: {e.GetType().Name}: {Untrusted.Show(e.Message, 300)} No output was written. This is a bug in the tool, not in your input; please report it with the command line. Set SMI_RETENTION_DEBUG=1 to print the stack trace.");

    public static string NotAnInventory(string path, string kind) =>
        F($"{Untrusted.Show(path)} is {kind}; give the inventory CSV file, or - for standard input.");

    public static string HeaderTooLong(string source) =>
        F($"{Untrusted.Show(source)} does not start with a header line: its first line is longer than {Inventory.LineReader.MaxLineBytes:N0} bytes. Check it is an inventory CSV, whose header is {Inventory.InventoryColumns.Header}.");

    public static string HeaderNotUtf8(string source, int at) =>
        F($"The header of {Untrusted.Show(source)} is not UTF-8 text (byte {at} of the line); save the inventory as UTF-8 CSV.");

    public static string HeaderQuoteError(string source, Inventory.CsvLineError error) =>
        F($"The header of {Untrusted.Show(source)} is not valid CSV: {Quote(error, "column " + (error.Field + 1).ToString(CultureInfo.InvariantCulture))}");

    public static string DuplicateColumn(string source, string name, int first, int second) =>
        F($"{Untrusted.Show(source)} names the column {name} twice (columns {first} and {second}); keep one, so that it is clear which holds the value.");

    public static string LineTooLong(long length) =>
        F($"the line is {length:N0} bytes long, over the limit of {Inventory.LineReader.MaxLineBytes:N0}; a row of the inventory is one short line.");

    public static string EmptyLine() => "the line is empty; remove it.";

    public static string NotUtf8(int at) =>
        F($"the line is not UTF-8 text (byte {at} of the line); save the inventory as UTF-8 CSV.");

    public static string QuoteError(Inventory.CsvLineError error, string column) => Quote(error, column);

    public static string PartyNotPrintable(string shown) =>
        F($"notifying_party '{shown}' holds control, format, bidi or zero-width characters; write the Service User's name in plain visible text.");

    private static string Quote(Inventory.CsvLineError error, string column) => error.Problem switch
    {
        Inventory.CsvLineProblem.Unterminated =>
            F($"the quoted value in {column} (character {error.Position + 1}) does not close before the line ends; close it with a quote, or double a quote inside it (\"\"). A record is one line."),
        Inventory.CsvLineProblem.AfterClosingQuote =>
            F($"the quoted value in {column} is followed by other characters (character {error.Position + 1}) before the next comma; put the whole value inside the quotes."),
        _ =>
            F($"a quote appears inside the unquoted value in {column} (character {error.Position + 1}); quote the whole value and double the quote inside it (\"\")."),
    };

    public static string TooFewColumns(int count, int needed) =>
        F($"the row has {count} value{(count == 1 ? "" : "s")} but the header needs at least {needed}; give every column a value (empty for no prior statuses).");

    public static string EmptyValue(string column) =>
        F($"{column} is empty; give a value.");

    public static string AfterAsOf(LocalDate since, LocalDate asOf) =>
        F($"status_since {Iso(since)} is after the as-of date {Iso(asOf)}; check the row or the run's --as-of.");

    public static string ListedMoreThanOnce(DeviceId id) =>
        F($"device_id {id} appears on more than one line; which of its rows is right cannot be told, so none of them is decided. List each device once.");

    public static string DuplicatesNotRereadable(int devices, string source) =>
        F($"Refused: {devices:N0} device{(devices == 1 ? " is" : "s are")} listed more than once in {Untrusted.Show(source)}, and every row of them must be rejected, which needs a second reading; {Untrusted.Show(source)} cannot be read twice. Give the inventory as a file. Nothing was written.");

    public static string DeviceListedMoreThanOnce(string id, IEnumerable<int> lines) =>
        F($"Device {id} appears on lines {string.Join(", ", lines)}; which row is right cannot be told, so no policy decides it. List each device once.");

    public static string TooManyValues(int count, int columns) =>
        F($"the row has {count} values but the header names {columns} columns; a value holding a comma must be in quotes (prior statuses are separated by ';').");

    public static string BadDate(string option, string text) =>
        F($"{option} '{Untrusted.Show(text)}' is not a date; write a London date as yyyy-MM-dd, e.g. 2019-11-07.");

    public static string BadBoundary(string text) =>
        F($"--boundary '{Untrusted.Show(text)}' is not a boundary; use 'on' (removable on the corresponding date) or 'after' (from the day after).");

    public static string Refused(long removals, long decided, BlastRadiusLimits limits, BlastRadiusLimit exceeded)
    {
        var percent = limits.FractionInForce * 100;
        var (limit, remedy) = exceeded switch
        {
            BlastRadiusLimit.Count => (F($"{limits.MaxRemovals:N0} devices (--max-removals)"), F($"give --max-removals {removals} or more")),
            _ when limits.IsDefault => (F($"{percent:0.########}% (--max-removal-percent, the default)"), F($"give --max-removals {removals} (which replaces the default percentage) or a higher --max-removal-percent")),
            _ => (F($"{percent:0.########}% (--max-removal-percent)"), "give a higher --max-removal-percent" + (limits.MaxRemovals is null ? F($", or --max-removals {removals} in its place") : "")),
        };
        return F($"Refused: the run would remove {removals:N0} of {decided:N0} devices decided, over the limit of {limit}. Nothing was written. Check the policy and the inventory; if the count is expected, {remedy}.");
    }

    public static string TooManyRejects(long rejected, long read, decimal percent, bool isDefault, string? rejectsPath) =>
        F($"Refused: {rejected:N0} of {read:N0} rows were rejected ({(double)rejected / read:P1}), over the limit of {percent:0.###}% (--max-reject-percent{(isDefault ? ", the default" : "")}). No decisions were written; {(rejectsPath is null ? "the first rejects are shown above (use --rejects <csv> for all)" : "the rejects are in " + Untrusted.Show(rejectsPath))}. Fix the inventory, or raise --max-reject-percent if the rejects are expected.");

    public static string BadCount(string option, string text) =>
        F($"{option} '{Untrusted.Show(text)}' is not a count; write a whole number of devices with digits only, e.g. 1200.");

    public static string BadPercent(string option, string text) =>
        F($"{option} '{Untrusted.Show(text)}' is not a percentage; write a number from 0 to 100 with digits and a '.' for decimals (at most {Commands.CommonOptions.MaxPercentDecimals}), e.g. 4.9 (never a comma).");

    public static string JsonWantsStandardOutput() =>
        "--format json writes its document to standard output, so no other output can go there; give --out, --rejects or --html a file.";

    public static string BadFormat(string? text) =>
        F($"--format: '{Untrusted.Show(text)}' is not an output format; use text (the default) or json.");

    public static string StrictWarnings(int count) =>
        F($"--strict: {count} warning{(count == 1 ? "" : "s")}, so the policy is not accepted; change the policy so each warning goes, or run without --strict.");

    public static string CorruptGzip(string source, string detail) =>
        F($"{Untrusted.Show(source)} starts as a gzip file but cannot be decompressed ({Untrusted.Show(detail)}); check the export, or give the plain CSV.");

    public static string TestsFileEmpty() =>
        "A tests file's path is empty; give the path of a policy tests JSON file, e.g. policies/my-policy.tests.json.";

    public static string UnknownTestOption(string option, string? suggestion) =>
        F($"'{Untrusted.Show(option)}' is not an option of test{(suggestion is null ? "" : $"; did you mean {suggestion}")}? Its options are --policy, --junit and --format; every other argument is a tests file.");

    public static string TestsPolicyUnreadable(string tests, string detail) =>
        F($"{Untrusted.Show(tests)}: its \"Policy\" cannot be read: {detail}");

    public static string ExplainWhichDevice() =>
        "Say which device to explain: either --inventory <csv> with --device-id <EUI-64>, or a device described with --type, --status and --since (and --prior), e.g. --type GSME --status Pending --since 2018-02-28 --prior Commissioned.";

    public static string ExplainIncompleteDevice() =>
        "A described device needs --type, --status and --since (and optionally --prior), e.g. --type GSME --status Pending --since 2018-02-28.";

    public static string DeviceNotFound(string id, string path) =>
        F($"Device {id} is not in {Untrusted.Show(path)}; check the id (8 pairs of hex digits joined by '-').");

    public static string DeviceRejected(string id, int line, string error) =>
        F($"Device {id} on line {line} is not a valid record, so no policy decides it: {error}");

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
