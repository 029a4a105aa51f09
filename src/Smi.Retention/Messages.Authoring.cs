using Smi.Retention.Policies;
using Smi.Retention.Text;

namespace Smi.Retention;

/// <summary>Messages about policy tests files and their results.</summary>
internal static partial class Messages
{
    public const string TestFileNoun = "Policy tests file";

    public static string TestFileNotFound(string path) =>
        F($"Policy tests file {Untrusted.Show(path)} does not exist; check the path (test files are JSON, e.g. policies/my-policy.tests.json).");

    public static string TestPolicyOutside(string policy, string? suggestion) =>
        F($"\"Policy\" '{Untrusted.Show(policy)}' is not a built-in{(suggestion is null ? "" : $" (did you mean {suggestion}?)")} and not a file under the working folder; name a built-in policy, or a policy file by a relative path that stays under the folder the tool runs in (a repository's root).");

    public static string TestUnknownRule(string testCase, string rule, string policy, string? suggestion) =>
        F($"case '{Untrusted.Show(testCase)}' expects rule '{Untrusted.Show(rule)}', which {Untrusted.Show(policy)} has in none of its versions{(suggestion is null ? "." : $"; did you mean '{Untrusted.Show(suggestion)}'?")}");

    public static string TooManyTestCases(int count) =>
        F($"The file holds {count:N0} cases; at most {PolicyLimits.MaxPolicyTests:N0} are allowed. Split it into several files.");

    public static string NoTestCases() =>
        "\"Cases\" is empty; add at least one case: { \"Name\": ..., \"Type\": ..., \"Status\": ..., \"Since\": ..., \"AsOf\": ..., \"Expect\": { \"Action\": ... } }.";

    public static string DuplicateCaseName(string name, string firstAt) =>
        F($"Case name '{Untrusted.Show(name)}' is used twice (first at {firstAt}); give each case its own name, so a failure says which.");

    public static string BadTestDate(string text) =>
        F($"'{Untrusted.Show(text)}' is not a date; write yyyy-MM-dd, e.g. 2019-11-07.");

    public static string BadTestAction(string text) =>
        F($"'{Untrusted.Show(text)}' is not an action; use \"Remove\", \"Retain\" or \"Undetermined\".");

    public static string BadTestBoundary(string text) =>
        F($"'{Untrusted.Show(text)}' is not a boundary mode; use \"on\" (OnCorrespondingDate) or \"after\" (AfterCorrespondingDate).");

    public static string TestActionDiffers(RetentionAction expected, RetentionAction actual) =>
        F($"expected {expected}, but the policy decides {actual}");

    public static string TestRuleDiffers(string? expected, string? actual) =>
        F($"expected rule {Named(expected)}, but {Named(actual)} decides");

    public static string TestDueDateDiffers(string? expected, string? actual) =>
        F($"expected due date {expected ?? "none"}, but it is {actual ?? "none"}");

    public static string TestAlertDiffers(string? expected, string? actual) =>
        F($"expected alert {(expected is null ? "none" : Untrusted.Show(expected))}, but it is {actual ?? "none"}");

    private static string Named(string? rule) => rule is null ? "none" : "'" + Untrusted.Show(rule) + "'";

    public static string TestValuePadded(string field, string text) =>
        F($"\"{field}\" '{Untrusted.Show(text)}' has spaces around it; write the value alone, as the tests schema does.");
}
