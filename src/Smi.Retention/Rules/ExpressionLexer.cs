using Smi.Retention.Policies;
using Smi.Retention.Text;

namespace Smi.Retention.Rules;

/// <summary>
/// Splits an expression into tokens, once: names, symbols and strings, each string's escapes
/// undone here and nowhere else (<c>\"</c>, <c>\\</c> and <c>\uXXXX</c>; any other escape is a
/// problem). Refuses what the language never needs before any parsing: numbers, single quotes,
/// operators and characters outside it, control and invisible characters in strings, and
/// expressions longer or deeper than <see cref="PolicyLimits"/> allow.
/// </summary>
internal static class ExpressionLexer
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The tokens of <paramref name="text"/>, ending with an <see cref="ExpressionTokenKind.End"/> token; or null with the problem.</summary>
    public static List<ExpressionToken>? Tokens(string text, out (int Position, string Message)? problem)
    {
        problem = null;
        if (Untrusted.LongerThan(text, PolicyLimits.MaxExpressionLength))
        {
            problem = (Untrusted.EndOfCharacters(text, PolicyLimits.MaxExpressionLength), Messages.ExpressionTooLong(Untrusted.Characters(text))); // at the first character past the limit
            return null;
        }

        var tokens = new List<ExpressionToken>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            var start = i;
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }
            else if (c == '"')
            {
                if (String(text, ref i) is not { } value)
                {
                    problem = (i >= text.Length ? start : i, StringProblem(text, start, i));
                    return null;
                }

                tokens.Add(new ExpressionToken(ExpressionTokenKind.String, start, i - start, value));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new ExpressionToken(ExpressionTokenKind.Name, start, i - start, text[start..i]));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                // A number would be read as a type or status by its position (device.Type == 5 is PPMID): the parser refuses it where it stands.
                tokens.Add(new ExpressionToken(ExpressionTokenKind.Number, start, i - start, text[start..i]));
            }
            else if (c == '\'')
            {
                problem = (i, Messages.SingleQuotes());
                return null;
            }
            else if (c is '=' or '&' or '|' or '<' or '>' or '!')
            {
                // A run of operator characters is one operator: ==, !=, &&, || and ! are the language's;
                // =, &, |, <>, orderings and anything longer (===, &&&) are refused where they stand.
                var length = 1;
                while (i + length < text.Length && text[i + length] is '=' or '&' or '|' or '<' or '>' && !(c == '!' && length == 1 && text[i + 1] != '='))
                {
                    length++;
                }

                var run = text.Substring(start, c == '!' && (i + 1 >= text.Length || text[i + 1] != '=') ? 1 : length);
                tokens.Add(run is "==" or "!=" or "&&" or "||" or "!"
                    ? new ExpressionToken(ExpressionTokenKind.Symbol, start, run.Length, run)
                    : new ExpressionToken(ExpressionTokenKind.Refused, start, run.Length, Messages.OperatorNotInVocabulary(run)));
                i += run.Length;
            }
            else if (c is '(' or ')' or ',' or '.' or '?' or ':')
            {
                tokens.Add(new ExpressionToken(ExpressionTokenKind.Symbol, start, 1, c.ToString()));
                i++;
            }
            else
            {
                // Refused where the parser meets it, so that a name outside the language before it is named first.
                var length = char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
                tokens.Add(new ExpressionToken(ExpressionTokenKind.Refused, start, length, Messages.CharacterNotInVocabulary(Untrusted.Show(text.AsSpan(i, length)), Untrusted.Characters(text.AsSpan(0, i)))));
                i += length;
            }
        }

        tokens.Add(new ExpressionToken(ExpressionTokenKind.End, text.Length, 0, ""));
        problem = Limits(tokens);
        return problem is null ? tokens : null;
    }

    /// <summary>A string's value from its opening quote at <paramref name="i"/>, with <paramref name="i"/> after its closing quote; or null with <paramref name="i"/> at the fault.</summary>
    private static string? String(string text, ref int i)
    {
        var value = new System.Text.StringBuilder();
        for (i++; i < text.Length;)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return value.ToString();
            }

            if (c == '\\')
            {
                if (i + 1 < text.Length && text[i + 1] is '"' or '\\')
                {
                    value.Append(text[i + 1]);
                    i += 2;
                    continue;
                }

                if (i + 5 < text.Length && text[i + 1] == 'u' && !text.AsSpan(i + 2, 4).ContainsAnyExcept(HexDigits))
                {
                    value.Append((char)ushort.Parse(text.AsSpan(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture));
                    i += 6;
                    continue;
                }

                return null;
            }

            var status = System.Text.Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            if (status != System.Buffers.OperationStatus.Done || (rune.Value != ' ' && !Untrusted.IsPrintableText(rune.ToString())))
            {
                return null;
            }

            value.Append(text, i, used);
            i += used;
        }

        return null;
    }

    /// <summary>Why the string from <paramref name="start"/> stopped at <paramref name="at"/>.</summary>
    private static string StringProblem(string text, int start, int at) =>
        at >= text.Length ? Messages.UnterminatedString()
        : text[at] == '\\' ? Messages.EscapeNotAllowed(Untrusted.Show(text.AsSpan(at, Math.Min(at + 1 < text.Length && text[at + 1] == 'u' ? 6 : 2, text.Length - at))), Untrusted.Characters(text.AsSpan(0, at)))
        : Messages.InvisibleCharacterInString(Untrusted.Show(text.AsSpan(at, char.IsHighSurrogate(text[at]) && at + 1 < text.Length && char.IsLowSurrogate(text[at + 1]) ? 2 : 1)), Untrusted.Characters(text.AsSpan(0, at)));

    /// <summary>The bounds that keep reading cheap and shallow, each problem at the token that first passes its bound.</summary>
    private static (int Position, string Message)? Limits(List<ExpressionToken> tokens)
    {
        int depth = 0, deepest = 0, unary = 0, binary = 0;
        int tooDeep = -1, tooManyUnary = -1, tooManyBinary = -1;
        foreach (var token in tokens)
        {
            depth += token.Is("(") ? 1 : token.Is(")") ? -1 : 0;
            deepest = Math.Max(deepest, depth);
            unary += token.Is("!") || token.Is("?") || token.IsWord("not") ? 1 : 0;
            binary += token.Is("&&") || token.Is("||") || token.Is("==") || token.Is("!=") || token.Is(",")
                || token.IsWord("and") || token.IsWord("or") || token.IsWord("in") ? 1 : 0;
            tooDeep = tooDeep < 0 && depth > PolicyLimits.MaxParenthesisDepth ? token.Start : tooDeep;
            tooManyUnary = tooManyUnary < 0 && unary > PolicyLimits.MaxUnaryOperators ? token.Start : tooManyUnary;
            tooManyBinary = tooManyBinary < 0 && binary > PolicyLimits.MaxBinaryOperators ? token.Start : tooManyBinary;
        }

        return tooDeep >= 0 ? (tooDeep, Messages.ExpressionTooDeep(deepest))
            : tooManyUnary >= 0 ? (tooManyUnary, Messages.ExpressionTooManyUnary(unary))
            : tooManyBinary >= 0 ? (tooManyBinary, Messages.ExpressionTooManyBinary(binary))
            : null;
    }
}
