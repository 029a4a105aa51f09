using System.Globalization;
using NodaTime;
using Smi.Retention.Text;

namespace Smi.Retention;

/// <summary>Messages of the inventory reader: the header, each rejected line, and inputs that cannot be read.</summary>
internal static partial class Messages
{
    public static string AfterAsOf(LocalDate since, LocalDate asOf) =>
        F($"status_since {Iso(since)} is after the as-of date {Iso(asOf)} (the date the decisions are for); check the row or the date given.");

    public static string StreamNotReadable(string source) =>
        F($"The stream for {Untrusted.Show(source)} cannot be read (it is write-only or disposed); give a readable stream.");

    public static string CorruptGzip(string source, string detail) =>
        F($"{Untrusted.Show(source)} starts as a gzip file but cannot be decompressed ({Untrusted.Show(detail, 1000)}); check the export, or give the plain CSV.");

    public static string DuplicateColumn(string source, string name, int first, int second) =>
        F($"{Untrusted.Show(source)} names the column {name} twice (columns {first} and {second}); keep one, so that it is clear which holds the value.");

    public static string EmptyLine() => "the line is empty; remove it.";

    public static string EmptyValue(string column) =>
        F($"{column} is empty; give a value.");

    public static string HeaderHasCarriageReturn(string source) =>
        F($"The first line of {Untrusted.Show(source)} holds a carriage return (CR) inside it: its lines seem to end with CR alone. Save the inventory with LF or CRLF line ends.");

    public static string HeaderNotUtf8(string source, int at) =>
        F($"The header of {Untrusted.Show(source)} is not UTF-8 text (byte {at} of the line); save the inventory as UTF-8 CSV.");

    public static string HeaderQuoteError(string source, Inventory.CsvLineError error) =>
        F($"The header of {Untrusted.Show(source)} is not valid CSV: {Quote(error, "column " + (error.Field + 1).ToString(CultureInfo.InvariantCulture))}");

    public static string HeaderTooLong(string source) =>
        F($"{Untrusted.Show(source)} does not start with a header line: its first line is longer than {Inventory.LineReader.MaxLineBytes:N0} bytes. Check it is an inventory CSV, whose header is {Inventory.InventoryColumns.Header}.");

    public static string PipeNeverEnds(string source) =>
        F($"{Untrusted.Show(source, 300)} can never end: it is a pipe whose writing end this process holds too (so it is when standard input was closed as the process started, or when a pipe's writing end was passed to the process), so reading it would wait for ever. Give the inventory as a file, or as a pipe that another process writes and closes.");

    public static string InventoryEmpty() =>
        "The inventory's path is empty; give the inventory CSV file, or - for standard input.";

    public static string ListedMoreThanOnce(DeviceId id) =>
        F($"device_id {id} appears in more than one row of the inventory (as a device_id, or anywhere in a rejected row); which of them is right cannot be told, so none of them is decided. List each device once, and correct the rejected rows.");

    public static string RejectNamesTooMany(long line, int kept) =>
        F($"Line {line:N0}, a reject, holds more than {kept:N0} runs of 16 hex digits, each of which may be a device it lists: which devices it lists cannot be told, so none may be decided. Remove the line or correct it.");

    public static string AnalysisRepeated(int devices, IEnumerable<DeviceId> some) =>
        F($"{devices:N0} device{(devices == 1 ? " is" : "s are")} listed more than once ({string.Join(", ", some)}{(devices > 3 ? ", ..." : "")}); which of their rows is right cannot be told, so the analysis would count them wrongly and is refused. List each device once (the tool's commands and HousekeepingService reject every row of such a device, and of one whose other row is rejected).");

    public static string DevicesEnumeratedTwice() =>
        "The devices of an inventory analysis can be enumerated once: they are read from the inventory as they are enumerated, and that reading is taken. Enumerate them once (keep them, e.g. with ToList, when the analysis needs them twice).";

    public static string AnalysisStoppedEarly(string source) =>
        F($"The analysis of {Untrusted.Show(source, 300)} returned before it had enumerated every device (it stopped early, or returned a lazy query or a task that enumerates later): whether the file read is the one checked cannot be told until its last row, so its result is refused. Enumerate every device before returning.");

    public static string AnalysisInventoryChanged(string source, string difference) =>
        F($"The analysis of {Untrusted.Show(source, 300)} is refused: the file changed between or during its two readings ({difference}), so the devices analysed are not one inventory. Drop whatever the analysis produced, and run it again on a complete file that nothing is writing.");

    public static string AnalysisNeedsAFile(string source) =>
        F($"{Untrusted.Show(source, 300)} is not a file that can be read twice (standard input, a pipe or a device): an inventory analysis reads it once to find the devices listed more than once, and again for the analysis. Give the inventory as a file.");

    public static string SpillFailed(string path, string detail) =>
        F($"The device ids checked for repeats could not be kept in the temporary file {Untrusted.Show(path)}: {Untrusted.Show(detail.Trim().TrimEnd('.'), 500)}. Beyond 16 million devices they are kept on disk, about 8 bytes a row; set TMPDIR to a folder with room.");

    public static string SizeChanged(long before, long after) =>
        before == after ? "its length changed while it was read" : F($"its length changed from {before:N0} to {after:N0} bytes");

    public static string ReaderAsOfDiffers(string source, LocalDate opened, LocalDate run) =>
        F($"The inventory reader of {Untrusted.Show(source, 300)} was opened as of {Iso(opened)}, but the run is as of {Iso(run)}: its rows would be checked against one date and decided on the other. Open the reader with the run's date, or with none (the run's is then taken).");

    public static string InventoryChanged(string source, string difference) =>
        F($"Refused: the inventory {Untrusted.Show(source, 300)} changed while it was read ({difference}); an export still being written, or a file replaced, would have some devices decided twice and others not at all. Run again on a complete file that nothing is writing.");

    public static string InventorySwapped(string source) =>
        F($"Refused: {Untrusted.Show(source, 300)} was replaced between its check and its opening; run again on a file that nothing is changing.");

    public static string CutOff(string? problem) =>
        "the last line has no line end, so the input may be cut off (an export or a stream stopped part-way would lose the end of this row); end the file with a line end once it is complete"
        + (problem is null ? "." : "; and " + problem);

    public static string HeaderCutOff(string source) =>
        F($"{Untrusted.Show(source, 300)}: the header is the whole input and has no line end, so the input may be cut off before its first row; end the file with a line end once it is complete.");

    public static string LineTooLong(long length) =>
        F($"the line is {length:N0} bytes long, over the limit of {Inventory.LineReader.MaxLineBytes:N0}; a row of the inventory is one short line.");

    public static string MissingColumns(string source, string[] missing, IReadOnlyList<string> found) =>
        F($"{Untrusted.Show(source)} has no column{(missing.Length == 1 ? "" : "s")} {string.Join(", ", missing)}; the header has {Names(found)}. Name the columns {Inventory.InventoryColumns.Header} (any order; {string.Join(", ", Inventory.InventoryColumns.Optional)} are optional; extra columns are ignored).");

    /// <summary>The header's names, at most 12 of them, each cut to 40 characters: a header can be anything.</summary>
    private static string Names(IReadOnlyList<string> found) =>
        found.Count == 0 ? "no names"
        : string.Join(", ", found.Take(12).Select(n => Untrusted.Show(n, 40))) + (found.Count > 12 ? F($" and {found.Count - 12:N0} more") : "");

    public static string NoHeader(string source) =>
        F($"{Untrusted.Show(source)} is empty: an inventory CSV starts with a header line naming its columns, at least {Inventory.InventoryColumns.Header}.");

    public static string NotAnInventory(string path, string kind) =>
        F($"{Untrusted.Show(path)} is {kind}; give the inventory CSV file, or - for standard input.");

    public static string NotUtf8(int at) =>
        F($"the line is not UTF-8 text (byte {at} of the line); save the inventory as UTF-8 CSV.");

    public static string PartyNotPrintable(string shown) =>
        F($"notifying_party '{shown}' holds control, format, bidi or zero-width characters; write the Service User's name in plain visible text.");

    public static string BadGeneration(string shown) =>
        F($"smets_generation '{shown}' is not a SMETS generation; write SMETS1 or SMETS2 (any case), or leave it empty when it is not known.");

    public static string BadModel(string error) => "device_model: " + error;

    public static string QuoteError(Inventory.CsvLineError error, string column) => Quote(error, column);

    public static string TooFewColumns(int count, int needed) =>
        F($"the row has {count} value{(count == 1 ? "" : "s")} but the header needs at least {needed}; give every column a value (empty for no prior statuses).");

    public static string HistorySpilled(string column, string value) =>
        F($"{column} holds '{value}', which reads as statuses, in the column after prior_statuses: a history written with ',' between its statuses spills into it, and the row cannot be told from one; separate prior statuses with ';'.");

    public static string TooManyValues(int count, int columns) =>
        F($"the row has {count} values but the header names {columns} columns; a value holding a comma must be in quotes (prior statuses are separated by ';').");

    public static string Unreadable(string path, string detail) =>
        F($"Cannot read {Untrusted.Show(path)}: {Untrusted.Show(detail, 300)}");

    private static string Quote(Inventory.CsvLineError error, string column) => error.Problem switch
    {
        Inventory.CsvLineProblem.Unterminated =>
            F($"the quoted value in {column} (character {error.Position + 1}) does not close before the line ends; close it with a quote, or double a quote inside it (\"\"). A record is one line."),
        Inventory.CsvLineProblem.AfterClosingQuote =>
            F($"the quoted value in {column} is followed by other characters (character {error.Position + 1}) before the next comma; put the whole value inside the quotes."),
        _ =>
            F($"a quote appears inside the unquoted value in {column} (character {error.Position + 1}); quote the whole value and double the quote inside it (\"\")."),
    };
}
