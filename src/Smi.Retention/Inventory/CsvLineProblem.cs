namespace Smi.Retention.Inventory;

/// <summary>The ways a line breaks the quoting rules.</summary>
internal enum CsvLineProblem
{
    /// <summary>No problem.</summary>
    None,

    /// <summary>A quoted field does not close before the line ends.</summary>
    Unterminated,

    /// <summary>Characters follow a quoted field's closing quote before the next comma.</summary>
    AfterClosingQuote,

    /// <summary>A quote appears inside a field that does not start with one.</summary>
    QuoteInUnquoted,
}
