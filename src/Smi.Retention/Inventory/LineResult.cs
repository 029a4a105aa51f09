namespace Smi.Retention.Inventory;

/// <summary>What <see cref="LineReader.Next"/> found.</summary>
internal enum LineResult
{
    /// <summary>A line, returned.</summary>
    Line,

    /// <summary>A line longer than <see cref="LineReader.MaxLineBytes"/>, skipped.</summary>
    TooLong,

    /// <summary>No more lines.</summary>
    End,
}
