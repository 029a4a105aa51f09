namespace Smi.Retention;

/// <summary>Case-insensitive lookup of an enum's declared names; numbers are never accepted.</summary>
internal static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    private static readonly string[] Names = Values.Select(v => v.ToString()).ToArray();

    /// <summary>The declared names, comma separated, for error messages.</summary>
    public static readonly string List = string.Join(", ", Names);

    /// <summary>All declared values in declaration order.</summary>
    public static ReadOnlySpan<TEnum> All => Values;

    /// <summary>
    /// How many values are declared. Device types and statuses are numbered 1 to this count, with
    /// no gaps (EnumNamesTests holds it), so one new member at the end is all a new type or status needs.
    /// </summary>
    public static readonly int Count = Values.Length;

    public static bool TryParse(ReadOnlySpan<char> text, out TEnum value)
    {
        var trimmed = text.Trim();
        for (var i = 0; i < Names.Length; i++)
        {
            if (trimmed.Length == Names[i].Length && System.Text.Ascii.EqualsIgnoreCase(trimmed, Names[i]))
            {
                value = Values[i];
                return true;
            }
        }

        value = default;
        return false;
    }
}
