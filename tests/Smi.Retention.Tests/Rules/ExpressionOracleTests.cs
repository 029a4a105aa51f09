using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;
using Smi.Retention.Tests.Hostile;

namespace Smi.Retention.Tests.Rules;

/// <summary>
/// RulesEngine is the format and the oracle: every expression the library's reader accepts is
/// compiled by RulesEngine's own parser and compiler (as its engine compiles a rule) and must
/// decide every device alike; and every string the reader accepts says exactly one name or period.
/// The expressions come from the vocabulary, from near misses, from token soup, and from a fuzzer
/// that rewrites the strings of valid expressions with escapes, separators, padding, numbers and
/// look-alike letters: the ways a text can mean something other than it says.
/// </summary>
public class ExpressionOracleTests
{
    private static readonly RuleExpressionParser Engine = new(ReferenceEvaluator.Settings);

    private static readonly string[] Names = [.. DeviceTypes.All.ToArray().Select(t => t.ToString()), .. SmiStatuses.All.ToArray().Select(s => s.ToString()), "SMETS1", "SMETS2", "P12M", "P1Y", "P36M", "P3Y", "P1Y6M"];

    /// <summary>What the fuzzer does to one string of an expression.</summary>
    private static readonly Func<string, Random, string>[] Rewrites =
    [
        (text, random) => Recase(text, random),
        (text, random) => Escape(text, random),
        (text, random) => text + Pick(random, ",", ";", " ", "|", ", ", "+", "\\u002C", "\\u003B", "\\u0020", "\t") + Pick(random, Names),
        (text, random) => Pick(random, " ", "\\u0020", "\\t", "\t") + text,
        (text, random) => text + Pick(random, " ", "\\u0020", "\\u0000", "\\u200B"),
        (text, random) => LookAlike(text, random),
        (_, random) => Pick(random, "5", "\\u0035", "05", "0x5", "-1", "+5", "1", "0", "7", "3|4", "CHF|GPF", "", "\\\"", "\\\\", "\\x46", "\\U0046", "\\u004", "\\u00"),
        (text, random) => Escape(Recase(text, random), random),
    ];

    public static Arbitrary<string> Expressions() => Arb.From(Gen.Frequency(
        (3, OracleExpressions(3)),
        (1, PolicyArbitraries.Expressions()),
        (3, from expression in OracleExpressions(2) from seed in Gen.Choose(0, int.MaxValue) select Fuzz(expression, new Random(seed))),
        (2, from expression in OracleExpressions(2) from seed in Gen.Choose(0, int.MaxValue) select Fuzz(expression, new Random(seed), Escape)),
        (1, from expression in OracleExpressions(2) from seed in Gen.Choose(0, int.MaxValue) select NearMiss(expression, new Random(seed))),
        (1, HostilePolicyTests.ExpressionSoup().Generator)));

    public static Arbitrary<DeviceOnDate[]> Devices() => Arb.From(Gen.ArrayOf(PolicyArbitraries.DevicesOnDates(), 24));

    public static Arbitrary<BoundaryMode> Boundary() => CalendarArbitraries.BoundaryMode();

    [Property(Arbitrary = [typeof(ExpressionOracleTests)], MaxTest = 2000, QuietOnSuccess = true)]
    public void Read_AnyExpressionItAccepts_DecidedAsRulesEnginesEngineDecidesIt(string expression, DeviceOnDate[] devices, BoundaryMode boundary)
    {
        var condition = ExpressionParser.Read(expression, out _);
        if (condition is null)
        {
            return;
        }

        Func<object[], bool> theirs;
        try
        {
            theirs = Engine.Compile<bool>(expression, [new RuleParameter("device", Facts(devices[0]))]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"The reader accepts {expression} but RulesEngine refuses it: {e.Message}");
        }

        foreach (var sample in devices)
        {
            var facts = Facts(sample, boundary);
            var mine = ConditionLogic.Evaluate(condition, DeviceState.Of(sample.Device), p => RetentionCalendar.HasElapsed(sample.Device.StatusSince, p, sample.AsOf, boundary));
            var engine = theirs([facts]);
            Assert.True(mine == engine, $"{expression} for {sample} ({boundary}): the reader says {mine}, RulesEngine {engine}");
        }
    }

    [Property(Arbitrary = [typeof(ExpressionOracleTests)], MaxTest = 3000, QuietOnSuccess = true)]
    public void Read_AnyExpressionItAccepts_EachStringIsExactlyOneNameOrPeriod(string expression)
    {
        if (ExpressionParser.Read(expression, out _) is not { } condition)
        {
            return;
        }

        // A model is opaque text, compared exactly: it says one model when the test holds exactly that text.
        var models = ConditionLogic.Tests(condition).Select(t => t.Text).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var token in ExpressionLexer.Tokens(expression, out _)!.Where(t => t.Kind == ExpressionTokenKind.String))
        {
            var named = Names.Concat(Enumerable.Range(1, RetentionPeriod.MaxMonths).Select(m => "P" + m.ToString(CultureInfo.InvariantCulture) + "M"))
                .Any(n => string.Equals(n, token.Text, StringComparison.OrdinalIgnoreCase))
                || (token.Text.All(char.IsAsciiLetterOrDigit) && RetentionPeriod.TryParse(token.Text, out _, out _))
                || (models.Contains(token.Text) && SmetsGenerations.IsValidModel(token.Text, out _));
            Assert.True(named, $"{expression}: the string \"{token.Text}\" is accepted, but it is not one name or period");
        }
    }

    // The fail-opens the issue named, each refused at its string, where RulesEngine reads something else.
    [Theory]
    [InlineData("device.Type in (\"CHF,GP\\u0046\")", "IHD")]
    [InlineData("device.Type == \"\\u0035\"", "PPMID")]
    [InlineData("device.Type == \"CHF, GPF\"", "IHD")]
    [InlineData("device.HeldBefore(\"Decommissioned,Withdrawn\")", null)]
    [InlineData("device.Status == \"4\"", null)]
    [InlineData("device.Type == \" CHF\"", null)]
    public void Read_JoinedNamesNumbersAndPadding_RefusedAtTheString(string expression, string? engineReadsAs)
    {
        Assert.Null(ExpressionParser.Read(expression, out var problems));
        var problem = Assert.Single(problems);
        Assert.Equal(expression.IndexOf('"', StringComparison.Ordinal), problem.Position);
        Assert.Contains("is not a", problem.Message, StringComparison.Ordinal);

        if (engineReadsAs is not null)
        {
            // What the same text means to RulesEngine: another device type altogether.
            var ihd = new DeviceRecord(new DeviceId(1), Enum.Parse<DeviceType>(engineReadsAs), engineReadsAs is "IHD" ? SmiStatus.NotApplicable : SmiStatus.Pending, new NodaTime.LocalDate(2019, 1, 1));
            Assert.True(Engine.Compile<bool>(expression, [new RuleParameter("device", new DeviceFacts(ihd, new NodaTime.LocalDate(2019, 11, 7)))])([new DeviceFacts(ihd, new NodaTime.LocalDate(2019, 11, 7))]));
        }
    }

    [Theory]
    [InlineData("device.Type == \"CH\\u0046\"", "device.Type == \"CHF\"")]
    [InlineData("device.Type in (\"chf\", \"G\\u0050F\")", "device.Type in (\"CHF\", \"GPF\")")]
    [InlineData("device.HeldBefore(\"\\u0043ommissioned\")", "device.HeldBefore(\"Commissioned\")")]
    [InlineData("device.PendingFor(\"p\\u0033\\u0036m\")", "device.PendingFor(\"P36M\")")]
    public void Read_EscapedName_MeansTheNameItSpells(string escaped, string plain) =>
        Assert.Equal(ExpressionParser.Read(plain, out _), ExpressionParser.Read(escaped, out _));

    [Fact]
    public void Generators_MakeExpressionsTheReaderAcceptsAndRefuses()
    {
        var sample = Expressions().Generator.Sample(2000, 40).ToArray(); // 2,000 expressions at size 40
        var accepted = sample.Count(e => ExpressionParser.Read(e, out _) is not null);
        var escapedAccepted = sample.Count(e => e.Contains("\\u", StringComparison.Ordinal) && ExpressionParser.Read(e, out _) is not null);
        Assert.InRange(accepted, 600, 1800);
        Assert.True(escapedAccepted >= 200, $"only {escapedAccepted} accepted expressions hold an escape");
    }

    private static DeviceFacts Facts(DeviceOnDate sample, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate) => new(sample.Device, sample.AsOf, boundary);

    /// <summary>
    /// Expressions of the whole grammar over every member of the vocabulary, derived from it (a new
    /// member is fuzzed and held to RulesEngine without a line here): each member in each of its
    /// shapes, both comparison orders, in-lists, keywords, ternaries, comparisons of conditions.
    /// </summary>
    private static Gen<string> OracleExpressions(int depth) => depth == 0
        ? Gen.OneOf(Vocabulary.Members.Select(Uses).Append(Gen.Elements("true", "false")))
        : Gen.Frequency(
            (2, OracleExpressions(depth - 1)),
            (3, Gen.Two(OracleExpressions(depth - 1)).SelectMany(p => Gen.Elements(" && ", " and ", " || ", " or ", " == ", " != ", "&&", "||").Select(op => $"({p.Item1}{op}{p.Item2})"))),
            (1, OracleExpressions(depth - 1).SelectMany(e => Gen.Elements("!", "not ", "! ").Select(op => $"{op}({e})"))),
            (1, Gen.Three(OracleExpressions(depth - 1)).Select(t => $"{t.Item1} ? {t.Item2} : {t.Item3}")),
            (1, Gen.Three(OracleExpressions(depth - 1)).Select(t => $"{t.Item1} || {t.Item2} && {t.Item3}")),
            (1, Gen.Three(OracleExpressions(depth - 1)).Select(t => $"not {t.Item1} and {t.Item2} or {t.Item3}")));

    /// <summary>The ways a member is written, with random arguments of its kind (names in any case where compared).</summary>
    private static Gen<string> Uses(VocabularyMember member)
    {
        var argument = member.Argument is not { } kind ? Gen.Constant("")
            : kind.IsText ? Gen.Elements(PolicyArbitraries.Models)
            : kind.Names is { } names ? Gen.Elements(names.ToArray())
            : Gen.Elements("P1M", "P6M", "P12M", "p1y", "P18M", "P1Y6M", "P2Y", "P36M", "P3y", "P48M", "P1200M");
        var recased = argument.SelectMany(a => Gen.Elements(a, a.ToUpperInvariant(), a.ToLowerInvariant()));
        var name = $"device.{member.Name}";
        return member.Shape switch
        {
            MemberShape.Flag => Gen.Elements(name, $"({name})", $"{name} == true"),
            MemberShape.Compared => Gen.OneOf(
                recased.Select(a => $"{name} == \"{a}\""),
                recased.Select(a => $"\"{a}\" != {name}"),
                recased.Select(a => $"({name}) == \"{a}\""),
                Gen.Three(recased).Select(t => $"{name} in (\"{t.Item1}\",\"{t.Item2}\", \"{t.Item3}\")")),
            // A period in any case; a name in a call as declared (RulesEngine reads it only so).
            _ when member.Argument == ArgumentKind.Period => recased.Select(a => $"{name}(\"{a}\")"),
            _ => argument.SelectMany(a => Gen.Elements($"{name}(\"{a}\")", $"{name}( \"{a}\" )")),
        };
    }

    /// <summary>A valid expression with some of its strings rewritten by <see cref="Rewrites"/>.</summary>
    private static string Fuzz(string expression, Random random, Func<string, Random, string>? rewrite = null)
    {
        var text = new StringBuilder();
        var parts = expression.Split('"');
        for (var i = 0; i < parts.Length; i++)
        {
            text.Append(i % 2 == 1 && random.Next(2) == 0 ? (rewrite ?? Rewrites[random.Next(Rewrites.Length)])(parts[i], random) : parts[i]);
            text.Append(i < parts.Length - 1 ? "\"" : "");
        }

        return text.ToString();
    }

    private static string NearMiss(string expression, Random random)
    {
        string[] inserts = ["!", "not", "==", "!=", "\"CHF\"", "in", "(", ")", "true", "&&", "||", "?", ":", ",", "device.Type", "device.IsCommunicationsHub", "and", "or"];
        var tokens = expression.Split(' ').ToList();
        for (var n = random.Next(1, 3); n > 0; n--)
        {
            tokens.Insert(random.Next(tokens.Count + 1), Pick(random, inserts));
        }

        return string.Join(' ', tokens);
    }

    private static string Recase(string text, Random random) =>
        string.Concat(text.Select(c => random.Next(2) == 0 ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

    private static string Escape(string text, Random random) =>
        string.Concat(text.Select(c => random.Next(3) == 0 ? "\\u" + ((int)c).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture) : c.ToString()));

    private static string LookAlike(string text, Random random)
    {
        var swaps = new Dictionary<char, string[]>
        {
            ['C'] = ["\u0421", "\uFF23", "\\u0421"], ['E'] = ["\u0415", "\u0395"], ['P'] = ["\u0420", "\u03A1"], ['M'] = ["\u041C", "\u039C"],
            ['K'] = ["\u212A"], ['i'] = ["\u0131", "\u0456"], ['s'] = ["\u017F"], ['H'] = ["\u041D"], ['S'] = ["\u0405"], ['D'] = ["\u216E"],
        };
        var at = Enumerable.Range(0, text.Length).Where(i => swaps.ContainsKey(text[i])).ToArray();
        if (at.Length == 0)
        {
            return text + "\u200D";
        }

        var index = at[random.Next(at.Length)];
        return text[..index] + Pick(random, swaps[text[index]]) + text[(index + 1)..];
    }

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];
}
