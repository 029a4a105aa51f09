namespace Smi.Retention.Text;

/// <summary>"Did you mean": the known word closest to a misspelt one, ignoring case, when it is close enough.</summary>
internal static class Spelling
{
    /// <summary>The closest of <paramref name="known"/> to <paramref name="word"/>, or null when none is within a third of its length (at least 2 edits).</summary>
    public static string? Suggest(string word, IReadOnlyCollection<string> known)
    {
        if (known.Count == 0)
        {
            return null; // nothing to suggest (an inventory whose every model is empty)
        }

        var best = known.Select(k => (Known: k, Distance: Distance(word.ToUpperInvariant(), k.ToUpperInvariant()))).MinBy(p => p.Distance);
        return best.Known is not null && best.Distance <= Math.Max(2, word.Length / 3) ? best.Known : null;
    }

    /// <summary>
    /// Whether two names look alike though they differ: the same but for case, or the same to the
    /// eye: fullwidth forms and mathematical letters and digits read as the ASCII they stand for,
    /// Cyrillic and Greek letters drawn like Latin ones as those, every dash, hyphen and minus
    /// sign and the marks drawn as one as '-', every space as ' ' (runs of either as one), and
    /// l, I, | and 1 as one, as are O and 0. A table of the common look-alikes, not Unicode's
    /// whole list of confusables (the library runs without ICU: no normalisation form is at hand).
    /// </summary>
    public static bool LookAlike(string a, string b) =>
        !string.Equals(a, b, StringComparison.Ordinal)
        && (string.Equals(Skeleton(a, caseless: true), Skeleton(b, caseless: true), StringComparison.Ordinal)
            || string.Equals(Skeleton(a, caseless: false), Skeleton(b, caseless: false), StringComparison.Ordinal));

    /// <summary>Whether a name has a character drawn like an ASCII one that is not it: a Cyrillic or Greek letter of the table, a dash or space other than ASCII's, a fullwidth or mathematical character.</summary>
    public static bool HasCharactersDrawnAlike(string name) =>
        name.EnumerateRunes().Any(r => !r.IsAscii && (Latin(r) is var c && c < 0x80
            || Dashes.Contains((char)r.Value, StringComparison.Ordinal)
            || System.Text.Rune.GetUnicodeCategory(r) is System.Globalization.UnicodeCategory.DashPunctuation or System.Globalization.UnicodeCategory.SpaceSeparator));

    /// <summary>
    /// The form that names which look alike share (<see cref="LookAlike"/>): with
    /// <paramref name="caseless"/>, in capitals; without it, in their own case with the letters
    /// and digits drawn alike as one (l and 1 look alike; L and 1 do not, so the two cannot be one form).
    /// </summary>
    private static string Skeleton(string name, bool caseless)
    {
        var skeleton = new System.Text.StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            var c = Latin(rune);
            c = caseless ? char.ToUpperInvariant(c) : c switch
            {
                'l' or 'I' or '|' or '\u0131' or '1' => '1',
                'O' or 'o' or '0' => '0',
                _ => c,
            };
            c = Dashes.Contains(c, StringComparison.Ordinal) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.DashPunctuation ? '-'
                : char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.SpaceSeparator ? ' '
                : c;
            if (c is '-' or ' ' && skeleton.Length > 0 && skeleton[^1] == c)
            {
                continue; // a run of spaces or dashes reads as one
            }

            skeleton.Append(c);
        }

        return skeleton.ToString();
    }

    /// <summary>The ASCII character a fullwidth form, a mathematical letter or digit, or a Cyrillic or Greek letter is drawn as; any other character as itself (a rune outside the first plane as U+FFFD).</summary>
    private static char Latin(System.Text.Rune rune)
    {
        var value = rune.Value;
        if (value is >= 0xFF01 and <= 0xFF5E)
        {
            return (char)(value - 0xFEE0); // fullwidth ASCII
        }

        if (value is >= 0x1D7CE and <= 0x1D7FF)
        {
            return (char)('0' + ((value - 0x1D7CE) % 10)); // mathematical digits: bold, double-struck, sans-serif, monospace
        }

        if (value is >= 0x1D400 and <= 0x1D6A3)
        {
            var letter = (value - 0x1D400) % 52; // mathematical letters: alphabets of capitals then small letters
            return (char)(letter < 26 ? 'A' + letter : 'a' + letter - 26);
        }

        if (!rune.IsBmp)
        {
            return '\uFFFD';
        }

        var c = (char)value;
        return LatinLookAlikes.IndexOf(c, StringComparison.Ordinal) is var at and >= 0 ? LatinOf[at] : c;
    }

    // Cyrillic and Greek letters drawn as the Latin letter below each, in the same case; then
    // superscript and subscript digits, and modifier (superscript) letters, as their letter or digit.
    private const string LatinLookAlikes = "АВЕЅІЈКМНОРСТХУаеѕіјкорсхуΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχ"
        + "\u00B9\u00B2\u00B3\u2070\u2074\u2075\u2076\u2077\u2078\u2079\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089"
        + "\u1D2C\u1D2E\u1D30\u1D31\u1D33\u1D34\u1D35\u1D36\u1D37\u1D38\u1D39\u1D3A\u1D3C\u1D3E\u1D3F\u1D40\u1D41\u1D42"
        + "\u1D43\u1D47\u1D48\u1D49\u1D4D\u1D4F\u1D50\u1D52\u1D56\u1D57\u1D58\u1D5B\u02B0\u02B2\u02B3\u02B7\u02B8\u02E1\u02E2\u02E3\u207F\u2071"
        + "\u00BA\u00AA";
    private const string LatinOf = "ABESIJKMHOPCTXYaesijkopcxyABEZHIKMNOPTYXoikvptux"
        + "12304567890123456789"
        + "ABDEGHIJKLMNOPRTUW"
        + "abdegkmoptuvhjrwylsxni"
        + "oa";

    // Marks drawn as a hyphen that are not dash punctuation: the minus signs, the hyphen bullet,
    // the modifier minus, the katakana prolonged sound mark, horizontal box and bracket lines, the
    // superscript and subscript minus.
    private const string Dashes = "\u2212\u2796\u2043\u02D7\u30FC\u2500\u2501\u23AF\uFE63\uFF0D\u207B\u208B";

    /// <summary>The Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
