using System.Globalization;

namespace Smi.Retention.Text;

/// <summary>
/// Numbers as the tool and the configuration accept them, the same in every culture and every
/// place: digits only for a count, digits and at most one '.' for a decimal. No sign, exponent,
/// spaces or group separators, so '4,9' is refused rather than read as 49 and '1e-2' rather than
/// read as 0.01.
/// </summary>
internal static class InvariantNumbers
{
    /// <summary>The largest count: 18 nines.</summary>
    public const long MaxCount = 999_999_999_999_999_999;

    /// <summary>A count: 1 to 18 digits.</summary>
    public static bool TryParseCount(string text, out long count)
    {
        count = 0;
        return text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count);
    }

    /// <summary>A decimal: digits with at most one '.', followed by at most <paramref name="maxDecimals"/> digits.</summary>
    public static bool TryParseDecimal(string text, int maxDecimals, out decimal value)
    {
        value = 0;
        var point = text.IndexOf('.', StringComparison.Ordinal);
        return text.Length is > 0 and <= 24 && text.All(c => char.IsAsciiDigit(c) || c == '.') && text.Count(c => c == '.') <= 1
            && (point < 0 || text.Length - point - 1 <= maxDecimals)
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }
}
