using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// Policy files as an attacker writes them: expressions that reach past the vocabulary into the
/// parser's types and functions, text that is not text, and nesting meant to overflow the stack.
/// Every one is a <see cref="PolicyValidationException"/> naming the rule, and the other rules'
/// problems are still listed; nothing else escapes, and nothing runs.
/// </summary>
[Trait("Category", "Hostile")]
public class HostilePolicyTests
{
    private static PolicyProblem OnlyProblem(string json)
    {
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, "hostile.json"));
        return Assert.Single(error.Problems);
    }

    [Theory]
    [InlineData("np(device) != null", "np(...) is not part of the policy vocabulary.")]
    [InlineData("Guid(\"zz\") != null", "Guid(...) is not part of the policy vocabulary.")]
    [InlineData("bool(\"x\")", "bool(...) is not part of the policy vocabulary.")]
    [InlineData("Uri(\"x\") != null", "Uri(...) is not part of the policy vocabulary.")]
    [InlineData("new(device.Type as t) != null", "new(...) is not part of the policy vocabulary.")]
    [InlineData("it.Type == \"CHF\"", "it.Type is not part of the policy vocabulary.")]
    [InlineData("iif(true, true, false)", "iif(...) is not part of the policy vocabulary.")]
    [InlineData("device.IsCommunicationsHub ? Convert.ToBoolean(\"x\") : false", "Convert.ToBoolean(...) is not part of the policy vocabulary.")]
    [InlineData("device.HeldFor(string.Concat(\"P1\", \"2M\"))", "string.Concat(...) is not part of the policy vocabulary.")]
    [InlineData("device.Type == ''", "Single quotes do not make a string in a rule;")]
    [InlineData("device.Type == 'C'", "Single quotes do not make a string in a rule;")]
    [InlineData("@0 == 1", "The character '@' at character 1 is not part of the policy vocabulary")]
    [InlineData("-1 == -1", "The character '-' at character 1 is not part of the policy vocabulary")]
    [InlineData("device.Type == \"CHF", "A string in the expression is not closed;")]
    [InlineData("device.Type == \"CH\u0007F\"", "The string at character 19 holds the invisible or control character \\u{0007};")]
    [InlineData("device.Type == \"CHF\u200B\"", "The string at character 20 holds the invisible or control character \\u{200B};")]
    [InlineData("device.Type\u2028== \"CHF\"", "The character '\\u{2028}' at character 12 is not part of the policy vocabulary")]
    [InlineData("device.Type == \"CHF\"\u001b[31m", "The character '\\u{001B}' at character 21 is not part of the policy vocabulary")]
    public void Parse_ExpressionOutsideTheVocabulary_ProblemsAtTheRule(string expression, string expected)
    {
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(PolicyJson.OneRule(expression), "hostile.json"));
        // At the rule, on the expression's line, and inside its string (the expression opens at column 74;
        // each problem points at its character there, which ProblemPositions pins exactly).
        Assert.All(error.Problems, p => Assert.Equal(("r", 1, true), (p.Rule, p.Line, p.Column >= 74 && p.Column <= 75 + PolicyJson.OneRule(expression).Length)));
        Assert.StartsWith(expected, error.Problems[0].Message, StringComparison.Ordinal);
    }

    // Misspelt or wrong-case members and names get the closest right one, and no message names a type of the library.
    [Theory]
    [InlineData("device.PendingFr(\"P12M\")", "device.PendingFr is not part of the policy vocabulary; did you mean device.PendingFor?")]
    [InlineData("device.pendingFor(\"P12M\")", "device.pendingFor is not part of the policy vocabulary; did you mean device.PendingFor?")]
    [InlineData("device.type == \"CHF\"", "device.type is not part of the policy vocabulary; did you mean device.Type?")]
    [InlineData("device.Foo", "device.Foo is not part of the policy vocabulary. Member names are written exactly")]
    [InlineData("device.Status == \"Pendng\"", "\"Pendng\" is not a status; did you mean \"Pending\"?")]
    [InlineData("device.HeldBefore(\"Comissioned\")", "\"Comissioned\" is not a status; did you mean \"Commissioned\"?")]
    [InlineData("device.Type in (\"CHF\", \"GFP\")", "\"GFP\" is not a device type; did you mean \"GPF\"?")]
    [InlineData("device.PendingFor(\"12M\")", "\"12M\" is not a period; did you mean \"P12M\"?")]
    [InlineData("device.Type == \"Pending\"", "\"Pending\" is not a device type.")]
    [InlineData("device.HeldBefore(\"CHF\")", "\"CHF\" is not a status.")]
    public void Parse_MisspeltName_DidYouMean(string expression, string expected)
    {
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(PolicyJson.OneRule(expression), "hostile.json")).Problems);

        Assert.StartsWith(expected, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("DeviceFacts", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Smi.Retention", problem.Message, StringComparison.Ordinal);
    }

    // Compared names and periods in any case, as in an inventory: the same decisions as the declared spelling.
    [Theory]
    [InlineData("device.HeldBefore(\"Commissioned\") && device.PendingFor(\"p12m\")", "device.HeldBefore(\"Commissioned\") && device.PendingFor(\"P12M\")")]
    [InlineData("device.Status == \"PENDING\" && (device.Type in (\"chf\", \"Gpf\") || device.Status != \"pending\")", "device.Status == \"Pending\" && (device.Type in (\"CHF\", \"GPF\") || device.Status != \"Pending\")")]
    public void Parse_NamesInAnyCase_DecideAsDeclared(string anyCase, string declared)
    {
        var asOf = new NodaTime.LocalDate(2019, 11, 7);
        var a = CompiledPolicy.Compile(PolicyCatalog.Parse(PolicyJson.OneRule(anyCase))).For(asOf);
        var b = CompiledPolicy.Compile(PolicyCatalog.Parse(PolicyJson.OneRule(declared))).For(asOf);

        foreach (var device in SyntheticInventory.Generate(5_000, 11, asOf))
        {
            Assert.Equal(b.Evaluate(device).Action, a.Evaluate(device).Action);
        }
    }

    // A status in a call is written as declared: RulesEngine's engine reads "commissioned" there as no
    // method at all (an error, so a Retain rule that never holds), which the loader used to accept.
    [Fact]
    public void Parse_StatusInACallInAnotherCase_RefusedAtTheString()
    {
        var problem = OnlyProblem(PolicyJson.OneRule("device.HeldBefore(\"commissioned\")"));
        Assert.Equal("\"commissioned\" is a status written in another case; in a call write it as declared, \"Commissioned\" (RulesEngine reads a name in a call only in that spelling; compared with ==, != or in, any case is read).", problem.Message);
    }

    // Numbers were converted to types and statuses by position: device.Type == 5 loaded as "is a PPMID".
    // Every number, every call of a property and every misshapen argument is refused, naming the fix.
    [Theory]
    [InlineData("device.Type == 5", "The number 5 has no meaning in a rule")]
    [InlineData("device.HeldBefore(1)", "device.HeldBefore takes one status name written in quotes")]
    [InlineData("device.Status != 4 && device.PendingFor(\"P12M\")", "The number 4 has no meaning in a rule")]
    [InlineData("device.IsCommunicationsHub(\"x\")", "device.IsCommunicationsHub is not a method")]
    [InlineData("device.PendingFor()", "device.PendingFor takes one period written in quotes")]
    [InlineData("device.PendingFor(\"P12M\", \"P1M\")", "device.PendingFor takes one period written in quotes")]
    [InlineData("device.Status.Foo", "'Foo' is not part of the policy vocabulary: device's members have no members")]
    [InlineData("device.Type.ToString() == \"ESME\"", "'ToString' is not part of the policy vocabulary: device's members have no members")]
    [InlineData("device.Type = \"CHF\"", "The operator '=' is not part of the policy vocabulary")]
    [InlineData("device.Type <> \"CHF\"", "The operator '<>' is not part of the policy vocabulary")]
    [InlineData("device.IsCommunicationsHub & device.PendingFor(\"P1M\")", "The operator '&' is not part of the policy vocabulary")]
    [InlineData("device.Type > \"ESME\"", "The operator '>' is not part of the policy vocabulary")]
    [InlineData("device.Type === \"CHF\"", "The operator '===' is not part of the policy vocabulary")]
    [InlineData("device.PendingFor(\"P12M0D\")", "\"P12M0D\" names days, weeks or a time part, even if they are zero")]
    [InlineData("device.PendingFor(\"P12MT0H\")", "\"P12MT0H\" names days, weeks or a time part, even if they are zero")]
    [InlineData("device.IsCommunicationsHub AND device.PendingFor(\"P1M\")", "AND is not part of the policy vocabulary: its words are lower case; write and.")]
    [InlineData("NOT device.IsCommunicationsHub", "NOT is not part of the policy vocabulary: its words are lower case; write not.")]
    [InlineData("device.IsCommunicationsHub &&& device.PendingFor(\"P1M\")", "The operator '&&&' is not part of the policy vocabulary")]
    [InlineData("device.Type !== \"CHF\"", "The operator '!==' is not part of the policy vocabulary")]
    public void Parse_NumberOrMisshapenMember_Refused(string expression, string expected)
    {
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(PolicyJson.OneRule(expression), "hostile.json"));

        Assert.StartsWith(expected, error.Problems[0].Message, StringComparison.Ordinal);
        Assert.All(error.Problems, p => Assert.DoesNotContain("DeviceFacts", p.Message, StringComparison.Ordinal));
    }

    // A problem points at the first character of its token in the file's own text, escapes counted
    // (the file writes each quote of the expression as \u0022): an editor can mark it.
    [Theory]
    [InlineData("device.Type == 'C'", "\\u0027C")]
    [InlineData("device.Statu == \"Pending\"", "Statu ")]
    [InlineData("device.Status == \"Pendng\"", "\\u0022Pendng")]
    [InlineData("it.Type == \"CHF\"", "it.Type")]
    [InlineData("device.Type == \"CHF\" @", "@")]
    [InlineData("device.PendingFor(\"P0M\")", "\\u0022P0M")]
    public void Parse_ExpressionProblem_PlacedAtItsToken(string expression, string written)
    {
        var json = PolicyJson.OneRule(expression);
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, "hostile.json"));

        var (line, column) = (error.Problems[0].Line, error.Problems[0].Column);
        Assert.Equal(1, line);
        Assert.StartsWith(written, json[(column - 1)..], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ParserErrorInOneRule_OtherRulesProblemsStillListed()
    {
        var json = """
            { "WorkflowName": "two", "Rules": [
              { "RuleName": "a", "Expression": "device.Type == \"CHF\" && (device.Status == \"Pending\"", "SuccessEvent": "Retain" },
              { "RuleName": "b", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Delete" }
            ] }
            """;
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, "two.json"));
        Assert.Equal(["a", "b"], error.Problems.Select(p => p.Rule));
        Assert.StartsWith("SuccessEvent 'Delete' is not an action", error.Problems[1].Message, StringComparison.Ordinal);
    }

    // A number beyond an int in a period made NodaTime's parser throw; the load then stopped on an
    // internal error instead of listing this problem and the others.
    [Theory]
    [InlineData("device.HeldFor(\\\"P99999999999Y\\\")")]
    [InlineData("device.PendingFor(\\\"p2147483648m\\\")")]
    [InlineData("device.Type == \\\"P99999999999M\\\"")]
    public void Parse_APeriodBeyondAnyNumber_OneProblemAmongTheOthers(string expression)
    {
        var json = $$"""
            { "WorkflowName": "three", "Rules": [
              { "RuleName": "huge", "Expression": "{{expression}}", "SuccessEvent": "Remove" },
              { "RuleName": "assign", "Expression": "device.Type = \"ESME\"", "SuccessEvent": "Remove" },
              { "RuleName": "typo", "Expression": "device.Status == \"Pendng\"", "SuccessEvent": "Remove" }
            ] }
            """;
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, "three.json"));
        Assert.Equal(["huge", "assign", "typo"], error.Problems.Select(p => p.Rule).Distinct());
        Assert.All(error.Problems, p => Assert.True(p.Line > 0, p.ToString()));
    }

    public static TheoryData<string, string> Oversized() => new()
    {
        { new string('(', 2000) + "true" + new string(')', 2000), "Parentheses (a call's own included) nest 2,000 deep in the expression; at most 32 are allowed." },
        { new string('(', 3000) + "true" + new string(')', 3000), "The expression is 6,004 characters long; at most 4,096 are allowed." },
        { new string('(', 40) + "true" + new string(')', 40), "Parentheses (a call's own included) nest 40 deep in the expression; at most 32 are allowed." },
        { string.Concat(Enumerable.Repeat("true ? ", 2000)) + "true" + string.Concat(Enumerable.Repeat(" : false", 2000)), "The expression is 30,004 characters long" },
        { string.Concat(Enumerable.Repeat("true?", 100)) + "true" + string.Concat(Enumerable.Repeat(":false", 100)), "The expression has 100 '!', 'not' and '?' operators; at most 64 are allowed." },
        { new string('!', 3000) + "true", "The expression has 3,000 '!', 'not' and '?' operators; at most 64 are allowed." },
        { string.Join(" && ", Enumerable.Repeat("true", 40_000)), "The expression is 319,996 characters long" },
        { string.Join("&&", Enumerable.Repeat("true", 300)), "The expression has 299 binary operators and list items; at most 256 are allowed." },
        { string.Join(" == ", Enumerable.Repeat("device.IsCommunicationsHub", 60)), "The expression expands to more than 4,096 tests" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public void Parse_ExpressionBeyondTheLimits_RefusedBeforeAnyRecursion(string expression, string expected)
    {
        var problem = OnlyProblem(PolicyJson.OneRule(expression));
        Assert.StartsWith(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyLargeRules_RefusedByTheTestBudgetBeforeCompiling()
    {
        // 240 rules of about 4,000 characters each (a 1 MB file) took 90 seconds to compile before the budget.
        var rule = string.Join("||", Enumerable.Range(0, 60).Select(k => $"device.HeldBefore(\"{SmiStatuses.All[k % 10]}\")&&device.HeldFor(\"P{(k % 30) + 1}M\")"));
        var rules = string.Join(",", Enumerable.Range(0, 150).Select(i => $$"""{ "RuleName": "r{{i}}", "Expression": {{System.Text.Json.JsonSerializer.Serialize(rule)}}, "SuccessEvent": "Remove" }"""));
        var problem = OnlyProblem("{ \"WorkflowName\": \"heavy\", \"Rules\": [" + rules + "] }");
        Assert.Equal("The policy's rules hold 35,850 tests in all; at most 4,096 are allowed, so that compiling it takes moments. Simplify the rules or split the policy.", problem.Message);
    }

    [Fact]
    public void Parse_DeeplyNestedJson_RefusedWithTheDepth()
    {
        var json = "{ \"WorkflowName\": \"deep\", \"Rules\": " + new string('[', 100_000) + new string(']', 100_000) + " }";
        var problem = OnlyProblem(json);
        Assert.Equal((1, 51), (problem.Line, problem.Column)); // the 17th level: root object, Rules, then 15 more arrays
        Assert.Equal("Objects and arrays nest more than 16 deep here; a policy needs 4 levels. Flatten the file.", problem.Message);
    }

    [Fact]
    public void Load_InvalidUtf8InAString_AProblemAtItsPlace()
    {
        var bytes = Encoding.UTF8.GetBytes(PolicyJson.OneRule("device.PendingFor(\"P12M\")", "r\u00e9"));
        var at = Array.IndexOf(bytes, (byte)0xC3);
        bytes[at] = 0xFF; // the first byte of 'é', now invalid UTF-8
        var error = Assert.Throws<PolicyValidationException>(() => LoadBytes(bytes));
        var problem = Assert.Single(error.Problems);
        Assert.True(problem.Line == 1 && problem.Column > 1, problem.ToString());
    }

    // A raw lone surrogate in a string handed to Parse was read as U+FFFD (UTF-8 cannot hold it):
    // the policy loaded, its hash that of another text (a review's finding). Refused at its place,
    // as the escape and a file's invalid bytes are; in a tests suite too.
    // (The surrogates as numbers: an attribute's strings are stored as UTF-8, which has no lone surrogate.)
    [Theory]
    [InlineData(0xD800, 0)]
    [InlineData(0xDFFF, 0)]
    [InlineData(0xDC00, 0xD800)]
    public void Parse_RawLoneSurrogate_AProblemAtItsPlace(int first, int second)
    {
        var lone = second == 0 ? $"{(char)first}" : $"{(char)first}{(char)second}";
        var json = "{ \"WorkflowName\": \"w" + lone + "\", \"Rules\": [ { \"RuleName\": \"r\", \"Expression\": \"device.PendingFor(\\\"P12M\\\")\", \"SuccessEvent\": \"Remove\" } ] }";
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json)).Problems);
        Assert.Equal((1, 21), (problem.Line, problem.Column)); // at the surrogate itself
        Assert.Equal($"The text holds a lone surrogate (U+{first:X4}), half of a character that is not there: it is no Unicode text, and no file could hold it. Write the whole character, or leave it out.", problem.Message);

        // Anywhere in the text, on any line: at its place, never in bytes the caller did not write (the second review).
        var clean = json.Replace(lone, "", StringComparison.Ordinal);
        foreach (var (text, line, column) in new[] { (lone + clean, 1, 1), (clean + lone, 1, clean.Length + 1), ("{\n  " + lone + clean[1..], 2, 3) })
        {
            var anywhere = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(text)).Problems);
            Assert.Equal((line, column), (anywhere.Line, anywhere.Column));
            Assert.StartsWith("The text holds a lone surrogate", anywhere.Message, StringComparison.Ordinal);
        }

        var suite = "{ \"Policy\": \"secmp0060\", \"Cases\": [ { \"Name\": \"c" + lone + "\", \"Type\": \"ESME\", \"Status\": \"Pending\", \"Since\": \"2015-01-01\", \"AsOf\": \"2019-11-07\", \"Expect\": { \"Action\": \"Remove\" } } ] }";
        Assert.Contains(Assert.Throws<PolicyValidationException>(() => Smi.Retention.Authoring.PolicyTestSuite.Parse(suite)).Problems, p => p.Message.StartsWith("The text holds a lone surrogate", StringComparison.Ordinal));

        // A pair, and the replacement character itself, are text.
        Assert.Equal("w\ud83d\ude00", PolicyCatalog.Parse(json.Replace(lone, "\ud83d\ude00", StringComparison.Ordinal)).Name);
        Assert.Equal("w\ufffd", PolicyCatalog.Parse(json.Replace(lone, "\ufffd", StringComparison.Ordinal)).Name);
    }

    [Fact]
    public void Parse_LoneSurrogateEscape_AProblemAtItsPlace()
    {
        var problem = OnlyProblem("""{ "WorkflowName": "w\ud800", "Rules": [ { "RuleName": "r", "Expression": "true", "SuccessEvent": "Remove" } ] }""");
        Assert.Equal((1, 19), (problem.Line, problem.Column));
        Assert.StartsWith("This string holds invalid UTF-8 or a lone surrogate escape", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyRules_Refused()
    {
        var rules = string.Join(",", Enumerable.Range(0, PolicyLimits.MaxRules + 1).Select(i => $$"""{ "RuleName": "r{{i}}", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }"""));
        var problem = OnlyProblem("{ \"WorkflowName\": \"many\", \"Rules\": [" + rules + "] }");
        Assert.Equal("The policy has 1,001 rules; at most 1,000 are allowed. Merge rules or split the policy.", problem.Message);
    }

    [Fact]
    public void Parse_LargerThanTheFileLimit_Refused()
    {
        var problem = OnlyProblem(PolicyJson.OneRule("true", "r") + new string(' ', PolicyLimits.MaxFileBytes));
        Assert.StartsWith("hostile.json is 1,048,", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keep-hubs\u200B", "\\u{200B}")]
    [InlineData("keep\u202Ehubs", "\\u{202E}")]
    [InlineData("keep\u001b[2Jhubs", "\\u{001B}")]
    [InlineData("keep\u00a0hubs", "\\u{00A0}")]
    [InlineData(" keep-hubs", "' keep-hubs'")]
    [InlineData("keep\nhubs", "\\u{000A}")]
    [InlineData("keep\u3164hubs", "\\u{3164}")]
    [InlineData("keep-hubs\uFE0F", "\\u{FE0F}")]
    [InlineData("keep\u034Fhubs", "\\u{034F}")]
    [InlineData("keep\u2800hubs", "\\u{2800}")]
    [InlineData("ke\u0301ep-hubs", "ke\u0301ep")]
    public void Parse_RuleNameWithInvisibleOrControlCharacters_Refused(string name, string shown)
    {
        var problem = OnlyProblem(PolicyJson.OneRule("device.IsCommunicationsHub", System.Text.Json.JsonEncodedText.Encode(name).ToString()));
        Assert.Equal("#1", problem.Rule);
        Assert.StartsWith("\"RuleName\" '", problem.Message, StringComparison.Ordinal);
        Assert.Contains(shown, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', problem.ToString());
    }

    [Fact]
    public void Parse_NamesThatDifferOnlyByAZeroWidthCharacter_CannotBothExist()
    {
        var json = """
            { "WorkflowName": "w", "Rules": [
              { "RuleName": "keep-hubs", "Expression": "device.IsCommunicationsHub", "SuccessEvent": "Retain" },
              { "RuleName": "keep-hubs\u200B", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }
            ] }
            """;
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, "w.json"));
        Assert.Contains(error.Problems, p => p.Message.Contains("\\u{200B}", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ValidPolicyAtTheLimits_Accepted()
    {
        var deep = new string('(', PolicyLimits.MaxParenthesisDepth - 1) + "device.PendingFor(\"P12M\")" + new string(')', PolicyLimits.MaxParenthesisDepth - 1); // the call's own parentheses the deepest
        Assert.Equal("hostile", PolicyCatalog.Parse(PolicyJson.OneRule(deep, new string('r', PolicyLimits.MaxNameLength))).Name);
        var wide = "device.PendingFor(\"P1M\") && (" + string.Join("||", Enumerable.Repeat("device.IsCommunicationsHub", 100)) + string.Concat(Enumerable.Repeat("||true", PolicyLimits.MaxBinaryOperators - 100)) + ")";
        Assert.Equal("hostile", PolicyCatalog.Parse(PolicyJson.OneRule(wide)).Name);
    }

    // ---- Fuzzing

    private static readonly string[] Tokens =
    [
        "device", ".", "Type", "Status", "IsCommunicationsHub", "HeldFor", "PendingFor", "HeldBefore", "HeldBeforeOtherThan", "Since", "AsOf",
        "(", ")", "(", ")", "\"P12M\"", "\"P0M\"", "\"CHF\"", "\"Pending\"", "\"\"", "\"\\\"\"", "==", "!=", "=", "&&", "||", "&", "|", "!", "?", ":", ",",
        "in", "and", "or", "not", "true", "false", "null", "np", "Guid", "Uri", "bool", "new", "it", "iif", "Math", "Abs", "DateTime", "Now", "GetType",
        "'", "''", "@0", "-", "+", "*", "1", "0", "99999999999999999999999", "1e999", "1.5", "0x1F", "\"\\ud800\"", "\"\\u0000\"", "\"P99999999999Y\"", "\"p2147483648m\"", "\u200B", "\u001b",
        "[", "]", "{", "}", "\\", "$", "#", "é", " ",
    ];

    private static readonly string[] Seeds = PolicyCatalog.BuiltInNames.Select(PolicyCatalog.BuiltInText).ToArray();

    public static Arbitrary<string> ExpressionSoup() => Arb.From(
        Gen.Frequency(
            (4, Gen.Choose(0, 40).SelectMany(n => Gen.ListOf(Gen.Elements(Tokens), n)).Select(t => string.Join(" ", t))),
            (2, Gen.ArrayOf(Gen.Elements(Tokens)).Select(t => string.Concat(t))),
            (1, Gen.Choose(1, 5000).SelectMany(n => Gen.Elements("(", "!", "true ? ", "true && ", "-", "\"").Select(t => string.Concat(Enumerable.Repeat(t, n)))))));

    /// <summary>Byte edits to a valid policy file: overwrite, insert or delete, with bytes that JSON and UTF-8 care about.</summary>
    public static Arbitrary<byte[]> MutatedPolicy() => Arb.From(
        from seed in Gen.Elements(Seeds)
        from count in Gen.Choose(1, 6)
        from edits in Gen.ListOf(
            from kind in Gen.Choose(0, 2)
            from at in Gen.Choose(0, 1 << 20)
            from value in Gen.OneOf(Gen.Elements<byte>((byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'(', (byte)')', 0, 0xFF, 0xC3, 0xED, (byte)'\n'), Gen.Choose(0, 255).Select(b => (byte)b))
            select (kind, at, value),
            count)
        select Mutate(Encoding.UTF8.GetBytes(seed), edits));

    private static byte[] Mutate(byte[] bytes, IEnumerable<(int Kind, int At, byte Value)> edits)
    {
        var list = bytes.ToList();
        foreach (var (kind, at, value) in edits)
        {
            var index = list.Count == 0 ? 0 : at % list.Count;
            switch (kind)
            {
                case 0 when list.Count > 0: list[index] = value; break;
                case 1: list.Insert(index, value); break;
                case 2 when list.Count > 0: list.RemoveAt(index); break;
            }
        }

        return [.. list];
    }

    [Property(Arbitrary = [typeof(HostilePolicyTests)], MaxTest = 1500, QuietOnSuccess = true)]
    public void Parse_AnyExpression_AcceptedOrRejectedWithProblems_NothingElseEscapes(string expression) =>
        AcceptedOrProblems(() => PolicyCatalog.Parse(PolicyJson.OneRule(expression), "soup.json"));

    [Property(Arbitrary = [typeof(HostilePolicyTests)], MaxTest = 1500, QuietOnSuccess = true)]
    public void Load_AnyByteMutationOfAPolicy_AcceptedOrRejectedWithProblems_NothingElseEscapes(byte[] mutated) =>
        AcceptedOrProblems(() => LoadBytes(mutated));

    private static void AcceptedOrProblems(Func<RetentionTimeline> load)
    {
        try
        {
            var timeline = load();
            Assert.NotEmpty(timeline.Versions);
            Assert.All(timeline.Versions.SelectMany(v => v.Policy.Rules), r => Assert.True(Untrusted.IsPrintableName(r.Name)));
        }
        catch (PolicyValidationException e)
        {
            Assert.NotEmpty(e.Problems);
            Assert.All(e.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
            Assert.DoesNotContain(e.Message, c => c < ' ' && c != '\n');
        }
    }

    internal static RetentionTimeline LoadBytes(byte[] bytes) => PolicyCatalog.Parse(bytes, "fuzz.json");
}
