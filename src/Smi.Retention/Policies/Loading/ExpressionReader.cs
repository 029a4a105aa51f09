using System.Linq.Expressions;
using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.Parser;
using RulesEngine.Models;
using Smi.Retention.Rules;

namespace Smi.Retention.Policies.Loading;

/// <summary>
/// A rule's expression to a <see cref="Condition"/>: scanned as tokens first (no name outside the
/// vocabulary reaches the parser, no input can make it recurse too deep), then parsed by
/// RulesEngine's own parser (System.Linq.Dynamic.Core, configured as RulesEngine configures it)
/// and translated. Every message of the parser is read here and only here (<see cref="UnknownNames"/>
/// scrapes one kind of it; ExpressionReaderTests pins it to the version of System.Linq.Dynamic.Core
/// in use).
/// </summary>
internal sealed class ExpressionReader(ProblemSink problems)
{
    /// <summary>The parser's settings: the vocabulary's types, as RulesEngine itself is given them.</summary>
    internal static readonly ReSettings EngineSettings = new()
    {
        CustomTypes = [typeof(DeviceFacts), typeof(DeviceType), typeof(SmiStatus)],
    };

    /// <summary>
    /// The parser's configuration: what RulesEngine's <c>RuleExpressionParser</c> builds from
    /// <see cref="EngineSettings"/>, with the types given by <see cref="VocabularyTypeProvider"/>.
    /// </summary>
    internal static readonly ParsingConfig ParserConfig = new()
    {
        CustomTypeProvider = new VocabularyTypeProvider(EngineSettings.CustomTypes),
        IsCaseSensitive = EngineSettings.IsExpressionCaseSensitive,
    };

    /// <summary>The condition of the rule's expression, or null with every problem reported.</summary>
    public Condition? Read(JsonString node, string name)
    {
        var text = node.Value;
        var refused = ExpressionScanner.Check(text);
        if (refused.Count > 0)
        {
            foreach (var (position, reason) in refused)
            {
                // At the character, as the parser's errors are (exact while the JSON string has no escape before it).
                problems.Add(node.Line, position < 0 ? node.Column : node.Column + 1 + position, name, reason);
            }

            return null;
        }

        // Most expressions are read without starting the parser (PlainConditionReader); the rest, and
        // every problem, go through it.
        var canonical = ExpressionScanner.Canonical(text);
        var condition = TryReadPlain(canonical) ?? ReadWithParser(node, name, canonical);
        if (condition is not null && ConditionLogic.Size(condition) > PolicyLimits.MaxConditionSize)
        {
            problems.Add(node, name, Messages.ConditionTooComplex(PolicyLimits.MaxConditionSize));
            return null;
        }

        return condition;
    }

    /// <summary>The plain reader's condition, or null to leave the expression to the parser, which reports whatever stopped it.</summary>
    private static Condition? TryReadPlain(string canonical)
    {
        try
        {
            return PlainConditionReader.TryRead(canonical);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            return null;
        }
    }

    /// <summary>The expression parsed by the engine's parser and translated: every problem reported, or the condition.</summary>
    /// <remarks>Not inlined, so that System.Linq.Dynamic.Core is not loaded while every expression is plain.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Condition? ReadWithParser(JsonString node, string name, string canonical)
    {
        var text = node.Value;
        var device = Expression.Parameter(typeof(DeviceFacts), "device");
        Expression parsed;
        try
        {
            parsed = ParseWithEngine(canonical, device);
        }
        catch (System.Linq.Dynamic.Core.Exceptions.ParseException e)
        {
            problems.Add(node.Line, node.Column + 1 + e.Position, name, Messages.ExpressionDoesNotParse(text, e.Position, ExpressionText.AsWritten(e.Message)));
            foreach (var literal in UnknownNames(text, e.Message))
            {
                problems.Add(node, name, literal);
            }

            return null;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            // The scanner let through only the vocabulary's tokens, so whatever the parser still
            // throws is a problem with this rule, never a reason to stop listing the others.
            problems.Add(node, name, Messages.ParserFailed(text, ExpressionText.AsWritten(e.Message)));
            return null;
        }

        Condition? condition;
        IReadOnlyList<string> errors;
        try
        {
            condition = ConditionTranslator.Translate(parsed, device, out errors);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            problems.Add(node, name, Messages.ParserFailed(text, ExpressionText.AsWritten(e.Message)));
            return null;
        }

        foreach (var error in errors)
        {
            problems.Add(node, name, error);
        }

        return condition;
    }

    /// <summary>The tree the engine's parser makes of a canonical expression (throws its <c>ParseException</c>).</summary>
    internal static Expression ParseWithEngine(string canonical, ParameterExpression device) =>
        new ExpressionParser([device], canonical, [], ParserConfig).Parse(typeof(bool), createParameterCtor: true);

    /// <summary>When the parser wanted a device type or status, the quoted names that are neither, each with the valid names.</summary>
    internal static IEnumerable<string> UnknownNames(string expression, string parserMessage)
    {
        var wantsType = parserMessage.Contains(nameof(DeviceType) + "' expected", StringComparison.Ordinal);
        var wantsStatus = parserMessage.Contains(nameof(SmiStatus) + "' expected", StringComparison.Ordinal);
        if (!wantsType && !wantsStatus)
        {
            yield break;
        }

        foreach (System.Text.RegularExpressions.Match literal in System.Text.RegularExpressions.Regex.Matches(expression, "\"([^\"]*)\""))
        {
            var text = literal.Groups[1].Value;
            if (DeviceTypes.TryParse(text, out _) || SmiStatuses.TryParse(text, out _) || RetentionPeriod.TryParse(text, out _, out _))
            {
                continue;
            }

            yield return wantsType ? Messages.UnknownDeviceType(text) : Messages.UnknownSmiStatus(text);
        }
    }
}
