using Smi.Retention.Text;

namespace Smi.Retention.Rules;

/// <summary>
/// Reads an expression into its <see cref="Condition"/>: the one reader of the rule language. Its
/// grammar is the part of RulesEngine's (System.Linq.Dynamic.Core's) that the vocabulary needs,
/// with the same precedence, lowest first: <c>? :</c>, <c>|| or</c>, <c>&amp;&amp; and</c>,
/// <c>in</c>, <c>== !=</c>, <c>! not</c>; so every expression it accepts means what RulesEngine's
/// engine decides for it (ExpressionOracleTests). Names and periods are checked on what a literal
/// says once its escapes are undone (<see cref="ExpressionLexer"/>, <see cref="ArgumentKind"/>).
/// Every problem carries the index of the offending token's first character.
/// </summary>
internal sealed class ExpressionParser
{
    /// <summary>The words of the language besides <c>device</c>: its operators and constants, lower case.</summary>
    private static readonly string[] Keywords = ["and", "or", "not", "in", "true", "false"];

    /// <summary>Why a name outside the language is refused: a keyword or <c>device</c> in another case is told so.</summary>
    private static string Foreign(string name) =>
        name.ToLowerInvariant() is var lower && (lower == "device" || Keywords.Contains(lower)) ? Messages.KeywordInAnotherCase(name) : Messages.NameNotInVocabulary(name);

    private readonly List<ExpressionToken> _tokens;
    private readonly List<(int Position, string Message)> _problems = [];
    private int _next;

    private ExpressionParser(List<ExpressionToken> tokens) => _tokens = tokens;

    /// <summary>The condition of <paramref name="text"/>, or null and every problem found (-1: the whole expression).</summary>
    public static Condition? Read(string text, out IReadOnlyList<(int Position, string Message)> problems)
    {
        var tokens = ExpressionLexer.Tokens(text, out var lexical);
        if (tokens is null)
        {
            problems = [lexical!.Value];
            return null;
        }

        var parser = new ExpressionParser(tokens);
        Condition? condition = null;
        try
        {
            var value = parser.Conditional();
            if (parser.Peek.Kind != ExpressionTokenKind.End)
            {
                parser.Stop(parser.Peek.Start, Unexpected(parser.Peek, "the end of the expression, &&, || or ? :"));
            }

            condition = parser.AsCondition(value);
        }
        catch (StopReading)
        {
        }

        problems = parser._problems;
        return parser._problems.Count == 0 ? condition : null;
    }

    private ExpressionToken Peek => _tokens[_next];

    // Conditional := Or ('?' Conditional ':' Conditional)?
    private Operand Conditional()
    {
        var test = Or();
        if (!Take("?"))
        {
            return test;
        }

        var then = Conditional();
        Expect(":", "':' and the condition for when the test is false");
        var otherwise = Conditional();
        return Operand.Of(new IfCondition(AsCondition(test), AsCondition(then), AsCondition(otherwise)), test.Start);
    }

    // Or := And (('||' | 'or') And)*
    private Operand Or()
    {
        var left = And();
        while (Take("||") || TakeWord("or"))
        {
            var right = And();
            left = Operand.Of(new OrCondition(AsCondition(left), AsCondition(right)), left.Start);
        }

        return left;
    }

    // And := In (('&&' | 'and') In)*
    private Operand And()
    {
        var left = In();
        while (Take("&&") || TakeWord("and"))
        {
            var right = In();
            left = Operand.Of(new AndCondition(AsCondition(left), AsCondition(right)), left.Start);
        }

        return left;
    }

    // In := Comparison ('in' '(' String (',' String)* ')')?   where the comparison is a compared member
    private Operand In()
    {
        var left = Comparison();
        if (!TakeWord("in"))
        {
            return left;
        }

        if (left.Member is not { } member)
        {
            Stop(left.Start, Messages.InNeedsMember(Vocabulary.Type.Name, Vocabulary.Status.Name));
            return left;
        }

        Expect("(", "'(' and a list of names in double quotes, e.g. in (\"CHF\", \"GPF\")");
        Condition? list = null;
        do
        {
            if (Peek.Kind != ExpressionTokenKind.String)
            {
                Stop(Peek.Start, Messages.InListOfNames(member.Name, member.Argument!.Example));
            }

            var one = Test(member, Next(), asDeclared: false);
            list = list is null ? one : new OrCondition(list, one);
        }
        while (Take(","));

        Expect(")", "',' or ')' to close the list");
        if (Peek.IsWord("in"))
        {
            Stop(Peek.Start, Messages.InNeedsMember(Vocabulary.Type.Name, Vocabulary.Status.Name));
        }

        return Operand.Of(list, left.Start);
    }

    // Comparison := Unary (('==' | '!=') Unary)*, left to right
    private Operand Comparison()
    {
        var left = UnaryOperand();
        while (Peek.Is("==") || Peek.Is("!="))
        {
            var equal = Next().Is("==");
            var right = UnaryOperand();
            var same = Compare(left, right);
            left = Operand.Of(equal ? same : new NotCondition(same), left.Start);
        }

        return left;
    }

    private Condition Compare(Operand left, Operand right)
    {
        if (left.Condition is { } a && right.Condition is { } b)
        {
            // Two conditions are equal when both hold or neither does.
            return new OrCondition(new AndCondition(a, b), new AndCondition(new NotCondition(a), new NotCondition(b)));
        }

        if (left.Member is { } member && right.Literal is { } literal)
        {
            return Test(member, literal, asDeclared: false);
        }

        if (right.Member is { } swapped && left.Literal is { } first)
        {
            return Test(swapped, first, asDeclared: false);
        }

        Stop(left.Start, Messages.UnsupportedComparison(Vocabulary.Type.Example));
        return Condition.False;
    }

    /// <summary>A unary operand; an operator or character outside the language right after it is the problem there, before what it leaves unfinished.</summary>
    private Operand UnaryOperand()
    {
        var operand = Unary();
        if (Peek.Kind is ExpressionTokenKind.Refused or ExpressionTokenKind.Number)
        {
            Stop(Peek.Start, Unexpected(Peek, "an operator"));
        }

        return operand;
    }

    // Unary := ('!' | 'not') Unary | Primary
    private Operand Unary()
    {
        var start = Peek.Start;
        if (Take("!") || TakeWord("not"))
        {
            var operand = Unary();
            if (operand.Condition is null)
            {
                Stop(start, Messages.NotNeedsCondition());
            }

            return Operand.Of(new NotCondition(operand.Condition!), start);
        }

        return Primary();
    }

    // Primary := '(' Conditional ')' | 'true' | 'false' | String | 'device' '.' Member
    private Operand Primary()
    {
        var token = Next();
        if (token.Is("("))
        {
            var inner = Conditional();
            Expect(")", "')' to close the bracket opened at character " + (token.Start + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return inner with { Start = token.Start };
        }

        if (token.IsWord("true") || token.IsWord("false"))
        {
            return Operand.Of(token.Text == "true" ? Condition.True : Condition.False, token.Start);
        }

        if (token.Kind == ExpressionTokenKind.String)
        {
            return new Operand(null, null, token, token.Start);
        }

        if (token.Kind == ExpressionTokenKind.Number)
        {
            Stop(token.Start, Messages.NumberInRule(token.Text));
        }

        if (token.Kind == ExpressionTokenKind.Name && !token.IsWord("device") && !Keywords.Contains(token.Text))
        {
            Stop(token.Start, Foreign(Chain(token)));
        }

        if (!token.IsWord("device"))
        {
            Stop(token.Start, Unexpected(token, "a condition"));
        }

        Expect(".", "'.' and a member, e.g. " + Vocabulary.PendingFor.Example);
        var name = Next();
        if (name.Kind != ExpressionTokenKind.Name)
        {
            Stop(name.Start, Unexpected(name, "a member of device, e.g. " + Vocabulary.PendingFor.Example));
        }

        var operand = Member(name, token.Start);
        if (Peek.Is("."))
        {
            // device.Status.Foo, device.Type.ToString(): the vocabulary's members have no members.
            var after = _tokens[_next + 1];
            Stop(after.Kind == ExpressionTokenKind.Name ? after.Start : Peek.Start, Messages.MemberOfMember(after.Text));
        }

        return operand;
    }

    private Operand Member(ExpressionToken name, int start)
    {
        if (Vocabulary.DateMembers.Contains(name.Text))
        {
            Stop(name.Start, Messages.DateMemberUsed(name.Text));
        }

        if (Vocabulary.Find(name.Text) is not { } member)
        {
            // Member names are exact, as field names are: device.pendingFor and device.PendingFr are both refused.
            Stop(name.Start, Messages.NotADeviceMember(name.Text, Spelling.Suggest(name.Text, Vocabulary.Members.Select(m => m.Name).ToArray())));
            return default;
        }

        if (member.Shape != MemberShape.Call)
        {
            if (Peek.Is("("))
            {
                Stop(name.Start, Messages.PropertyCalled(member.Name));
            }

            return member.Shape == MemberShape.Flag ? Operand.Of(new MemberTest(member, 0), start) : new Operand(null, member, null, start);
        }

        // One literal in brackets: device.PendingFor("P36M").
        var opened = Take("(");
        if (opened && Peek.Kind == ExpressionTokenKind.Name && !Peek.IsWord("device") && !Keywords.Contains(Peek.Text))
        {
            var foreign = Next();
            Stop(foreign.Start, Foreign(Chain(foreign)));
        }

        if (!opened || Peek.Kind != ExpressionTokenKind.String || !_tokens[_next + 1].Is(")"))
        {
            Stop(name.Start, member.Argument == ArgumentKind.Period ? Messages.PeriodMustBeLiteral(member.Name) : Messages.StatusMustBeLiteral(member.Name));
        }

        var test = Test(member, Next(), asDeclared: true);
        Next();
        return Operand.Of(test, start);
    }

    /// <summary>
    /// The test of <paramref name="member"/> with the literal <paramref name="literal"/>; a literal
    /// that is not one value of the member's kind is a problem, and reading goes on. A call's
    /// argument is a name as declared, compared names any case (<see cref="ArgumentKind.TryRead"/>).
    /// </summary>
    private Condition Test(VocabularyMember member, ExpressionToken literal, bool asDeclared)
    {
        if (member.Argument!.IsText)
        {
            if (member.Argument.TryReadText(literal.Text, out var textError))
            {
                return new MemberTest(member, 0, literal.Text);
            }

            _problems.Add((literal.Start, textError));
            return Condition.False;
        }

        if (member.Argument.TryRead(literal.Text, asDeclared, out var value, out var error))
        {
            return new MemberTest(member, value);
        }

        _problems.Add((literal.Start, error));
        return Condition.False;
    }

    private Condition AsCondition(Operand operand)
    {
        if (operand.Condition is { } condition)
        {
            return condition;
        }

        Stop(operand.Start, operand.Member is { } member
            ? Messages.MemberNeedsComparison(member.Name, member.Example)
            : Messages.LiteralIsNotACondition(Shown(operand.Literal!)));
        return Condition.False;
    }

    private ExpressionToken Next() => _tokens[_next == _tokens.Count - 1 ? _next : _next++];

    private bool Take(string symbol)
    {
        if (!Peek.Is(symbol))
        {
            return false;
        }

        _next++;
        return true;
    }

    private bool TakeWord(string word)
    {
        if (!Peek.IsWord(word))
        {
            return false;
        }

        _next++;
        return true;
    }

    private void Expect(string symbol, string what)
    {
        if (!Take(symbol))
        {
            Stop(Peek.Start, Unexpected(Peek, what));
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Stop(int position, string message)
    {
        _problems.Add((position, message));
        throw new StopReading();
    }

    /// <summary>A refused name with the member and call that follow it, as written: <c>Math.PI</c>, <c>Enumerable.Range(...)</c>.</summary>
    private string Chain(ExpressionToken name)
    {
        var chain = name.Text;
        if (Peek.Is(".") && _tokens[_next + 1].Kind == ExpressionTokenKind.Name)
        {
            chain += "." + _tokens[_next + 1].Text;
            _next += 2;
        }

        return Peek.Is("(") ? chain + "(...)" : chain;
    }

    /// <summary>Why <paramref name="token"/> cannot stand where the reader needs <paramref name="what"/>: the lexer's own reason for a refused token.</summary>
    private static string Unexpected(ExpressionToken token, string what) => token.Kind switch
    {
        ExpressionTokenKind.End => Messages.ExpressionEndsEarly(),
        ExpressionTokenKind.Refused => token.Text,
        ExpressionTokenKind.Number => Messages.NumberInRule(token.Text),
        ExpressionTokenKind.Name when Keywords.Contains(token.Text.ToLowerInvariant()) && !Keywords.Contains(token.Text) => Messages.KeywordInAnotherCase(token.Text),
        _ => Messages.UnexpectedToken(Shown(token), what),
    };

    private static string Shown(ExpressionToken token) => token.Kind switch
    {
        ExpressionTokenKind.End => "the end of the expression",
        ExpressionTokenKind.String => "\"" + Untrusted.Show(token.Text, 60) + "\"",
        _ => "'" + token.Text + "'",
    };

    /// <summary>What an operand is: a condition, a compared member (<c>device.Type</c>), or a literal; and where it starts.</summary>
    private readonly record struct Operand(Condition? Condition, VocabularyMember? Member, ExpressionToken? Literal, int Start)
    {
        public static Operand Of(Condition condition, int start) => new(condition, null, null, start);
    }

    /// <summary>Ends reading at a problem after which nothing more can be read with confidence.</summary>
    private sealed class StopReading : Exception
    {
    }
}
