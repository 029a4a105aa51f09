namespace Smi.Retention.Rules;

/// <summary>What a token of an expression is.</summary>
internal enum ExpressionTokenKind
{
    /// <summary>The end of the expression.</summary>
    End,

    /// <summary>A name: <c>device</c>, a member, a keyword (<c>and</c>, <c>in</c>, <c>true</c> ...) or anything else spelt with letters.</summary>
    Name,

    /// <summary>A string in double quotes; its text is the string with its escapes undone.</summary>
    String,

    /// <summary>One of <c>== != &amp;&amp; || ! ( ) , . ? :</c>.</summary>
    Symbol,

    /// <summary>A number, which the language has no use for (types and statuses are written by name).</summary>
    Number,

    /// <summary>An operator or character outside the language; its text is the problem to report where the parser meets it.</summary>
    Refused,
}

/// <summary>A token of an expression, at its place in the expression's text (the JSON string's value).</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">The index of its first character.</param>
/// <param name="Length">How many characters it spans in the text, escapes counted as written.</param>
/// <param name="Text">The name or symbol, or the string's value with its escapes undone.</param>
internal sealed record ExpressionToken(ExpressionTokenKind Kind, int Start, int Length, string Text)
{
    /// <summary>Whether this is the symbol <paramref name="symbol"/>.</summary>
    public bool Is(string symbol) => Kind == ExpressionTokenKind.Symbol && Text == symbol;

    /// <summary>Whether this is the name <paramref name="word"/> (exact case: keywords are lower case).</summary>
    public bool IsWord(string word) => Kind == ExpressionTokenKind.Name && Text == word;
}
