using NodaTime;
using NodaTime.Text;

namespace Smi.Retention;

/// <summary>
/// A retention period in whole calendar months, parsed from ISO-8601 (<c>P36M</c>, <c>P3Y</c>,
/// <c>P1Y6M</c>). <c>P12M</c> and <c>P1Y</c> are the same retention period: equality and ordering
/// are by total months, never by NodaTime <see cref="Period"/> equality.
/// </summary>
public readonly struct RetentionPeriod : IEquatable<RetentionPeriod>, IComparable<RetentionPeriod>
{
    /// <summary>The longest period accepted: 100 years.</summary>
    public const int MaxMonths = 1200;

    private readonly int _months;

    private RetentionPeriod(int months) => _months = months;

    /// <summary>The period in total calendar months (1 to <see cref="MaxMonths"/>; 0 only for <c>default</c>).</summary>
    public int Months => _months;

    /// <summary>Creates a period of whole months.</summary>
    /// <param name="months">From 1 to <see cref="MaxMonths"/>.</param>
    /// <returns>The period.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="months"/> is outside 1 to <see cref="MaxMonths"/>.</exception>
    public static RetentionPeriod FromMonths(int months)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, MaxMonths);
        return new RetentionPeriod(months);
    }

    /// <summary>Parses an ISO-8601 period of whole months and years, such as <c>P36M</c>, <c>P3Y</c> or <c>P1Y6M</c>.</summary>
    /// <param name="text">The period.</param>
    /// <returns>The period, normalised to total months.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not such a period; the message says what is allowed.</exception>
    public static RetentionPeriod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var period, out var error) ? period : throw new FormatException(error);
    }

    /// <summary>Tries to parse an ISO-8601 period of whole months and years, giving the reason when it fails.</summary>
    /// <param name="text">The period, such as <c>P36M</c>.</param>
    /// <param name="period">The period, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is wrong and what is allowed, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the text is a valid retention period.</returns>
    public static bool TryParse(string? text, out RetentionPeriod period, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        period = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = Messages.PeriodMissing();
            return false;
        }

        if (text.Contains('.', StringComparison.Ordinal) || text.Contains(',', StringComparison.Ordinal))
        {
            error = Messages.PeriodHasFraction(text);
            return false;
        }

        // Designators are upper case in ISO-8601; accept p36m as people write it.
        ParseResult<Period> parsed;
        try
        {
            parsed = PeriodPattern.Roundtrip.Parse(text.Trim().ToUpperInvariant());
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            // NodaTime throws, rather than failing the parse, on a number beyond an int (P99999999999Y).
            error = Messages.PeriodTooLong(text);
            return false;
        }

        if (!parsed.Success)
        {
            error = Messages.PeriodNotIso(text);
            return false;
        }

        var value = parsed.Value;
        if (value.Weeks != 0 || value.Days != 0 || value.HasTimeComponent)
        {
            error = Messages.PeriodNotWholeMonths(text);
            return false;
        }

        var months = (12L * value.Years) + value.Months;
        if (months <= 0 || value.Years < 0 || value.Months < 0)
        {
            error = Messages.PeriodNotPositive(text);
            return false;
        }

        if (months > MaxMonths)
        {
            error = Messages.PeriodTooLong(text);
            return false;
        }

        period = new RetentionPeriod((int)months);
        error = null;
        return true;
    }

    /// <summary>The period as a NodaTime <see cref="Period"/> of months.</summary>
    /// <returns>For example <c>P36M</c>.</returns>
    public Period ToPeriod() => Period.FromMonths(_months);

    /// <summary>The normalised ISO-8601 form in months.</summary>
    /// <returns>For example <c>P36M</c> for <c>P3Y</c>.</returns>
    public override string ToString() => FormattableString.Invariant($"P{_months}M");

    /// <inheritdoc />
    public bool Equals(RetentionPeriod other) => _months == other._months;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RetentionPeriod other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _months;

    /// <inheritdoc />
    public int CompareTo(RetentionPeriod other) => _months.CompareTo(other._months);

    /// <summary>Whether two periods are the same number of months.</summary>
    /// <param name="left">The first period.</param>
    /// <param name="right">The second period.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(RetentionPeriod left, RetentionPeriod right) => left.Equals(right);

    /// <summary>Whether two periods differ in months.</summary>
    /// <param name="left">The first period.</param>
    /// <param name="right">The second period.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(RetentionPeriod left, RetentionPeriod right) => !left.Equals(right);

    /// <summary>Orders periods by months.</summary>
    /// <param name="left">The first period.</param>
    /// <param name="right">The second period.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is shorter.</returns>
    public static bool operator <(RetentionPeriod left, RetentionPeriod right) => left._months < right._months;

    /// <summary>Orders periods by months.</summary>
    /// <param name="left">The first period.</param>
    /// <param name="right">The second period.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is longer.</returns>
    public static bool operator >(RetentionPeriod left, RetentionPeriod right) => left._months > right._months;

    /// <summary>Orders periods by months.</summary>
    /// <param name="left">The first period.</param>
    /// <param name="right">The second period.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not longer.</returns>
    public static bool operator <=(RetentionPeriod left, RetentionPeriod right) => left._months <= right._months;

    /// <summary>Orders periods by months.</summary>
    /// <param name="left">The first period.</param>
    /// <param name="right">The second period.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not shorter.</returns>
    public static bool operator >=(RetentionPeriod left, RetentionPeriod right) => left._months >= right._months;
}
