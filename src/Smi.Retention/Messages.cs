using System.Globalization;
using System.Linq.Expressions;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Hosting;
using Smi.Retention.Impact;
using Smi.Retention.Policies;
using Smi.Retention.Rules;
using Smi.Retention.Safety;

namespace Smi.Retention;

/// <summary>Every message text the library shows a person, in one place, in the invariant culture; each says how to fix the problem.</summary>
internal static class Messages
{
    private const string PeriodHint = "Write whole calendar months or years, from P1M to P100Y, e.g. P12M, P36M, P3Y or P1Y6M.";
    private const string IdExample = "88-73-84-57-00-2F-96-1E";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string BadDeviceId(ReadOnlySpan<char> text, int failedAt)
    {
        var shown = Untrusted.Show(text);
        if (failedAt == text.Length && text.Length != DeviceId.TextLength)
        {
            return F($"Device ID '{shown}' has {text.Length} characters; an EUI-64 has {DeviceId.TextLength}: 8 pairs of hex digits joined by '-', like {IdExample}.");
        }

        return failedAt % 3 == 2
            ? F($"Device ID '{shown}' has '{Untrusted.Show(text.Slice(failedAt, 1))}' at position {failedAt + 1} where the separator '-' belongs; write 8 pairs of hex digits joined by '-', like {IdExample}.")
            : F($"Device ID '{shown}' has '{Untrusted.Show(text.Slice(failedAt, 1))}' at position {failedAt + 1}, which is not a hex digit (0-9, A-F); write 8 pairs of hex digits joined by '-', like {IdExample}.");
    }

    public static string UnknownDeviceType(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' is not a device type; use one of {EnumNames<DeviceType>.List} (any case).");

    public static string UnknownSmiStatus(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' is not an SMI status; use one of {EnumNames<SmiStatus>.List} (any case).");

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

    public static string BadStatusDate(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' is not a date: write a London date as yyyy-MM-dd (2019-11-07), or an ISO-8601 instant with Z or an offset (2019-11-06T23:30:00Z).");

    public static string DateOutOfRangeValue(ReadOnlySpan<char> text) =>
        F($"'{Untrusted.Show(text)}' cannot be a status date: its offset is beyond +/-18:00, or the instant is past the range of dates there are (9999-12-31) once converted. Check the value.");

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

    // ---- Rule expressions

    public const string Vocabulary =
        "A rule may use device.Type, device.Status, device.IsCommunicationsHub, device.HeldFor(\"P12M\"), device.PendingFor(\"P12M\"), " +
        "device.HeldBefore(\"Commissioned\") and device.HeldBeforeOtherThan(\"Pending\"), with ==, !=, in, &&, ||, ! and ? :.";

    public static string NotInVocabulary(Expression offender) => offender switch
    {
        MemberExpression { Member.Name: nameof(DeviceFacts.Since) or nameof(DeviceFacts.AsOf) or nameof(DeviceFacts.Boundary) } m =>
            F($"device.{m.Member.Name} cannot be used directly: dates enter a rule only through a period, so that every decision has an exact due date. {Vocabulary}"),
        MemberExpression { Expression: null } m => F($"{m.Member.DeclaringType?.Name}.{m.Member.Name} is not part of the policy vocabulary. {Vocabulary}"),
        MemberExpression m => F($"'{Untrusted.Show(m.ToString())}' is not part of the policy vocabulary. {Vocabulary}"),
        MethodCallExpression { Object: null } call => F($"{call.Method.DeclaringType?.Name}.{call.Method.Name}(...) is not part of the policy vocabulary. {Vocabulary}"),
        MethodCallExpression call => F($"{Untrusted.Show(call.Object?.ToString())}.{call.Method.Name}(...) is not part of the policy vocabulary. {Vocabulary}"),
        ConstantExpression c => F($"The value {Untrusted.Show(c.ToString())} ({c.Type.Name}) has no meaning in a rule. {Vocabulary}"),
        _ => F($"'{Untrusted.Show(offender.ToString())}' ({offender.NodeType}) is not part of the policy vocabulary. {Vocabulary}"),
    };

    public static string UnsupportedComparison(BinaryExpression comparison) =>
        F($"'{Untrusted.Show(AsWritten(comparison.ToString()))}' is not a comparison a rule can make: compare device.Type with a device type name or device.Status with a status name, e.g. device.Type == \"CHF\". {Vocabulary}");

    public static string PeriodMustBeLiteral(string method) =>
        F($"device.{method} takes one period written in quotes, e.g. device.{method}(\"P36M\").");

    public static string StatusMustBeLiteral(string method) =>
        F($"device.{method} takes one status name written in quotes, e.g. device.{method}(\"Commissioned\").");

    public static string NameNotInVocabulary(string chain) =>
        F($"{Untrusted.Show(chain)} is not part of the policy vocabulary. {Vocabulary}");

    public static string CharacterNotInVocabulary(string character, int position) =>
        F($"The character '{character}' at character {position + 1} is not part of the policy vocabulary (no arithmetic, indexing or other syntax). {Vocabulary}");

    public static string SingleQuotes() =>
        "Single quotes do not make a string in a rule; write names and periods in double quotes, e.g. device.Type == \"CHF\" (inside JSON, \\\"CHF\\\").";

    public static string UnterminatedString() =>
        "A string in the expression is not closed; end it with a double quote.";

    public static string InvisibleCharacterInString(string character, int position) =>
        F($"The string at character {position + 1} holds the invisible or control character {character}; write names and periods in plain visible text.");

    public static string ExpressionTooLong(int length) =>
        F($"The expression is {length:N0} characters long; at most {PolicyLimits.MaxExpressionLength:N0} are allowed. Split it into several rules.");

    public static string ExpressionTooDeep(int depth) =>
        F($"Parentheses (a call's own included) nest {depth:N0} deep in the expression; at most {PolicyLimits.MaxParenthesisDepth} are allowed. Flatten the expression or split it into several rules.");

    public static string ExpressionTooManyUnary(int count) =>
        F($"The expression has {count:N0} '!', 'not' and '?' operators; at most {PolicyLimits.MaxUnaryOperators} are allowed. Simplify it or split it into several rules.");

    public static string ExpressionTooManyBinary(int count) =>
        F($"The expression has {count:N0} binary operators and list items; at most {PolicyLimits.MaxBinaryOperators} are allowed. Split it into several rules.");

    public static string ConditionTooComplex(long size) =>
        F($"The expression expands to more than {PolicyLimits.MaxConditionSize:N0} tests (comparing conditions with == or != doubles them); simplify it or split it into several rules.");

    public static string PolicyTooComplex(long tests) =>
        F($"The policy's rules hold {tests:N0} tests in all; at most {PolicyLimits.MaxPolicyTests:N0} are allowed, so that compiling it takes moments. Simplify the rules or split the policy.");

    public static string TimelineTooComplex(long tests) =>
        F($"The timeline's versions hold {tests:N0} tests in all; at most {PolicyLimits.MaxTimelineTests:N0} are allowed, so that compiling it takes moments. Use fewer or simpler versions.");

    public static string ParserFailed(string expression, string detail) =>
        F($"The expression \"{Untrusted.Show(expression)}\" cannot be read: {Untrusted.Show(AsWritten(detail).TrimEnd('.'), 300)}. {Vocabulary}");

    // ---- Policy files

    public static string PolicyFileTooLarge(string source, long bytes) =>
        F($"{Untrusted.Show(source)} is {bytes:N0} bytes; a policy or timeline file is at most {PolicyLimits.MaxFileBytes:N0} bytes (1 MiB). Split it, or check it is the policy you meant.");

    public static string PolicyNotRegularFile(string path, string kind) =>
        F($"{Untrusted.Show(path)} is {kind}, not a regular file; give the path of a policy JSON file.");

    public static string PathHasNul(string path) =>
        F($"The path '{Untrusted.Show(path)}' holds a NUL character, which no file name can; give the path as it is.");

    public static string PolicyFileUnreadable(string path, string detail) =>
        F($"{Untrusted.Show(path)} cannot be read: {Untrusted.Show(detail, 300)}");

    public static string PolicyFileChanged(string path) =>
        F($"{Untrusted.Show(path)} changed while it was being opened; load it again.");

    public static string JsonTooDeep(int depth) =>
        F($"Objects and arrays nest more than {depth} deep here; a policy needs 4 levels. Flatten the file.");

    public static string JsonBadString() =>
        "This string holds invalid UTF-8 or a lone surrogate escape (such as \\ud800); save the file as UTF-8 and write the text plainly.";

    public static string TooManyRules(int count) =>
        F($"The policy has {count:N0} rules; at most {PolicyLimits.MaxRules:N0} are allowed. Merge rules or split the policy.");

    public static string TooManyVersions(int count) =>
        F($"The timeline has {count:N0} versions; at most {PolicyLimits.MaxVersions:N0} are allowed.");

    public static string NameTooLong(string field, int length) =>
        F($"\"{field}\" is {length:N0} characters long; at most {PolicyLimits.MaxNameLength} are allowed.");

    public static string NameNotPrintable(string field, string name) =>
        F($"\"{field}\" '{Untrusted.Show(name)}' holds characters that cannot be seen or that reorder text (control, format, bidi or zero-width characters, or spaces other than inner plain spaces); names are shown to operators and compared, so write them in plain visible text.");

    public static string DescriptionNotPrintable() =>
        "\"Description\" holds control, format, bidi or zero-width characters; write it in plain visible text.";

    public static string DescriptionTooLong(int length) =>
        F($"\"Description\" is {length:N0} characters long; at most {PolicyLimits.MaxDescriptionLength:N0} are allowed.");

    public static string TimelineReferenceOutside(string reference) =>
        F($"'{Untrusted.Show(reference)}' is neither a built-in policy nor a path inside the timeline's folder; a timeline may refer only to built-in policies and to files in its own folder or below, by relative path without '..'.");

    public static string TimelineReferenceLink(string reference, string component) =>
        F($"'{Untrusted.Show(reference)}' passes through the symbolic link '{Untrusted.Show(component)}'; a timeline may refer only to real files in its own folder or below. Refer to the file itself.");


    public static string MalformedJson(string reason) =>
        F($"The file is not valid JSON: {Untrusted.Show(reason, 300)} Fix the JSON syntax at this place (comments and trailing commas are allowed).");

    public static string RootNotObject(string kind) =>
        F($"The file holds {kind}; a policy is one RulesEngine workflow object {{\"WorkflowName\": ..., \"Rules\": [...]}}, or a timeline {{\"TimelineName\": ..., \"Versions\": [...]}}.");

    public static string TimelineWherePolicyExpected() =>
        "A timeline cannot be used where a single policy is expected (a timeline's versions must be policies).";

    public static string MissingField(string field, string owner, string expected) =>
        F($"{owner[..1].ToUpperInvariant()}{owner[1..]} has no \"{field}\"; add \"{field}\" with {expected}.");

    public static string EmptyField(string field) => F($"\"{field}\" is empty; give it a value.");

    public static string WrongKind(string field, string expected, string actual) =>
        F($"\"{field}\" must be {expected}, not {actual}.");

    public static string DuplicateField(string field) =>
        F($"\"{Untrusted.Show(field)}\" appears twice in the same object; keep one.");

    public static string UnsupportedField(string field) =>
        F($"\"{field}\" is a RulesEngine feature that retention policies do not support; remove it (a policy is a flat list of rules over the device vocabulary).");

    public static string UnknownField(string field, string? suggestion, string[] known) =>
        suggestion is null
            ? F($"\"{Untrusted.Show(field)}\" is not a known field; the fields allowed here are {string.Join(", ", known)}.")
            : F($"\"{Untrusted.Show(field)}\" is not a known field; did you mean \"{suggestion}\"? The fields allowed here are {string.Join(", ", known)}.");

    public static string BadExpressionType(string value) =>
        F($"RuleExpressionType '{Untrusted.Show(value)}' is not supported; use \"LambdaExpression\" or leave it out.");

    public static string DuplicateRuleName(string name, string firstAt) =>
        F($"The rule name '{Untrusted.Show(name)}' is already used at {firstAt}; give every rule its own name (names are compared ignoring case).");

    public static string UnknownAction(string text) =>
        F($"SuccessEvent '{Untrusted.Show(text)}' is not an action; use \"Remove\" or \"Retain\".");

    public static string AlertOnRetain(string field) =>
        F($"\"{field}\" is set on a Retain rule, which never removes a device and so never alerts; remove it or make the rule Remove.");

    public static string BadAlert(string field, string code) =>
        F($"\"{field}\" '{Untrusted.Show(code)}' is not an alert code; write a DCC alert code such as \"N8\" (a capital letter then up to 7 letters or digits), or null for none.");

    public static string ExpressionDoesNotParse(string expression, int position, string detail) =>
        F($"The expression \"{Untrusted.Show(expression)}\" does not parse at character {position + 1}: {Untrusted.Show(AsWritten(detail).TrimEnd('.'), 300)}. {Messages.Vocabulary}");

    public static string EmptyPolicy(int rules) =>
        rules == 0
            ? "The policy has no rules, so it would retain every device; add at least one rule."
            : "Every rule of the policy is disabled, so it would retain every device; enable at least one rule.";

    public static string TooManyPeriods(int count, int max) =>
        F($"The policy uses {count} different periods; at most {max} are supported. Use fewer distinct periods.");

    public static string TooManyRulesToCompile(int count, int max) =>
        F($"The policy has {count} rules; at most {max} can be compiled. Split it into smaller policies or merge rules that share an action.");

    public static string Unreachable(string rule, string by) =>
        F($"Rule '{rule}' can never be reached: rule '{by}' before it matches every device. Move '{rule}' above '{by}', give '{by}' a condition, or remove '{rule}'.");

    public static string BadEffectiveFrom(string text) =>
        F($"EffectiveFrom '{Untrusted.Show(text)}' is not a date; write a London date as yyyy-MM-dd, e.g. \"2019-11-07\".");

    public static string EffectiveFromOutOfRange(string text) =>
        F($"EffectiveFrom '{Untrusted.Show(text)}' is outside {Iso(PolicyLimits.EarliestEffectiveFrom)} to {Iso(PolicyLimits.LatestEffectiveFrom)}; give the date the version comes into force.");

    public static string FirstVersionHasDate() =>
        "The first version is in force from the beginning; remove its \"EffectiveFrom\" (or add an earlier version).";

    public static string LaterVersionNeedsDate() =>
        "Every version after the first needs \"EffectiveFrom\": the London date from which it is in force, e.g. \"2019-11-07\".";

    public static string VersionsOutOfOrder(string date) =>
        F($"EffectiveFrom {date} is not after the previous version's; list versions in order of their dates.");

    public static string PolicyUnreadable(string reference, string detail) =>
        F($"The policy file '{Untrusted.Show(reference)}' cannot be read: {Untrusted.Show(detail, 300)}");

    public static string EmptyTimeline() => "The timeline has no versions; add at least one {\"Policy\": ...}.";

    public static string UnknownPolicy(string nameOrPath, IReadOnlyList<string> builtIns) =>
        F($"'{Untrusted.Show(nameOrPath)}' is neither a built-in policy ({string.Join(", ", builtIns)}) nor an existing file; give a built-in name or the path of a policy JSON file.");

    // ---- Evaluation

    public const string Uninitialized =
        "The device record is uninitialised (default): it has no type. Build records with the DeviceRecord constructor.";

    public static string SinceAfterAsOf(LocalDate since, LocalDate asOf) =>
        F($"The status applies from {Iso(since)}, after the as-of date {Iso(asOf)}: the record and the date disagree. Check the record's status date or the run's date.");

    public static string DateOutOfRange(string detail) =>
        F($"A due date falls outside the supported range of dates ({detail}). Check the record's status date.");

    public static string OutputTooShort(int outputs, int devices) =>
        F($"The decisions span holds {outputs} items but there are {devices} devices; give one decision slot per device.");

    public static string RemovedMoreThanOnce(DeviceId id) =>
        F($"Device {id} appears more than once in the inventory and would be removed by each record; which record is right cannot be told, so it is not removed. List each device once.");

    public static string EvidenceNotRemoval(RetentionAction action) =>
        F($"Evidence is for removals; this decision is {action}.");

    // ---- Impact analysis

    public static string BadCostBand(string text) =>
        F($"'{Untrusted.Show(text)}' is not a cost per device; write a figure or a range, lower first, in digits with a '.' for pence, such as 36-50 or 36.50 (pounds per removed device, at most {CostBand.MaxCostPerDevice:N0}).");

    public static string ForecastPastTheEndOfDates(LocalDate from, int months) =>
        F($"A forecast of {months} months from {Iso(from)} would pass the last date there is (9999-12-31); start earlier or forecast fewer months.");

    public static string LintShadowed() =>
        "This rule never decides any device: every device it matches is decided by an earlier rule. Move it up, narrow the earlier rule, or remove it.";

    public static string LintMatchesNothing() =>
        "This rule matches no device at all: it is false as written, or its tests can never all hold (as in device.Type == \"IHD\" && device.Status == \"Pending\": Type 2 devices are never Pending). Fix its expression or remove it.";

    public static string LintIgnoresStatus(SmiStatus status) =>
        F($"This Remove rule removes devices whose status is not Pending (e.g. {status}); AC 7.2 is about pending devices. Test device.Status == \"Pending\" or use device.PendingFor(...).");

    public static string LintShortPeriod(RetentionPeriod period) =>
        F($"The period {period} is shorter than 12 months, the shortest AC 7.2 has ever used. Check it is meant.");

    public static string LintNeverRemoved(DeviceType type) =>
        F($"No rule can ever remove a {type}, and no Retain rule excludes it on purpose. Add a rule for {type} devices, or an explicit exclusion if that is the intent.");

    public static string LintHalfHub(DeviceType kept, DeviceType removed) =>
        F($"Communications Hubs are half-excluded: {removed} devices can be removed but {kept} devices never. A hub is both its CHF and its GPF; exclude both (device.IsCommunicationsHub) or neither, or orphans are left behind.");

    // ---- Hosting

    public static string NoClock() =>
        "No NodaTime IClock is registered: register NodaTime's system clock as IClock in the host (a FakeClock in tests); housekeeping never reads the wall clock itself.";

    public static string OptionPolicyMissing() =>
        F($"{RetentionOptions.SectionName}:Policy is not set; give a built-in policy name ({string.Join(", ", PolicyCatalog.BuiltInNames)}) or the path of a policy JSON file. There is no default: a policy removes devices, so it is always named.");

    public static string OptionPolicyInvalid(string problems) =>
        F($"{RetentionOptions.SectionName}:Policy: {problems}");

    public static string OptionPolicyUnreadable(string policy, string detail) =>
        F($"{RetentionOptions.SectionName}:Policy '{Untrusted.Show(policy)}' cannot be loaded: {Untrusted.Show(detail, 300)}");

    public static string OptionBoundary(BoundaryMode boundary) =>
        F($"{RetentionOptions.SectionName}:Boundary '{boundary}' is not a boundary mode; use OnCorrespondingDate or AfterCorrespondingDate.");

    public static string OptionTimeZone(string? zone) =>
        F($"{RetentionOptions.SectionName}:TimeZoneId '{Untrusted.Show(zone)}' is not a tzdb time zone id; use Europe/London (the SMI's zone) or another tzdb id.");

    public static string OptionAlert(string code) =>
        F($"{RetentionOptions.SectionName}:AlertCode '{Untrusted.Show(code)}' is not an alert code; write a DCC alert code such as N8 (a capital letter then up to 7 letters or digits), or leave it empty for none.");

    public static string OptionMaxRemovals(long value) =>
        F($"{RetentionOptions.SectionName}:MaxRemovals {value} is negative; give a number of devices, 0 or more, or leave it out for no count limit.");

    public static string OptionMaxFraction(decimal value) =>
        F($"{RetentionOptions.SectionName}:MaxRemovalFraction {value} is not a fraction; give a number from 0 to 1 with at most {BlastRadiusLimits.MaxFractionDecimals} decimal places (0.05 is 5% of the devices decided).");

    public static string BadFraction(decimal value) =>
        F($"{value} is not a removal fraction; give a number from 0 to 1 with at most {BlastRadiusLimits.MaxFractionDecimals} decimal places.");

    public static string OptionUnknownKey(string section, string key, string? suggestion, string[] settings) =>
        F($"{section}:{(key.Trim() == key ? Untrusted.Show(key) : "'" + Untrusted.Show(key) + "'")} is not a setting{(suggestion is null ? "." : F($"; did you mean {section}:{suggestion}?"))} The settings are {string.Join(", ", settings)}; an unknown key is refused because the value meant for another setting would otherwise be ignored.");

    public static string OptionSetTwice(string section, string setting, string configured, object? inCode) =>
        F($"{section}:{setting} is '{Untrusted.Show(configured)}' in the configuration but '{Untrusted.Show(Convert.ToString(inCode, CultureInfo.InvariantCulture) ?? "")}' in code (AddSmiRetention's options), which overrides it; set it in one place, so that an edit of the configuration takes effect.");

    public static string OptionSectionRemoved(string section) =>
        F($"The {section} section has been removed from the configuration; the settings it held would fall back to their defaults. Restore it (the last good settings stay in force until then).");

    public static string OptionSectionMisspelt(string section, string sibling) =>
        F($"The configuration has no {section} section but has {Untrusted.Show(sibling)}; did you mean {section}? Its settings are not read under that name.");

    public static string OptionSectionIsAValue(string section) =>
        F($"{section} holds a single value; it must be a section of settings, e.g. {section}:Policy.");

    public static string OptionNotAValue(string section, string setting) =>
        F($"{section}:{setting} holds a section, not a value; give it one value.");

    public static string OptionBadValue(string section, string setting, string value, Type type) =>
        F($"{section}:{setting} '{Untrusted.Show(value)}' is not {Expected(Nullable.GetUnderlyingType(type) ?? type)}.");

    private static string Expected(Type type) =>
        type == typeof(long) ? "a whole number (digits only, no separators)"
        : type == typeof(decimal) ? F($"a number (digits with '.' and at most {BlastRadiusLimits.MaxFractionDecimals} decimals, e.g. 0.05)")
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type))
        : "a value of type " + type.Name;

    public static string GuardRefused(long removals, long decided, BlastRadiusLimits limits, BlastRadiusLimit exceeded, long? acknowledged)
    {
        var section = RetentionOptions.SectionName;
        var limit = exceeded == BlastRadiusLimit.Count
            ? F($"{limits.MaxRemovals:N0} devices ({section}:MaxRemovals)")
            : F($"{limits.FractionInForce * 100:0.##########}% of the devices decided ({section}:MaxRemovalFraction {(limits.IsDefault ? "not set, so the default " + BlastRadiusLimits.DefaultMaxRemovalFraction.ToString(CultureInfo.InvariantCulture) : limits.FractionInForce?.ToString(CultureInfo.InvariantCulture))})");
        var share = decided == 0 ? 0 : (double)removals / decided;
        var ack = acknowledged is { } a ? F($" The acknowledged count was {a:N0}, which does not match.") : "";
        return F($"Refused: the run would remove {removals:N0} of {decided:N0} devices decided ({share:P1}), over the limit of {limit}. No removal was released.{ack} If the count is expected, run again with HousekeepingRunOptions.AcknowledgedRemovals = {removals}, or raise the limit.");
    }

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>A parser's rendering as an author wrote it: no namespaces of ours, no conversions the parser added.</summary>
    private static string AsWritten(string rendered) =>
        System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(rendered, @"Smi\.Retention\.(?:[A-Za-z]+\.)*", ""), @"Convert\(([^,()]+), \w+\)", "$1");
}
