using System.Globalization;

namespace Smi.Retention;

/// <summary>Message texts about policy files, in the invariant culture; each says how to fix the problem.</summary>
internal static class PolicyMessages
{
    public static string MalformedJson(string detail)
    {
        var cut = detail.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = (cut >= 0 ? detail[..cut] : detail).Trim();
        return F($"The file is not valid JSON: {reason} Fix the JSON syntax at this place (comments and trailing commas are allowed).");
    }

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
        F($"\"{field}\" appears twice in the same object; keep one.");

    public static string UnsupportedField(string field) =>
        F($"\"{field}\" is a RulesEngine feature that retention policies do not support; remove it (a policy is a flat list of rules over the device vocabulary).");

    public static string UnknownField(string field, string? suggestion, string[] known) =>
        suggestion is null
            ? F($"\"{field}\" is not a known field; the fields allowed here are {string.Join(", ", known)}.")
            : F($"\"{field}\" is not a known field; did you mean \"{suggestion}\"? The fields allowed here are {string.Join(", ", known)}.");

    public static string BadExpressionType(string value) =>
        F($"RuleExpressionType '{value}' is not supported; use \"LambdaExpression\" or leave it out.");

    public static string DuplicateRuleName(string name, string firstAt) =>
        F($"The rule name '{name}' is already used at {firstAt}; give every rule its own name (names are compared ignoring case).");

    public static string UnknownAction(string text) =>
        F($"SuccessEvent '{text}' is not an action; use \"Remove\" or \"Retain\".");

    public static string AlertOnRetain(string field) =>
        F($"\"{field}\" is set on a Retain rule, which never removes a device and so never alerts; remove it or make the rule Remove.");

    public static string BadAlert(string field, string code) =>
        F($"\"{field}\" '{code}' is not an alert code; write a DCC alert code such as \"N8\" (a capital letter then up to 7 letters or digits), or null for none.");

    public static string ExpressionDoesNotParse(string expression, int position, string detail) =>
        F($"The expression \"{expression}\" does not parse at character {position + 1}: {detail.TrimEnd('.')}. {RuleMessages.Vocabulary}");

    public static string EmptyPolicy(int rules) =>
        rules == 0
            ? "The policy has no rules, so it would retain every device; add at least one rule."
            : "Every rule of the policy is disabled, so it would retain every device; enable at least one rule.";

    public static string TooManyPeriods(int count, int max) =>
        F($"The policy uses {count} different periods; at most {max} are supported. Use fewer distinct periods.");

    public static string Unreachable(string rule, string by) =>
        F($"Rule '{rule}' can never be reached: rule '{by}' before it matches every device. Move '{rule}' above '{by}', give '{by}' a condition, or remove '{rule}'.");

    public static string BadEffectiveFrom(string text) =>
        F($"EffectiveFrom '{text}' is not a date; write a London date as yyyy-MM-dd, e.g. \"2019-11-07\".");

    public static string FirstVersionHasDate() =>
        "The first version is in force from the beginning; remove its \"EffectiveFrom\" (or add an earlier version).";

    public static string LaterVersionNeedsDate() =>
        "Every version after the first needs \"EffectiveFrom\": the London date from which it is in force, e.g. \"2019-11-07\".";

    public static string VersionsOutOfOrder(string date) =>
        F($"EffectiveFrom {date} is not after the previous version's; list versions in order of their dates.");

    public static string PolicyUnreadable(string reference, string detail) =>
        F($"The policy file '{reference}' cannot be read: {detail}");

    public static string EmptyTimeline() => "The timeline has no versions; add at least one {\"Policy\": ...}.";

    public static string UnknownPolicy(string nameOrPath, IReadOnlyList<string> builtIns) =>
        F($"'{nameOrPath}' is neither a built-in policy ({string.Join(", ", builtIns)}) nor an existing file; give a built-in name or the path of a policy JSON file.");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
