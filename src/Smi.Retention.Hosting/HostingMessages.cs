using System.Globalization;
using Smi.Retention.Evaluation;
using Smi.Retention.Policies;
using Smi.Retention.Text;

namespace Smi.Retention.Hosting;

/// <summary>Every message text the host shows a person (options, configuration, the ledger and the blast-radius guard), in one place, in the invariant culture.</summary>
internal static class HostingMessages
{
    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>How a warning over the records handed to <c>Run</c> or <c>RunAsync</c> names them (a file is named by its path).</summary>
    public const string RecordsHandedOver = "the inventory handed to the run";

    public static string NoClock() =>
        "No NodaTime IClock is registered: register NodaTime's system clock as IClock in the host (a FakeClock in tests); housekeeping never reads the wall clock itself.";

    public static string OptionPolicyMissing(string section) =>
        F($"{section}:Policy is not set; give a built-in policy name ({string.Join(", ", PolicyCatalog.BuiltInNames)}) or the path of a policy JSON file. There is no default: a policy removes devices, so it is always named.");

    public static string OptionPolicyInvalid(string section, string problems) =>
        F($"{section}:Policy: {problems}");

    public static string ReaderAlreadyRead(string source) =>
        F($"The inventory reader of {Untrusted.Show(source, 300)} has had rows read already (or is spent or disposed): a run must read every row, or a device listed twice could have one of its rows decided. Open a new reader for the run.");

    public static string LedgerLinkLoop(string path) =>
        F($"The housekeeping ledger {Untrusted.Show(path, 300)} is a chain of more than 40 links (a loop?); point it at a file.");

    public static string LedgerFolderMissing(string path, string folder) =>
        F($"The housekeeping ledger {Untrusted.Show(path, 300)} cannot be written: its folder {Untrusted.Show(folder, 300)} does not exist (a volume not mounted?). Scheduled runs stop until it does, since a date could otherwise be handed over twice.");

    public static string LedgerNotAFile(string path, string kind) =>
        F($"The housekeeping ledger {Untrusted.Show(path, 300)} is {kind}, not a regular file; point LedgerFile at a file.");

    public static string LedgerUnreadable(string path, int line) =>
        F($"The housekeeping ledger {Untrusted.Show(path, 300)} cannot be read: line {line} is not a date (yyyy-MM-dd). Scheduled runs stop until it is fixed or removed, since a date could otherwise be handed over twice.");

    public static string NotASectionPath(string section) =>
        F($"'{Untrusted.Show(section, 300)}' is not a configuration section path: write it as keys joined by ':' (e.g. Dsp:Housekeeping), with no empty key and no spaces around it.");

    public static string AddedWithAnotherSection(string bound, string named) =>
        F($"AddSmiRetention was called before with the configuration section '{Untrusted.Show(bound, 300)}', and now with '{Untrusted.Show(named, 300)}': one section is bound, so this one would be ignored. Name the same section in every call, or call it once.");

    public static string ConfigurationFileBrokenAtStart(string file, string reason) =>
        F($"The configuration file {Untrusted.Show(file, 300)} could not be read as the host started ({Untrusted.Show(reason, 500)}): it changed after the host was built, and what it gave (housekeeping settings among it, if it gave any) can no longer be read, so the start is refused rather than made without it. Fix or restore it, then start the host again.");

    public const string RequiredFileGone = "it is not there, and it is not optional";

    public const string ChangedDuringTheStart = "it changed again while the start read it, and its load failed or gave other values";

    public static string ConfigurationFileNotRegular(string kind) =>
        F($"it is {kind}, not a regular file");

    public static string ConfigurationFileBroken(string file, string reason) =>
        F($"The configuration file {Untrusted.Show(file, 300)} could not be read when it changed ({Untrusted.Show(reason, 500)}); fix or restore it.");

    public static string OptionPolicyUnreadable(string section, string policy, string detail) =>
        F($"{section}:Policy '{Untrusted.Show(policy)}' cannot be loaded: {Untrusted.Show(detail, 300)}");

    public static string OptionBoundary(string section, BoundaryMode boundary) =>
        F($"{section}:Boundary '{boundary}' is not a boundary mode; use OnCorrespondingDate or AfterCorrespondingDate.");

    public static string OptionTimeZone(string section, string? zone) =>
        F($"{section}:TimeZoneId '{Untrusted.Show(zone)}' is not a tzdb time zone id; use Europe/London (the SMI's zone) or another tzdb id.");

    public static string OptionAlert(string section, string code) =>
        F($"{section}:AlertCode '{Untrusted.Show(code)}' is not an alert code; write a DCC alert code such as N8 (a capital letter then up to 7 letters or digits), or leave it empty for none.");

    public static string OptionMaxRemovals(string section, long value) =>
        F($"{section}:MaxRemovals {value} is negative; give a number of devices, 0 or more, or leave it out for no count limit.");

    public static string OptionMaxFraction(string section, decimal value) =>
        F($"{section}:MaxRemovalFraction {value} is not a fraction; give a number from 0 to 1 with at most {BlastRadiusLimits.MaxFractionDecimals} decimal places (0.05 is 5% of the devices decided).");

    public static string OptionUnknownKey(string section, string key, string? suggestion, string[] settings) =>
        F($"{section}:{(key.Trim() == key ? Untrusted.Show(key) : "'" + Untrusted.Show(key) + "'")} is not a setting{(suggestion is null ? "." : F($"; did you mean {section}:{suggestion}?"))} The settings are {string.Join(", ", settings)}; an unknown key is refused because the value meant for another setting would otherwise be ignored.");

    public static string OptionSetTwice(string section, string setting, string configured, object? inCode) =>
        F($"{section}:{setting} is '{Untrusted.Show(configured)}' in the configuration but '{Untrusted.Show(Convert.ToString(inCode, CultureInfo.InvariantCulture) ?? "")}' in code (AddSmiRetention's options), which overrides it; set it in one place, so that an edit of the configuration takes effect.");

    public static string OptionSectionRemoved(string section) =>
        F($"The {section} section has been removed from the configuration; the settings it held would fall back to their defaults. Restore it (the last good settings stay in force until then).");

    /// <summary>A configuration key as written, in quotes when white space at an end would not show.</summary>
    private static string Key(string key) => key.Trim() == key ? Untrusted.Show(key) : "'" + Untrusted.Show(key) + "'";

    public static string OptionMisplaced(string section, string key, string setting, bool sectionExists) =>
        F($"The configuration has {(sectionExists ? F($"{Key(key)} beside the {section} section") : F($"no {section} section but has {Key(key)}"))}; did you mean {section}:{setting}? It is not read under that name{(sectionExists ? F($", and {section}'s own {setting} or its default would apply in its place") : "")}. Rename it (an environment variable writes ':' as '__').");

    public static string OptionSectionIsAValue(string section) =>
        F($"{section} holds a single value; it must be a section of settings, e.g. {section}:Policy.");

    public static string OptionNotAValue(string section, string setting) =>
        F($"{section}:{setting} holds a section, not a value; give it one value.");

    public static string OptionEmpty(string section, string setting) =>
        F($"{section}:{setting} is empty (an unset template or environment variable?); give it a value, or remove the key to leave it unset.");

    public static string OptionBadValue(string section, string setting, string value, Type type) =>
        F($"{section}:{setting} '{Untrusted.Show(value)}' is not {Expected(Nullable.GetUnderlyingType(type) ?? type)}.");

    private static string Expected(Type type) =>
        type == typeof(long) ? "a whole number (digits only, no separators)"
        : type == typeof(decimal) ? F($"a number (digits with '.' and at most {BlastRadiusLimits.MaxFractionDecimals} decimals, e.g. 0.05)")
        : type == typeof(BoundaryMode) ? "on or after (the tool's words), or OnCorrespondingDate or AfterCorrespondingDate"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type))
        : "a value of type " + type.Name;

    public const string FailedReadingInventory = "the inventory could not be read";

    public const string FailedInProgressHandler = "the caller's progress handler (HousekeepingRunOptions.Progress) threw";

    public const string FailedOtherwise = "the records handed over or the run failed";

    public static string StatedUnreadable(string section, string setting, string value) =>
        F($" (The configuration's {section}:{setting} is '{Untrusted.Show(value)}', which cannot be read: while its edit stands rejected, a run is held to it as 0, no removal.)");

    public static string StatedMisplaced(string key, string section, string setting) =>
        F($" (That limit is {Key(key)}'s, which the configuration has outside the {section} section, where it is not read as {section}:{setting}: while the configuration stands rejected, a run is held to it as well; one that cannot be read holds as 0.)");

    public static string StatedUnbuildable(string section, string reason) =>
        F($" (The {section} options cannot be built from the configuration as it stands ({Untrusted.Show(reason, 300)}): while its edit stands rejected, a run is held to no removal.)");

    public static string StatedWhileRejected() =>
        F($" (That limit is the configuration's as it stands now: its edit is rejected, so the policy and settings in force are the last good ones, but a run is held to the limits it states as well.)");

    public static string GuardRefused(string section, long removals, long decided, BlastRadiusLimits limits, BlastRadiusLimit exceeded, long? acknowledged)
    {
        var limit = exceeded == BlastRadiusLimit.Count
            ? F($"{limits.MaxRemovals:N0} devices ({section}:MaxRemovals)")
            : F($"{limits.FractionInForce * 100:0.##########}% of the devices decided ({section}:MaxRemovalFraction {(limits.IsDefault ? "not set, so the default " + BlastRadiusLimits.DefaultMaxRemovalFraction.ToString(CultureInfo.InvariantCulture) : limits.FractionInForce?.ToString(CultureInfo.InvariantCulture))})");
        var share = decided == 0 ? 0 : (double)removals / decided;
        var ack = acknowledged is { } a ? F($" The acknowledged count was {a:N0}, which does not match.") : "";
        return F($"Refused: the run would remove {removals:N0} of {decided:N0} devices decided ({share:P1}), over the limit of {limit}. No removal was released.{ack} If the count is expected, run again with HousekeepingRunOptions.AcknowledgedRemovals = {removals}, or raise the limit.");
    }
}
