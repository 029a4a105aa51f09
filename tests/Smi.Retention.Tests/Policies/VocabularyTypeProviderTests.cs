using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Dynamic.Core.Parser;
using System.Linq.Expressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Smi.Retention.Tests.Hostile;

namespace Smi.Retention.Tests.Policies;

/// <summary>
/// The policy loader parses expressions with System.Linq.Dynamic.Core configured as RulesEngine
/// configures it, but without RulesEngine's scan of every loaded assembly: the parser must see the
/// same types and give the same tree, or the same error at the same place, for any expression.
/// </summary>
public class VocabularyTypeProviderTests
{
    [Fact]
    public void GetCustomTypes_AreRulesEnginesOwn()
    {
        var engines = new RulesEngine.CustomTypeProvider(ExpressionReader.EngineSettings.CustomTypes).GetCustomTypes();
        var ours = ExpressionReader.ParserConfig.CustomTypeProvider!.GetCustomTypes();
        Assert.Equal(Names(engines), Names(ours));
        Assert.Contains(typeof(DeviceFacts), ours);
        Assert.Contains(typeof(SmiStatus), ours);
    }

    /// <summary>Valid expressions and token soup, some with their letters' case changed at random (the parser ignores case).</summary>
    public static Arbitrary<string> Expressions() => Arb.From(
        from expression in Gen.OneOf(PolicyArbitraries.Expressions(), HostilePolicyTests.ExpressionSoup().Generator)
        from recase in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(1, int.MaxValue)))
        select recase == 0 ? expression : Recase(expression, new Random(recase)));

    private static string Recase(string text, Random random) =>
        string.Concat(text.Select(c => random.Next(3) == 0 ? (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : c));

    [Property(Arbitrary = [typeof(VocabularyTypeProviderTests)], MaxTest = 1000, QuietOnSuccess = true)]
    public void Parse_AnyExpressionTheScannerLetsThrough_AsRulesEnginesParserDoes(string expression)
    {
        if (ExpressionScanner.Check(expression).Count > 0)
        {
            return;
        }

        var text = ExpressionScanner.Canonical(expression);
        var device = Expression.Parameter(typeof(DeviceFacts), "device");
        var engine = new RulesEngine.ExpressionBuilders.RuleExpressionParser(ExpressionReader.EngineSettings);
        Assert.Equal(
            Outcome(() => engine.Parse(text, [device], typeof(bool))),
            Outcome(() => new ExpressionParser([device], text, [], ExpressionReader.ParserConfig).Parse(typeof(bool), createParameterCtor: true)));
    }

    [Fact]
    public void Parse_EveryBuiltInRule_AsRulesEnginesParserDoes()
    {
        var expressions = PolicyCatalog.BuiltInNames
            .Select(PolicyCatalog.BuiltInText)
            .SelectMany(json => System.Text.RegularExpressions.Regex.Matches(json, "\"Expression\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\""))
            .Select(match => System.Text.Json.JsonSerializer.Deserialize<string>('"' + match.Groups[1].Value + '"')!)
            .ToList();
        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            Parse_AnyExpressionTheScannerLetsThrough_AsRulesEnginesParserDoes(expression);
        }
    }

    private static string Outcome(Func<Expression> parse)
    {
        try
        {
            return "parsed: " + parse();
        }
        catch (ParseException e)
        {
            return $"refused at {e.Position}: {e.Message}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }
    }

    private static string[] Names(IEnumerable<Type> types) => [.. types.Select(t => t.FullName ?? t.Name).Order(StringComparer.Ordinal)];
}
