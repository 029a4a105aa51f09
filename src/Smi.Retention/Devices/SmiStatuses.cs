namespace Smi.Retention;

/// <summary>Parsing of <see cref="SmiStatus"/> values.</summary>
public static class SmiStatuses
{
    /// <summary>Every SMI status, in declaration order.</summary>
    public static ReadOnlySpan<SmiStatus> All => EnumNames<SmiStatus>.All;

    /// <summary>Parses an SMI status name case-insensitively (<c>pending</c>, <c>Pending</c>).</summary>
    /// <param name="text">The name, e.g. <c>Commissioned</c>.</param>
    /// <returns>The status.</returns>
    /// <exception cref="FormatException">The text is not a status name; the message lists the valid names.</exception>
    public static SmiStatus Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var status) ? status : throw new FormatException(Messages.UnknownSmiStatus(text));

    /// <summary>Parses an SMI status name case-insensitively; numbers are not accepted.</summary>
    /// <param name="text">The name, e.g. <c>Commissioned</c>.</param>
    /// <param name="status">The status, when the result is <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a status.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out SmiStatus status) => EnumNames<SmiStatus>.TryParse(text, out status);

    /// <summary>Parses a name case-insensitively, giving the reason (with the valid names) when it fails.</summary>
    /// <param name="text">The name.</param>
    /// <param name="status">The value, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is wrong, listing the valid names, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a name.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out SmiStatus status, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        error = EnumNames<SmiStatus>.TryParse(text, out status) ? null : Messages.UnknownSmiStatus(text);
        return error is null;
    }

    /// <summary>Whether <paramref name="status"/> is a declared status (not an uninitialised or cast value).</summary>
    /// <param name="status">The value to check.</param>
    /// <returns><see langword="true"/> for the declared statuses.</returns>
    public static bool IsDefined(SmiStatus status) => (uint)status - 1 < (uint)EnumNames<SmiStatus>.Count;
}
