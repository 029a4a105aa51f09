using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Rules;

/// <summary>
/// Every problem in a rule's expression is placed at the first character of its token in the file's
/// own text: a bad token put in place of one test of a random valid policy, whose expressions are
/// written with random JSON escapes (<c>\"</c> or <c>\u0022</c>, letters as <c>\u0064</c>), on random
/// lines and indents, is reported at exactly the line and column where it starts in the file.
/// </summary>
public class ExpressionPositionTests
{
    /// <summary>A bad test and the offset of its offending token within it.</summary>
    private static readonly (string Text, int Offset)[] BadTests =
    [
        ("device.Type == \"CHF,GPF\"", 15), ("device.Type in (\"CHF\", \"GP\\u0046,IHD\")", 23), ("device.Foo", 7), ("DateTime.Now", 0),
        ("device.PendingFor(\"P0M\")", 18), ("device.PendingFor(\"P730D\")", 18), ("device.HeldBefore(\"Comissioned\")", 18), ("device.Type == 5", 15),
        ("device.Type = \"CHF\"", 12), ("device.Since", 7), ("device.Status.Foo", 14), ("@", 0), ("device.Type == 'C'", 15),
        ("device.HeldBefore(\"commissioned\")", 18), ("device.Type == \"\\u0035\"", 15), ("device.IsCommunicationsHub()", 7), ("device.Status == \"Pending \"", 17),
    ];

    private static readonly string[] GoodTests =
    [
        "device.Type == \"CHF\"", "device.Status != \"pending\"", "device.IsCommunicationsHub", "device.PendingFor(\"P36M\")",
        "device.HeldBefore(\"Commissioned\")", "device.Type in (\"ESME\", \"GSME\")", "device.HeldFor(\"P1Y\")", "device.HeldBeforeOtherThan(\"Pending\")",
    ];

    public sealed record PlacedProblem(string Json, int Line, int Column, string Bad)
    {
        public override string ToString() => $"{Bad} expected at ({Line},{Column}) in\n{Json}";
    }

    public static Arbitrary<PlacedProblem> Cases() => Arb.From(
        from rules in Gen.Choose(1, 4)
        from seed in Gen.Choose(0, int.MaxValue)
        select Make(rules, new Random(seed)));

    [Property(Arbitrary = [typeof(ExpressionPositionTests)], MaxTest = 500, QuietOnSuccess = true)]
    public void Load_BadTokenInARandomPolicy_PlacedAtItsFirstCharacterInTheFile(PlacedProblem sample)
    {
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(sample.Json, "positions.json"));
        var problem = error.Problems.First(p => p.Rule == "bad");
        Assert.True((sample.Line, sample.Column) == (problem.Line, problem.Column), $"{problem} but expected ({sample.Line},{sample.Column}) for {sample.Bad}:\n{sample.Json}");
    }

    [Fact]
    public void Load_EscapedQuotes_ColumnCountsEachEscapeAsWritten()
    {
        // The issue's case: every \" before the typo moved the column one short.
        var json = "{ \"WorkflowName\": \"p\", \"Rules\": [ { \"RuleName\": \"r\", \"SuccessEvent\": \"Remove\", \"Expression\": \"device.Type == \\\"CHF\\\" && device.Status == \\\"Pending\\\" && device.Statu == \\\"Pending\\\"\" } ] }";
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json)).Problems);
        Assert.StartsWith("Statu ==", json[(problem.Column - 1)..], StringComparison.Ordinal);
    }

    // A bound is reported at the token that first passes it: the 33rd bracket, the 65th '!', the 4,097th character.
    [Theory]
    [InlineData(33, "(", "device.IsCommunicationsHub", ")", "Parentheses (a call's own included) nest 33 deep")]
    [InlineData(65, "!", "device.IsCommunicationsHub", "", "The expression has 65 '!', 'not' and '?' operators")]
    public void Load_ExpressionOverABound_PlacedAtTheTokenThatPassesIt(int count, string open, string middle, string close, string message)
    {
        var expression = string.Concat(Enumerable.Repeat(open, count)) + middle + string.Concat(Enumerable.Repeat(close, count));
        var json = "{ \"WorkflowName\": \"p\", \"Rules\": [ { \"RuleName\": \"r\", \"SuccessEvent\": \"Remove\", \"Expression\": \"" + expression + "\" } ] }";
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json)).Problems);

        Assert.StartsWith(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal(json.IndexOf(expression, StringComparison.Ordinal) + count, problem.Column); // 1-based column of the count-th token
    }

    // Old Mac line ends (a lone CR) are line ends, as editors count them.
    [Fact]
    public void Load_CarriageReturnLineEnds_LinesCountedAsEditorsCountThem()
    {
        var json = "{\r  \"WorkflowName\": \"p\",\r  \"Rules\": [\r    { \"RuleName\": \"r\", \"SuccessEvent\": \"Remove\", \"Expression\": \"device.Statu == \\\"Pending\\\"\" } ] }";
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json)).Problems);

        Assert.Equal(4, problem.Line);
        Assert.StartsWith("Statu", json.Split('\r')[3][(problem.Column - 1)..], StringComparison.Ordinal);
    }

    private static PlacedProblem Make(int count, Random random)
    {
        var bad = random.Next(count);
        var (badText, offset) = BadTests[random.Next(BadTests.Length)];
        var json = new StringBuilder("{\n  \"WorkflowName\": \"positions\",\n  \"Rules\": [");
        var (line, column) = (0, 0);
        for (var r = 0; r < count; r++)
        {
            json.Append(r == 0 ? "" : ",").Append('\n').Append(' ', random.Next(0, 6)).Append("{ \"RuleName\": ").Append(r == bad ? "\"bad\"" : $"\"r{r}\"")
                .Append(random.Next(2) == 0 ? ", \"SuccessEvent\": \"Remove\"," : ",\n    \"SuccessEvent\": \"Retain\",")
                .Append(random.Next(2) == 0 ? "\n      " : " ").Append("\"Expression\": \"");
            var tests = Enumerable.Range(0, random.Next(1, 4)).Select(_ => GoodTests[random.Next(GoodTests.Length)]).ToList();
            var at = random.Next(tests.Count + 1);
            var prefix = r == bad ? string.Concat(tests.Take(at).Select(t => t + " && ")) : "";
            var expression = r == bad ? prefix + badText + string.Concat(tests.Skip(at).Select(t => " || " + t)) : string.Join(" && ", tests);
            var lineStart = json.ToString().LastIndexOf('\n') + 1;
            for (var i = 0; i < expression.Length; i++)
            {
                if (r == bad && i == prefix.Length + offset)
                {
                    (line, column) = (json.ToString().Count(c => c == '\n') + 1, json.Length - lineStart + 1);
                }

                json.Append(Encode(expression[i], random));
            }

            json.Append("\" }");
        }

        json.Append("\n  ]\n}\n");
        return new PlacedProblem(json.ToString(), line, column, badText);
    }

    /// <summary>One character of an expression as JSON may write it: plainly where it can, or escaped.</summary>
    private static string Encode(char c, Random random) => c switch
    {
        '"' => random.Next(2) == 0 ? "\\\"" : "\\u0022",
        '\\' => random.Next(2) == 0 ? "\\\\" : "\\u005C",
        _ when random.Next(8) == 0 => "\\u" + ((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture),
        _ => c.ToString(),
    };
}
