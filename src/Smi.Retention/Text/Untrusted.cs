using System.Globalization;
using System.Text;

namespace Smi.Retention.Text;

/// <summary>
/// Text that came from outside (a policy file, an inventory cell, a path) before it reaches a
/// person's screen or a spreadsheet: control, format (bidi overrides, zero-width) and separator
/// characters are shown as <c>\u{XXXX}</c> escapes, long text is cut, and names are checked to be
/// printable, so a terminal escape or a right-to-left override in an input never acts on the reader.
/// </summary>
internal static class Untrusted
{
    /// <summary>Longest text shown in a message before it is cut.</summary>
    public const int ShownLength = 120;

    /// <summary>The text fit for a message: every character that is not plainly visible escaped, cut at <paramref name="max"/> characters (code points: a character outside the BMP is one).</summary>
    public static string Show(ReadOnlySpan<char> text, int max = ShownLength)
    {
        var end = EndOfCharacters(text, max);
        var cut = end < text.Length;
        var shown = text[..end];
        if (!cut && IsPlain(shown))
        {
            return shown.ToString();
        }

        var builder = new StringBuilder(shown.Length + 16);
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (char.IsHighSurrogate(c) && i + 1 < shown.Length && char.IsLowSurrogate(shown[i + 1]))
            {
                var rune = new Rune(c, shown[++i]);
                if (IsVisible(rune.Value, Rune.GetUnicodeCategory(rune)))
                {
                    builder.Append(c).Append(shown[i]);
                }
                else
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{{{rune.Value:X4}}}");
                }
            }
            else if (c == ' ' || (!char.IsSurrogate(c) && IsVisible(c, char.GetUnicodeCategory(c))))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X4}}}");
            }
        }

        if (cut)
        {
            builder.Append(CultureInfo.InvariantCulture, $"... ({Characters(text):N0} characters)");
        }

        return builder.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> shown as <see cref="Show"/> shows it, in exactly
    /// <paramref name="width"/> columns of a text table, padded with spaces: a longer one keeps its
    /// start and its end with "..." between (models that differ only at the end stay apart), never
    /// cutting an escape or a character as a reader sees it (a flag's two halves, an emoji and its
    /// modifier). A character counts one column, an East Asian wide or fullwidth one, a flag or an
    /// emoji two, an escape its length (the full text is in the machine-readable outputs).
    /// </summary>
    public static string Cell(string text, int width)
    {
        var shown = Show(text, int.MaxValue);
        var units = new List<(int Start, int Length, int Columns)>();
        for (var i = 0; i < shown.Length;)
        {
            var close = shown.AsSpan(i).StartsWith("\\u{") ? shown.IndexOf('}', i) : -1;
            var escape = close > 0;
            var length = escape ? close - i + 1 : StringInfo.GetNextTextElementLength(shown.AsSpan(i)); // a character as a reader sees it: a flag's two halves, a base and its modifier
            var columns = escape ? length // an escape, as long as it is
                : IsWide(char.IsHighSurrogate(shown[i]) && length > 1 && char.IsLowSurrogate(shown[i + 1]) ? char.ConvertToUtf32(shown[i], shown[i + 1]) : shown[i]) ? 2 : 1;
            units.Add((i, length, columns));
            i += length;
        }

        var all = units.Sum(u => u.Columns);
        if (all <= width)
        {
            return shown + new string(' ', width - all);
        }

        // The start and the end, as many columns each as fit around the "...".
        var room = width - 3;
        var (head, headColumns) = (0, 0);
        while (head < units.Count && headColumns + units[head].Columns <= (room + 1) / 2)
        {
            headColumns += units[head++].Columns;
        }

        var (tail, tailColumns) = (units.Count, 0);
        while (tail > head && tailColumns + units[tail - 1].Columns <= room - headColumns)
        {
            tailColumns += units[--tail].Columns;
        }

        var end = head == 0 ? 0 : units[head - 1].Start + units[head - 1].Length;
        var start = tail == units.Count ? shown.Length : units[tail].Start;
        return string.Concat(shown.AsSpan(0, end), "...", shown.AsSpan(start), new string(' ', room - headColumns - tailColumns));
    }

    /// <summary>Whether a code point takes two columns of a terminal: the East Asian wide and fullwidth blocks, flags and the common emoji (not all of Unicode's table: the common ones).</summary>
    private static bool IsWide(int c) =>
        c is (>= 0x1100 and <= 0x115F) or (>= 0x1F1E6 and <= 0x1F1FF) or (>= 0x1F000 and <= 0x1F02F) or (>= 0x1F680 and <= 0x1F6FF) or (>= 0x1FA70 and <= 0x1FAFF)
            or 0x231A or 0x231B or (>= 0x23E9 and <= 0x23EC) or 0x23F0 or 0x23F3 or 0x25FD or 0x25FE or 0x2614 or 0x2615 or (>= 0x2648 and <= 0x2653)
            or 0x267F or 0x2693 or 0x26A1 or 0x26AA or 0x26AB or 0x26BD or 0x26BE or 0x26C4 or 0x26C5 or 0x26CE or 0x26D4 or 0x26EA or 0x26F2 or 0x26F3
            or 0x26F5 or 0x26FA or 0x26FD or 0x2705 or 0x270A or 0x270B or 0x2728 or 0x274C or 0x274E or (>= 0x2753 and <= 0x2755) or 0x2757
            or (>= 0x2795 and <= 0x2797) or 0x27B0 or 0x27BF or 0x2B1B or 0x2B1C or 0x2B50 or 0x2B55 or (>= 0x2E80 and <= 0x303E) or (>= 0x3041 and <= 0x33FF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF)
            or (>= 0xA000 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60)
            or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1F64F) or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD);

    /// <summary>
    /// The characters (code points) of <paramref name="text"/>: a surrogate pair is one, a lone
    /// surrogate one. Every limit on text a person writes counts these, as JSON Schema's
    /// <c>maxLength</c> does and as a person would: never UTF-16 units.
    /// </summary>
    public static int Characters(ReadOnlySpan<char> text) => Walk(text, int.MaxValue).Count;

    /// <summary>Whether <paramref name="text"/> has more than <paramref name="max"/> characters (<see cref="Characters"/>).</summary>
    public static bool LongerThan(ReadOnlySpan<char> text, int max) => text.Length > max && Characters(text) > max;

    /// <summary>The index just past the first <paramref name="max"/> characters (code points) of <paramref name="text"/>, or its length.</summary>
    public static int EndOfCharacters(ReadOnlySpan<char> text, int max)
    {
        var (end, _) = Walk(text, max);
        return end;
    }

    // Through the first `max` characters: where they end, and how many there were.
    private static (int End, int Count) Walk(ReadOnlySpan<char> text, int max)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length && count < max)
        {
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            count++;
        }

        return (i, count);
    }

    /// <summary>
    /// Whether a name (of a rule, policy or timeline) is fit to show and compare: letters, digits,
    /// punctuation, symbols and inner spaces only; no control, format, bidi, zero-width or other
    /// invisible character, no combining mark (so that no two spellings look alike: names are not
    /// normalised), no other kind of space, and no space at either end.
    /// </summary>
    public static bool IsPrintableName(string text) =>
        text.Length > 0 && text[0] != ' ' && text[^1] != ' ' && IsPrintableText(text, marks: false);

    /// <summary>Whether free text (a description) holds only visible characters, combining marks and spaces.</summary>
    public static bool IsPrintableText(string text) => IsPrintableText(text, marks: true);

    private static bool IsPrintableText(string text, bool marks)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                return false; // an unpaired surrogate
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value != ' ' && (!IsVisible(rune.Value, category) || (!marks && category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)))
            {
                return false;
            }

            rest = rest[used..];
        }

        return true;
    }

    /// <summary>
    /// A CSV cell that a spreadsheet would run as a formula (it starts with <c>=</c>, <c>+</c>,
    /// <c>-</c>, <c>@</c>, a tab or a carriage return) gets a leading apostrophe, as OWASP advises.
    /// </summary>
    public static string NeutraliseFormula(string cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + cell : cell;

    private static bool IsPlain(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVisible(int code, UnicodeCategory category) => category switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => !IsInvisible(code),
    };

    /// <summary>
    /// Unicode's default-ignorable code points that are not format characters (fillers, variation
    /// selectors, the combining grapheme joiner, Khmer inherent vowels, tags), and blanks that are
    /// drawn as nothing (Braille pattern blank).
    /// </summary>
    private static bool IsInvisible(int code) => code is 0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5
        or (>= 0x180B and <= 0x180F) or (>= 0x200B and <= 0x200F) or (>= 0x202A and <= 0x202E) or (>= 0x2060 and <= 0x206F)
        or 0x2800 or 0x3164 or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF or 0xFFA0 or (>= 0xFFF0 and <= 0xFFF8)
        or (>= 0x1BCA0 and <= 0x1BCA3) or (>= 0x1D173 and <= 0x1D17A) or (>= 0xE0000 and <= 0xE0FFF);
}
