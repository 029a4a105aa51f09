using Smi.Retention.Policies;
using Smi.Retention.Safety;

namespace Smi.Retention.Rules;

/// <summary>
/// Reads a rule's expression as tokens before any parser sees it, and refuses what the vocabulary
/// never needs: names other than <c>device</c> and the keywords (so no type, constructor or function
/// of the parser can run while a policy loads), single quotes, arithmetic and other characters, and
/// expressions longer or deeper than <see cref="PolicyLimits"/> allow (so no parser recursion can
/// overflow the stack). What passes is parsed and translated as before.
/// </summary>
internal static class ExpressionScanner
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "device", "true", "false", "null", "in", "and", "or", "not" };

    /// <summary>Every reason the expression cannot be parsed safely; empty when it can.</summary>
    public static List<string> Check(string text)
    {
        var errors = new List<string>();
        if (text.Length > PolicyLimits.MaxExpressionLength)
        {
            errors.Add(Messages.ExpressionTooLong(text.Length));
            return errors;
        }

        int depth = 0, deepest = 0, unary = 0, binary = 0;
        var afterDot = false;
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            var start = i;
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
                continue;
            }

            if (c == '"')
            {
                i = String(text, i, errors);
            }
            else if (c == '\'')
            {
                errors.Add(Messages.SingleQuotes());
                return errors;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var name = text[start..i];
                if (!afterDot && !Keywords.Contains(name))
                {
                    errors.Add(Messages.NameNotInVocabulary(Chain(text, start, ref i)));
                }

                if (!afterDot && name is "not")
                {
                    unary++;
                }

                if (!afterDot && name is "and" or "or" or "in")
                {
                    binary++;
                }
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
            }
            else if (c is '(' or ')')
            {
                depth += c == '(' ? 1 : -1;
                deepest = Math.Max(deepest, depth);
                i++;
            }
            else if (c is '!' or '?')
            {
                if (c == '?' || i + 1 >= text.Length || text[i + 1] != '=')
                {
                    unary++;
                }

                i++;
            }
            else if (c is '=' or '&' or '|' or '<' or '>' or ',')
            {
                binary++;
                i += i + 1 < text.Length && text[i + 1] is '=' or '&' or '|' ? 2 : 1;
            }
            else if (c is '.' or ':')
            {
                i++;
            }
            else
            {
                errors.Add(Messages.CharacterNotInVocabulary(Untrusted.Show(text.AsSpan(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1)), i));
                return errors;
            }

            afterDot = c == '.';
        }

        if (deepest > PolicyLimits.MaxParenthesisDepth)
        {
            errors.Add(Messages.ExpressionTooDeep(deepest));
        }

        if (unary > PolicyLimits.MaxUnaryOperators)
        {
            errors.Add(Messages.ExpressionTooManyUnary(unary));
        }

        if (binary > PolicyLimits.MaxBinaryOperators)
        {
            errors.Add(Messages.ExpressionTooManyBinary(binary));
        }

        return errors;
    }

    /// <summary>Skips a string literal; its characters must be visible ones.</summary>
    private static int String(string text, int i, List<string> errors)
    {
        for (i++; i < text.Length;)
        {
            if (text[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (text[i] == '"')
            {
                return i + 1;
            }

            var status = System.Text.Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            if (status != System.Buffers.OperationStatus.Done || (rune.Value != ' ' && !Untrusted.IsPrintableText(rune.ToString())))
            {
                errors.Add(Messages.InvisibleCharacterInString(Untrusted.Show(text.AsSpan(i, 1)), i));
                return text.Length;
            }

            i += used;
        }

        errors.Add(Messages.UnterminatedString());
        return text.Length;
    }

    /// <summary>A refused name with the member and call that follow it, as written: <c>Math.PI</c>, <c>Enumerable.Range(...)</c>.</summary>
    private static string Chain(string text, int start, ref int i)
    {
        if (i + 1 < text.Length && text[i] == '.' && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '_'))
        {
            i++;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }
        }

        var chain = text[start..i];
        return i < text.Length && text[i] == '(' ? chain + "(...)" : chain;
    }
}
