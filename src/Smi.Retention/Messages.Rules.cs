using Smi.Retention.Policies;
using Smi.Retention.Text;

namespace Smi.Retention;

/// <summary>Messages about rule expressions: the vocabulary, and what the scanner, parser and translator reject.</summary>
internal static partial class Messages
{
    /// <summary>The language in one sentence, from its one definition (<see cref="Rules.Vocabulary"/>).</summary>
    public static string Vocabulary => Rules.Vocabulary.Summary;

    public static string NotAModel(string reason) =>
        F($"{reason.TrimEnd('.')}. A device model in a rule is written exactly as the inventory's device_model gives it, e.g. device.Model == \"E470-5394\".");

    public static string DateMemberUsed(string member) =>
        F($"device.{member} cannot be used directly: dates enter a rule only through a period, so that every decision has an exact due date. {Vocabulary}");

    public static string PeriodMustBeLiteral(string method) =>
        F($"device.{method} takes one period written in quotes, e.g. device.{method}(\"P36M\").");

    public static string StatusMustBeLiteral(string method) =>
        F($"device.{method} takes one status name written in quotes, e.g. device.{method}(\"Commissioned\").");

    public static string NotADeviceMember(string name, string? suggestion) =>
        F($"device.{Untrusted.Show(name)} is not part of the policy vocabulary{(suggestion is null ? "." : $"; did you mean device.{suggestion}?")} Member names are written exactly, in their case. {Vocabulary}");

    public static string OperatorNotInVocabulary(string op) =>
        F($"The operator '{op}' is not part of the policy vocabulary: compare with == or !=, combine with && (and), || (or) and ! (not); types and statuses have no order. {Vocabulary}");

    public static string NumberInRule(string number) =>
        F($"The number {Untrusted.Show(number)} has no meaning in a rule: types and statuses are written by name and periods as text, in double quotes, e.g. device.Type == \"ESME\" or device.PendingFor(\"P12M\").");

    public static string PropertyCalled(string name) =>
        F($"device.{name} is not a method: use it without parentheses, e.g. device.{name} == ... {Vocabulary}");

    public static string MemberOfMember(string name) =>
        F($"'{Untrusted.Show(name)}' is not part of the policy vocabulary: device's members have no members of their own; compare them with names instead, e.g. device.Status == \"Pending\". {Vocabulary}");

    public static string NameNotInVocabulary(string chain) =>
        F($"{Untrusted.Show(chain)} is not part of the policy vocabulary. {Vocabulary}");

    public static string KeywordInAnotherCase(string word) =>
        F($"{Untrusted.Show(word)} is not part of the policy vocabulary: its words are lower case; write {word.ToLowerInvariant()}. {Vocabulary}");

    /// <summary><paramref name="position"/> counts characters (code points) before it, as a reader does.</summary>
    public static string CharacterNotInVocabulary(string character, int position) =>
        F($"The character '{character}' at character {position + 1} is not part of the policy vocabulary (no arithmetic, indexing or other syntax). {Vocabulary}");

    public static string UnsupportedComparison(string example) =>
        F($"This is not a comparison a rule can make: compare device.Type with a device type name or device.Status with a status name, e.g. {example}, or two conditions with each other. {Vocabulary}");

    public static string NotOneName(string literal, string noun, string plural, IReadOnlyList<string> names, string? suggestion, bool joined) =>
        F($"\"{Untrusted.Show(literal)}\" is not a {noun}{(suggestion is null ? "." : $"; did you mean \"{suggestion}\"?")} A string in a rule names exactly one {noun} (any case), with no spaces, commas or other names{(joined ? $"; to test several, list each in its own quotes: in (\"{names[0]}\", \"{names[1]}\")" : "")}. The {plural} are {string.Join(", ", names)}.");

    public static string NameNotAsDeclared(string literal, string noun, string declared) =>
        F($"\"{Untrusted.Show(literal)}\" is a {noun} written in another case; in a call write it as declared, \"{declared}\" (RulesEngine reads a name in a call only in that spelling; compared with ==, != or in, any case is read).");

    public static string PeriodNotWholeMonthsAsWritten(string literal) =>
        F($"\"{Untrusted.Show(literal)}\" names days, weeks or a time part, even if they are zero; write the period in years and months only, e.g. P12M, P36M, P3Y or P1Y6M.");

    public static string NotAPeriod(string literal, string? suggestion, string reason) =>
        suggestion is not null ? F($"\"{Untrusted.Show(literal)}\" is not a period; did you mean \"{suggestion}\"? A period is ISO-8601 whole months or years and starts with P, e.g. P12M, P36M, P3Y or P1Y6M.")
        : reason.Length > 0 ? reason
        : F($"\"{Untrusted.Show(literal)}\" is not a period: write one ISO-8601 period of whole months or years, letters and digits only, e.g. P12M, P36M, P3Y or P1Y6M.");

    public static string UnexpectedToken(string shown, string expected) =>
        F($"The expression has {shown} where it needs {expected}. {Vocabulary}");

    public static string ExpressionEndsEarly() =>
        F($"The expression ends before it is complete: a condition, a name or a closing bracket is missing. {Vocabulary}");

    public static string InNeedsMember(string type, string status) =>
        F($"'in' tests device.{type} or device.{status} against a list of names, e.g. device.{type} in (\"CHF\", \"GPF\"); it cannot follow anything else.");

    public static string InListOfNames(string member, string example) =>
        F($"The list after 'in' holds names in double quotes, e.g. device.{member} in (\"{example}\"); nothing else.");

    public static string NotNeedsCondition() =>
        F($"'!' and 'not' apply to a condition, e.g. !device.IsCommunicationsHub or !(device.Type == \"CHF\"); the parser would read !device.Type == \"CHF\" as (!device.Type) == \"CHF\", so bracket the comparison. {Vocabulary}");

    public static string MemberNeedsComparison(string member, string example) =>
        F($"device.{member} is a value, not a condition: compare it with a name, e.g. {example}.");

    public static string LiteralIsNotACondition(string shown) =>
        F($"The string {shown} is not a condition: compare a member with it, e.g. device.Type == \"CHF\". {Vocabulary}");

    /// <summary><paramref name="position"/> counts characters (code points) before it, as a reader does.</summary>
    public static string EscapeNotAllowed(string escape, int position) =>
        F($"The escape {escape} at character {position + 1} is not allowed in a rule's string: write names and periods plainly (only \\\", \\\\ and \\uXXXX are read, and the name must still be exactly one name).");

    public static string SingleQuotes() =>
        "Single quotes do not make a string in a rule; write names and periods in double quotes, e.g. device.Type == \"CHF\" (inside JSON, \\\"CHF\\\").";

    public static string UnterminatedString() =>
        "A string in the expression is not closed; end it with a double quote.";

    /// <summary><paramref name="position"/> counts characters (code points) before it, as a reader does.</summary>
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
        F($"The expression \"{Untrusted.Show(expression)}\" cannot be read: {Untrusted.Show(detail.TrimEnd('.'), 300)}. {Vocabulary}");
}
