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

    // The dates are members too, refused later with the reason (dates enter only through periods).
    private static readonly HashSet<string> Members = new(DeviceFacts.Vocabulary.Concat(DeviceFacts.Dates), StringComparer.Ordinal);

    private static readonly string[] Names = [.. DeviceTypes.All.ToArray().Select(t => t.ToString()), .. SmiStatuses.All.ToArray().Select(s => s.ToString())];

    /// <summary>Every reason the expression cannot be parsed safely, each at its character (-1 for the whole expression); empty when it can.</summary>
    public static List<(int Position, string Message)> Check(string text)
    {
        var errors = new List<(int Position, string Message)>();
        // Misspelt names in strings, numbers and misshapen members: reported only when nothing else is
        // wrong, and not when the rule uses a date member (the translator then says why that cannot be).
        var names = new List<(int Position, string Message)>();
        var usesDates = false;
        if (text.Length > PolicyLimits.MaxExpressionLength)
        {
            errors.Add((-1, Messages.ExpressionTooLong(text.Length)));
            return errors;
        }

        int depth = 0, deepest = 0, unary = 0, binary = 0;
        var afterDot = false;
        var afterDevice = false;
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
                i = String(text, i, errors, names);
            }
            else if (c == '\'')
            {
                errors.Add((i, Messages.SingleQuotes()));
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
                    errors.Add((start, Messages.NameNotInVocabulary(Chain(text, start, ref i))));
                }
                else if (afterDot && afterDevice && !Members.Contains(name))
                {
                    // Member names are exact, as field names are: device.pendingFor and device.PendingFr are both refused.
                    errors.Add((start, Messages.NotADeviceMember(name, Spelling.Suggest(name, DeviceFacts.Vocabulary))));
                }
                else if (afterDot && afterDevice && ShapeProblem(text, name, i) is { } shape)
                {
                    names.Add((start, shape));
                }
                else if (afterDot && !afterDevice)
                {
                    // device.Status.Foo, device.Type.ToString(): the vocabulary's members have no members.
                    names.Add((start, Messages.MemberOfMember(name)));
                }

                usesDates |= afterDot && afterDevice && DeviceFacts.Dates.Contains(name);

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
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.'))
                {
                    i++;
                }

                // A number would be converted to a type or status by its position (device.Type == 5 is PPMID): refused.
                names.Add((start, Messages.NumberInRule(text[start..i])));
            }
            else if (c is '(' or ')')
            {
                depth += c == '(' ? 1 : -1;
                deepest = Math.Max(deepest, depth);
                i++;
            }
            else if (c is '!' && i + 1 < text.Length && text[i + 1] == '=')
            {
                binary++;
                i += 2;
            }
            else if (c is '!' or '?')
            {
                unary++;
                i++;
            }
            else if (c is '=' or '&' or '|' or '<' or '>' or ',')
            {
                binary++;
                i += i + 1 < text.Length && text[i + 1] is '=' or '&' or '|' or '>' ? 2 : 1;

                // The parser also reads =, &, |, <> and comparisons of order; the vocabulary has one spelling of each.
                if (text[start..i] is not ("==" or "&&" or "||" or ","))
                {
                    names.Add((start, Messages.OperatorNotInVocabulary(text[start..i])));
                }
            }
            else if (c is '.' or ':')
            {
                i++;
            }
            else
            {
                errors.Add((i, Messages.CharacterNotInVocabulary(Untrusted.Show(text.AsSpan(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1)), i)));
                return errors;
            }

            afterDevice = (c == '.' && afterDevice) || (!afterDot && text.AsSpan(start, i - start) is "device");
            afterDot = c == '.';
        }

        if (errors.Count == 0 && !usesDates)
        {
            errors.AddRange(names);
        }

        if (deepest > PolicyLimits.MaxParenthesisDepth)
        {
            errors.Add((-1, Messages.ExpressionTooDeep(deepest)));
        }

        if (unary > PolicyLimits.MaxUnaryOperators)
        {
            errors.Add((-1, Messages.ExpressionTooManyUnary(unary)));
        }

        if (binary > PolicyLimits.MaxBinaryOperators)
        {
            errors.Add((-1, Messages.ExpressionTooManyBinary(binary)));
        }

        return errors;
    }

    /// <summary>Skips a string literal; its characters must be visible ones.</summary>
    private static int String(string text, int i, List<(int Position, string Message)> errors, List<(int Position, string Message)> names)
    {
        var start = i;
        for (i++; i < text.Length;)
        {
            if (text[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (text[i] == '"')
            {
                CheckName(text[(start + 1)..i], start, names);
                return i + 1;
            }

            var status = System.Text.Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            if (status != System.Buffers.OperationStatus.Done || (rune.Value != ' ' && !Untrusted.IsPrintableText(rune.ToString())))
            {
                errors.Add((i, Messages.InvisibleCharacterInString(Untrusted.Show(text.AsSpan(i, 1)), i)));
                return text.Length;
            }

            i += used;
        }

        errors.Add((start, Messages.UnterminatedString()));
        return text.Length;
    }

    /// <summary>
    /// The expression with every type and status name in a string written as declared (any case is
    /// accepted, as in an inventory): <c>device.HeldBefore("commissioned")</c> parses as
    /// <c>device.HeldBefore("Commissioned")</c>. Lengths are kept, so parser positions still hold.
    /// </summary>
    public static string Canonical(string text)
    {
        var result = new System.Text.StringBuilder(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '"')
            {
                continue;
            }

            var close = text.IndexOf('"', i + 1);
            if (close < 0)
            {
                break;
            }

            var literal = text[(i + 1)..close];
            var name = DeviceTypes.TryParse(literal, out var type) ? type.ToString() : SmiStatuses.TryParse(literal, out var status) ? status.ToString() : null;
            if (name is not null && name.Length == literal.Length && !literal.Contains('\\', StringComparison.Ordinal))
            {
                result.Remove(i + 1, literal.Length).Insert(i + 1, name);
            }

            i = close;
        }

        return result.ToString();
    }

    /// <summary>
    /// How a member is written: a method takes exactly one name or period in double quotes
    /// (<c>device.PendingFor("P12M")</c>), a property takes none; null when <paramref name="name"/>
    /// at <paramref name="end"/> is written so.
    /// </summary>
    private static string? ShapeProblem(string text, string name, int end)
    {
        var next = end;
        while (next < text.Length && char.IsWhiteSpace(text[next]))
        {
            next++;
        }

        var called = next < text.Length && text[next] == '(';
        if (!DeviceFacts.Methods.Contains(name))
        {
            return called ? Messages.PropertyCalled(name) : null;
        }

        // One string argument: ( "..." ), spaces allowed.
        var i = next + 1;
        while (called && i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        var close = called && i < text.Length && text[i] == '"' ? text.IndexOf('"', i + 1) : -1;
        var after = close + 1;
        while (close >= 0 && after < text.Length && char.IsWhiteSpace(text[after]))
        {
            after++;
        }

        return close >= 0 && after < text.Length && text[after] == ')' ? null
            : name is nameof(DeviceFacts.HeldFor) or nameof(DeviceFacts.PendingFor) ? Messages.PeriodMustBeLiteral(name) : Messages.StatusMustBeLiteral(name);
    }

    /// <summary>
    /// A string in a rule is a device type, a status or a period: anything else is a misspelling
    /// ("Pendng", "Comissioned"), refused here with the closest name instead of the parser's type error.
    /// </summary>
    private static void CheckName(string literal, int position, List<(int Position, string Message)> errors)
    {
        var looksLikePeriod = literal.Length > 1 && literal[0] is 'P' or 'p' && char.IsAsciiDigit(literal[1]);
        if (literal.Contains('\\', StringComparison.Ordinal) || looksLikePeriod || DeviceTypes.TryParse(literal, out _) || SmiStatuses.TryParse(literal, out _))
        {
            return;
        }

        var periodWithoutP = literal.Length > 1 && literal.All(char.IsAsciiLetterOrDigit) && char.IsAsciiDigit(literal[0]);
        errors.Add((position, Messages.NotAName(literal, periodWithoutP ? "P" + literal.ToUpperInvariant() : Spelling.Suggest(literal.Trim(), Names))));
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
