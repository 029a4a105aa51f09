using NodaTime;
using NodaTime.Text;
using Smi.Retention.Policies;
using Smi.Retention.Text;

namespace Smi.Retention;

/// <summary>Messages about policy and timeline files: size, shape, fields, rules and versions.</summary>
internal static partial class Messages
{
    public static string PolicyFileTooLarge(string source, long bytes) =>
        F($"{Untrusted.Show(source)} is {bytes:N0} bytes; a policy or timeline file is at most {PolicyLimits.MaxFileBytes:N0} bytes (1 MiB). Split it, or check it is the policy you meant.");

    public static string PolicyNotRegularFile(string path, string kind) =>
        F($"{Untrusted.Show(path)} is {kind}, not a regular file; give the path of the JSON file itself (a policy, timeline or tests file).");

    public static string PathHasNul(string path) =>
        F($"The path '{Untrusted.Show(path)}' holds a NUL character, which no file name can; give the path as it is.");

    public static string PolicyFileUnreadable(string path, string detail) =>
        F($"{Untrusted.Show(path)} cannot be read: {Untrusted.Show(detail, 300)}");

    public static string NoSuchFile(string path) =>
        F($"Nothing is at {Untrusted.Show(path)}.");

    public static string PathIsALink(string path) =>
        F($"{Untrusted.Show(path)} is a symbolic link, which is not followed here; give the file itself.");

    public static string DestinationSwapped(string path, string now) =>
        F($"{Untrusted.Show(path)} is no longer the file checked before the run (it is now {now}: it was replaced while the run went on); nothing was written to it");

    public static string PolicyFileChanged(string path) =>
        F($"{Untrusted.Show(path)} changed while it was being opened; load it again.");

    public static string JsonTooDeep(int depth) =>
        F($"Objects and arrays nest more than {depth} deep here; a policy needs 4 levels. Flatten the file.");

    public static string LoneSurrogate(char c) =>
        F($"The text holds a lone surrogate (U+{(int)c:X4}), half of a character that is not there: it is no Unicode text, and no file could hold it. Write the whole character, or leave it out.");

    public static string JsonBadString() =>
        "This string holds invalid UTF-8 or a lone surrogate escape (such as \\ud800); save the file as UTF-8 and write the text plainly.";

    public static string TooManyRules(int count) =>
        F($"The policy has {count:N0} rules; at most {PolicyLimits.MaxRules:N0} are allowed. Merge rules or split the policy.");

    public static string TooManyVersions(int count) =>
        F($"The timeline has {count:N0} versions; at most {PolicyLimits.MaxVersions:N0} are allowed.");

    public static string NameTooLong(string field, int length) =>
        F($"\"{field}\" is {length:N0} characters long; at most {PolicyLimits.MaxNameLength} are allowed.");

    public static string NameNotPrintable(string field, string name) =>
        F($"\"{field}\" '{Untrusted.Show(name)}' holds characters that cannot be seen, that reorder text or that combine with the one before (control, format, bidi or zero-width characters, combining marks, or spaces other than inner plain spaces); names are shown to operators and compared exactly, so write them in plain visible text, each letter as one character (é, not e and a combining accent).");

    public static string DescriptionNotPrintable() =>
        "\"Description\" holds control, format, bidi or zero-width characters; write it in plain visible text.";

    public static string DescriptionTooLong(int length) =>
        F($"\"Description\" is {length:N0} characters long; at most {PolicyLimits.MaxDescriptionLength:N0} are allowed.");

    public static string TimelineReferenceOutside(string reference) =>
        F($"'{Untrusted.Show(reference)}' is neither a built-in policy nor a path inside the timeline's folder; a timeline may refer only to built-in policies and to files in its own folder or below, by relative path without '..'.");

    public static string TimelineReferenceLink(string reference, string component) =>
        F($"'{Untrusted.Show(reference)}' passes through the symbolic link '{Untrusted.Show(component)}'; a timeline may refer only to real files in its own folder or below. Refer to the file itself.");

    public static string MalformedJson(string reason) =>
        F($"The file is not valid JSON: {Untrusted.Show(reason, 300)} Fix the JSON syntax at this place (policy, timeline and tests files are strict JSON, RFC 8259).");

    public static string JsonComment() =>
        "A comment is not JSON: policy, timeline and tests files are strict JSON (RFC 8259), which jq, Python and schema validators read. Remove the comment; say what a policy or rule is for in its \"Description\".";

    public static string JsonTrailingComma() =>
        "A comma after the last item is not JSON: policy, timeline and tests files are strict JSON (RFC 8259), which jq, Python and schema validators read. Remove this comma.";

    public static string JsonByteOrderMark() =>
        "The file starts with a byte-order mark (EF BB BF), which JSON texts must not carry (RFC 8259) and Python's json refuses; save the file as UTF-8 without a byte-order mark.";

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

    public static string EmptyPolicy(int rules) =>
        rules == 0
            ? "The policy has no rules, so it would retain every device; add at least one rule."
            : "Every rule of the policy is disabled, so it would retain every device; enable at least one rule.";

    public static string TooManyModels(int count, int max) =>
        F($"The rules name {count} different device models; at most {max} are supported. Name fewer models, or decide by device.Generation or device.Type instead.");

    public static string TooManyDeviceClasses(long classes, int history, bool generation, int models, int max) =>
        F($"The rules tell apart {classes:N0} classes of devices besides their type and status ({history:N0} of history{(generation ? ", times 3 for the SMETS generation" : "")}{(models > 0 ? $", times {models + 2} for {models} models, any other and none" : "")}); at most {max:N0} are supported. Test fewer statuses held before, or name fewer models.");

    public static string TooManyPeriods(int count, int max) =>
        F($"The policy uses {count} different periods; at most {max} are supported. Use fewer distinct periods.");

    public static string TooManyRulesToCompile(int count, int max) =>
        F($"The policy has {count} rules; at most {max} can be compiled. Split it into smaller policies or merge rules that share an action.");

    public static string RemovesNotPending(string rule, DeviceType type, SmiStatus status) =>
        F($"Rule '{rule}' removes devices whose status is not Pending (a device of type {type} and status {status}, for one), and AC 7.2 removes pending devices only: a removed device can never be installed. Make the whole condition hold for pending devices alone: device.Status == \"Pending\" && (...), or use device.PendingFor(...) for its period.");

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

    public static string SymbolicNeedsInventory(string policy) =>
        F($"{Untrusted.Show(policy)} tests device.Generation or device.Model, which a symbolic diff does not describe (its regions are types, statuses, histories and months); compare the two policies over an inventory instead.");

    public static string SymbolicDateTooNearTheEnd(LocalDate date, int months) =>
        F($"{LocalDatePattern.Iso.Format(date)} is within {months + 1} months of an end of the calendar (the policies' longest period is P{months}M): there a due date can fall past 9999-12-31 (or a status date before 0001-01-01) and a device's decision depends on more than its months, so no region could be exact. Give a date at least {months + 1} months from either end.");

    public static string EmptyTimeline() => "The timeline has no versions; add at least one {\"Policy\": ...}.";

    public static string BuiltInNameIsAFileToo(string name, string file) =>
        F($"'{name}' names both a built-in policy and the file {Untrusted.Show(file)}: which is meant cannot be told, and the built-in would decide while the file is the one edited. Rename the file (a policy file's name ends in .json), or give its path as ./{name}.");

    public static string BuiltInTimelineAsAVersion(string name, IReadOnlyList<string> builtIns) =>
        F($"'{name}' is a built-in timeline, and a timeline's version is one policy: name a built-in policy ({string.Join(", ", builtIns)}) or a policy file in each version, with its EffectiveFrom date ('smi-retention policies' shows what '{name}' is made of).");

    public static string UnknownPolicy(string nameOrPath, IReadOnlyList<string> builtIns) =>
        F($"'{Untrusted.Show(nameOrPath)}' is neither a built-in policy ({string.Join(", ", builtIns)}) nor an existing file; {(NearestBuiltIn(nameOrPath, builtIns) is { } near ? $"did you mean '{near}'? Give" : "give")} a built-in name or the path of a policy JSON file.");

    /// <summary>The built-in a misspelt name meant: by spelling, without a '.json' typed after it, or the one it begins.</summary>
    private static string? NearestBuiltIn(string nameOrPath, IReadOnlyList<string> builtIns)
    {
        var stem = nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? nameOrPath[..^5] : nameOrPath;
        return Spelling.Suggest(stem, builtIns)
            ?? (stem.Length >= 4 ? builtIns.FirstOrDefault(b => b.StartsWith(stem, StringComparison.OrdinalIgnoreCase)) : null);
    }
}
