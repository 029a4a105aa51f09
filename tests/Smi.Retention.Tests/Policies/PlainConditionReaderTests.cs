using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Expressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Policies;

/// <summary>
/// The plain reader reads the expressions policies are written in without the engine's parser: for
/// any expression it reads, the parser and the translator must give the same condition, without a
/// problem; and it must read the shapes policies use, or it saves nothing.
/// </summary>
public class PlainConditionReaderTests
{
    private static readonly string[] Inserts = ["!", "not", "==", "!=", "=", "\"CHF\"", "\"Pending\"", "in", "(", ")", "true", "&&", "||", "and", "or", "?", ":", ",", "device.Type", "device.IsCommunicationsHub", "device.HeldFor(\"P99999999999Y\")", "device.PendingFor(\"p2147483648m\")"];

    /// <summary>Expressions as <see cref="VocabularyTypeProviderTests.Expressions"/> makes them, and valid ones with a token or two put in anywhere: near misses.</summary>
    public static Arbitrary<string> Expressions() => Arb.From(Gen.OneOf(
        VocabularyTypeProviderTests.Expressions().Generator,
        from expression in PolicyArbitraries.Expressions()
        from count in Gen.Choose(1, 2)
        from edits in Gen.ListOf(Gen.Zip(Gen.Choose(0, 1000), Gen.Elements(Inserts)), count)
        select NearMiss(expression, edits)));

    private static string NearMiss(string expression, IEnumerable<(int At, string Token)> edits)
    {
        var tokens = expression.Split(' ').ToList();
        foreach (var (at, token) in edits)
        {
            tokens.Insert(at % (tokens.Count + 1), token);
        }

        return string.Join(' ', tokens);
    }

    [Property(Arbitrary = [typeof(PlainConditionReaderTests)], MaxTest = 5000, QuietOnSuccess = true)]
    public void TryRead_AnyExpression_WhatItReadsTheParserReadsAlike(string expression)
    {
        if (ExpressionScanner.Check(expression).Count > 0)
        {
            return;
        }

        var canonical = ExpressionScanner.Canonical(expression);
        if (PlainConditionReader.TryRead(canonical) is { } plain)
        {
            Assert.Equal(plain, Engine(canonical));
        }
    }

    [Property(MaxTest = 1000, QuietOnSuccess = true)]
    public Property TryRead_GeneratedPolicyExpressionsWithoutTheConditionalOperator_AreAllRead() =>
        Prop.ForAll(
            PolicyArbitraries.Expressions().Where(e => !e.Contains('?', StringComparison.Ordinal)).ToArbitrary(),
            expression => PlainConditionReader.TryRead(ExpressionScanner.Canonical(expression)) is not null);

    [Fact]
    public void TryRead_EveryBuiltInAndExampleRule_IsRead()
    {
        var files = PolicyCatalog.BuiltInNames.Select(PolicyCatalog.BuiltInText)
            .Concat(Directory.GetFiles(Path.Combine(BuiltInPolicyTests.RepositoryRoot(), "examples", "policies"), "*.json").Select(File.ReadAllText));
        var expressions = files
            .SelectMany(json => System.Text.RegularExpressions.Regex.Matches(json, "\"Expression\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\""))
            .Select(match => System.Text.Json.JsonSerializer.Deserialize<string>('"' + match.Groups[1].Value + '"')!)
            .ToList();
        Assert.NotEmpty(expressions);
        Assert.All(expressions, expression => Assert.NotNull(PlainConditionReader.TryRead(ExpressionScanner.Canonical(expression))));
    }

    [Theory]
    [InlineData("device.Type != \"ESME\" and not device.IsCommunicationsHub or device.Status == \"Pending\"")]
    [InlineData("!(device.Type == \"CHF\") && (device.HeldBefore(\"Commissioned\") || device.HeldBeforeOtherThan(\"Pending\"))")]
    [InlineData("device.Status in (\"Pending\", \"InstalledNotCommissioned\",\"Commissioned\") && device.HeldFor(\"P1Y6M\")")]
    [InlineData("  ( ( device.PendingFor(\"P36M\") ) )  ")]
    public void TryRead_PlainShapes_AreReadAsTheParserReadsThem(string expression)
    {
        var canonical = ExpressionScanner.Canonical(expression);
        Assert.Empty(ExpressionScanner.Check(expression));
        var plain = PlainConditionReader.TryRead(canonical);
        Assert.NotNull(plain);
        Assert.Equal(plain, Engine(canonical));
    }

    [Theory]
    [InlineData("device.IsCommunicationsHub ? device.PendingFor(\"P36M\") : false")]
    [InlineData("device.Type = \"CHF\"")]
    [InlineData("!device.Type == \"CHF\"")]
    [InlineData("not device.Type in (\"CHF\")")]
    [InlineData("device.Type in (\"CHF\") in (\"GPF\")")]
    [InlineData("device.Type == \"CHF\" == true")]
    [InlineData("device.IsCommunicationsHub == true")]
    [InlineData("true")]
    [InlineData("device.PendingFor(\"P0M\")")]
    [InlineData("device.PendingFor(\"P36\")")]
    [InlineData("device.Type == \"Pending\"")]
    [InlineData("device.Status == \"1\"")]
    [InlineData("device.HeldBefore(\"P\\u0065nding\")")]
    [InlineData("device.Type in ()")]
    [InlineData("device.Type in (\"CHF\",)")]
    [InlineData("device.IsCommunicationsHub & device.PendingFor(\"P36M\")")]
    [InlineData("device.IsCommunicationsHub &&& device.PendingFor(\"P36M\")")]
    [InlineData("(device.IsCommunicationsHub")]
    [InlineData("device.Since")]
    public void TryRead_AnythingElse_IsLeftToTheParser(string expression) =>
        Assert.Null(PlainConditionReader.TryRead(ExpressionScanner.Canonical(expression)));

    /// <summary>The condition the engine's parser and the translator make, or a description of why there is none.</summary>
    private static object Engine(string canonical)
    {
        var device = Expression.Parameter(typeof(DeviceFacts), "device");
        try
        {
            var condition = ConditionTranslator.Translate(ExpressionReader.ParseWithEngine(canonical, device), device, out var errors);
            return condition is not null && errors.Count == 0 ? condition : "translator: " + string.Join("; ", errors);
        }
        catch (ParseException e)
        {
            return $"parser: {e.Message} at {e.Position}";
        }
    }
}
