namespace Smi.Retention.Rules;

/// <summary>
/// The expressions policies are written in (<c>device.Type in ("ESME", "GSME") &amp;&amp;
/// device.PendingFor("P36M")</c>: the vocabulary joined by <c>&amp;&amp; || ! and or not</c> and
/// brackets) read straight to their <see cref="Condition"/>, without starting
/// System.Linq.Dynamic.Core, whose first parse costs about 80 ms of every run. Anything else
/// (<c>?:</c>, <c>=</c>, comparisons of booleans, a name or period that is not valid, escapes) is
/// left to the full reader, so every problem is still reported by it, as before.
/// PlainConditionReaderTests holds the two to the same condition for any expression this reads.
/// </summary>
internal ref struct PlainConditionReader
{
    private readonly ReadOnlySpan<char> _text;
    private int _at;

    // The last Unary read a bare comparison ('device.Type == "ESME"'), which '!' may not take:
    // the parser reads '!device.Type == "ESME"' as '(!device.Type) == "ESME"'.
    private bool _bareComparison;

    private PlainConditionReader(ReadOnlySpan<char> text) => _text = text;

    /// <summary>The condition of <paramref name="text"/> (canonical, as <see cref="ExpressionScanner.Canonical"/> writes it), or null if it is not plain.</summary>
    public static Condition? TryRead(ReadOnlySpan<char> text)
    {
        var reader = new PlainConditionReader(text);
        var condition = reader.Or();
        return condition is not null && reader.Next().IsEmpty ? condition : null;
    }

    // Or := And (('||' | 'or') And)*, left to right, as the parser groups them.
    private Condition? Or()
    {
        var left = And();
        while (left is not null && (Take("||") || TakeWord("or")))
        {
            left = And() is { } right ? new OrCondition(left, right) : null;
        }

        return left;
    }

    // And := In (('&&' | 'and') In)*.
    private Condition? And()
    {
        var left = Unary();
        while (left is not null && (Take("&&") || TakeWord("and")))
        {
            left = Unary() is { } right ? new AndCondition(left, right) : null;
        }

        return left;
    }

    // Unary := ('!' | 'not') Unary | '(' Or ')' | a boolean member or call | a comparison of Type or Status.
    private Condition? Unary()
    {
        _bareComparison = false;
        if (Take("!") || TakeWord("not"))
        {
            return Unary() is { } operand && !_bareComparison && !FollowedByComparison() ? new NotCondition(operand) : null;
        }

        if (Take("("))
        {
            var inner = Or();
            _bareComparison = false;
            return inner is not null && Take(")") && !FollowedByComparison() ? inner : null;
        }

        if (TakeWord("true") || TakeWord("false"))
        {
            return null; // rare, and 'true == x' would need the parser's rules: left to it
        }

        if (!TakeWord("device") || !Take("."))
        {
            return null;
        }

        var member = Word().ToString();
        switch (member)
        {
            case nameof(DeviceFacts.IsCommunicationsHub):
                return FollowedByComparison() ? null : new OrCondition(new TypeIs(DeviceType.CHF), new TypeIs(DeviceType.GPF));
            case nameof(DeviceFacts.HeldFor) or nameof(DeviceFacts.PendingFor):
                if (Argument() is not { } text || !RetentionPeriod.TryParse(text, out var period, out _) || FollowedByComparison())
                {
                    return null;
                }

                return member == nameof(DeviceFacts.HeldFor) ? new HeldFor(period) : new AndCondition(new StatusIs(SmiStatus.Pending), new HeldFor(period));
            case nameof(DeviceFacts.HeldBefore) or nameof(DeviceFacts.HeldBeforeOtherThan):
                if (Argument() is not { } name || !IsStatus(name, out var status) || FollowedByComparison())
                {
                    return null;
                }

                return member == nameof(DeviceFacts.HeldBefore) ? new HeldBefore(status) : new HeldBeforeOtherThan(status);
            case nameof(DeviceFacts.Type) or nameof(DeviceFacts.Status):
                _bareComparison = true;
                return Comparison(member == nameof(DeviceFacts.Type));
            default:
                return null;
        }
    }

    // After device.Type or device.Status: '==' or '!=' a name, or 'in' a bracketed list of names.
    private Condition? Comparison(bool type)
    {
        if (TakeWord("in"))
        {
            if (!Take("("))
            {
                return null;
            }

            Condition? list = null;
            do
            {
                if (Literal() is not { } name || Named(type, name) is not { } one)
                {
                    return null;
                }

                list = list is null ? one : new OrCondition(list, one);
            }
            while (Take(","));

            return Take(")") && !FollowedByComparison() && !Peek("in") ? list : null;
        }

        var equal = Take("==");
        if (!equal && !Take("!="))
        {
            return null;
        }

        if (Literal() is not { } literal || Named(type, literal) is not { } condition || FollowedByComparison() || Peek("in"))
        {
            return null;
        }

        return equal ? condition : new NotCondition(condition);
    }

    private static Condition? Named(bool type, string name)
    {
        if (type)
        {
            return DeviceTypes.TryParse(name, out var deviceType) && DeviceTypes.IsDefined(deviceType) && deviceType.ToString() == name ? new TypeIs(deviceType) : null;
        }

        return IsStatus(name, out var status) ? new StatusIs(status) : null;
    }

    private static bool IsStatus(string name, out SmiStatus status) =>
        SmiStatuses.TryParse(name, out status) && SmiStatuses.IsDefined(status) && status.ToString() == name;

    // '(' a string ')'.
    private string? Argument() => Take("(") && Literal() is { } text && Take(")") ? text : null;

    // A string of letters and digits in double quotes: no escape, nothing the parser would read otherwise.
    private string? Literal()
    {
        var next = Next();
        if (next.IsEmpty || next[0] != '"')
        {
            return null;
        }

        var end = 1;
        while (end < next.Length && char.IsAsciiLetterOrDigit(next[end]))
        {
            end++;
        }

        if (end == 1 || end >= next.Length || next[end] != '"')
        {
            return null;
        }

        _at = _text.Length - next.Length + end + 1;
        return next[1..end].ToString();
    }

    private readonly bool FollowedByComparison()
    {
        var next = Next();
        return next.StartsWith("!=", StringComparison.Ordinal) || (!next.IsEmpty && next[0] is '=' or '<' or '>');
    }

    private ReadOnlySpan<char> Word()
    {
        var next = Next();
        var length = 0;
        while (length < next.Length && (char.IsAsciiLetterOrDigit(next[length]) || next[length] == '_'))
        {
            length++;
        }

        _at = _text.Length - next.Length + length;
        return next[..length];
    }

    private bool Take(string symbol)
    {
        var next = Next();
        if (!next.StartsWith(symbol, StringComparison.Ordinal)
            || (symbol is "!" && next.StartsWith("!=", StringComparison.Ordinal))
            || (symbol is "&&" or "||" or "==" or "!=" && next.Length > 2 && next[2] is '=' or '&' or '|'))
        {
            return false;
        }

        _at = _text.Length - next.Length + symbol.Length;
        return true;
    }

    private bool TakeWord(string word)
    {
        if (!Peek(word))
        {
            return false;
        }

        _at = _text.Length - Next().Length + word.Length;
        return true;
    }

    private readonly bool Peek(string word)
    {
        var next = Next();
        return next.StartsWith(word, StringComparison.Ordinal) && (next.Length == word.Length || !(char.IsAsciiLetterOrDigit(next[word.Length]) || next[word.Length] == '_'));
    }

    /// <summary>The text from the next token on.</summary>
    private readonly ReadOnlySpan<char> Next() => _text[_at..].TrimStart(" \t\r\n");
}
