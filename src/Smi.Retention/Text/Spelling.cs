namespace Smi.Retention.Text;

/// <summary>"Did you mean": the known word closest to a misspelt one, ignoring case, when it is close enough.</summary>
internal static class Spelling
{
    /// <summary>The closest of <paramref name="known"/> to <paramref name="word"/>, or null when none is within a third of its length (at least 2 edits).</summary>
    public static string? Suggest(string word, IReadOnlyCollection<string> known)
    {
        var best = known.Select(k => (Known: k, Distance: Distance(word.ToUpperInvariant(), k.ToUpperInvariant()))).MinBy(p => p.Distance);
        return best.Known is not null && best.Distance <= Math.Max(2, word.Length / 3) ? best.Known : null;
    }

    /// <summary>
    /// Whether two names look alike though they differ: the same once fullwidth forms are read as
    /// the ASCII they widen, every dash, hyphen and minus sign as '-', every space as ' ', the
    /// Cyrillic and Greek letters drawn like Latin ones as those, and case is ignored. A table
    /// of the common look-alikes, not Unicode's whole list of confusables (the library runs
    /// without ICU: no normalisation form is at hand).
    /// </summary>
    public static bool LookAlike(string a, string b) =>
        !string.Equals(a, b, StringComparison.Ordinal) && string.Equals(Skeleton(a), Skeleton(b), StringComparison.Ordinal);

    /// <summary>The form two names that look alike share (<see cref="LookAlike"/>).</summary>
    public static string Skeleton(string name)
    {
        var skeleton = new System.Text.StringBuilder(name.Length);
        foreach (var wide in name)
        {
            var c = wide is >= '\uFF01' and <= '\uFF5E' ? (char)(wide - 0xFEE0) : wide; // fullwidth ASCII
            var category = char.GetUnicodeCategory(c);
            skeleton.Append(
                category == System.Globalization.UnicodeCategory.DashPunctuation || c == '\u2212' ? '-'
                : category == System.Globalization.UnicodeCategory.SpaceSeparator ? ' '
                : LatinLookAlikes.IndexOf(c, StringComparison.Ordinal) is var at and >= 0 ? Latin[at]
                : char.ToUpperInvariant(c));
        }

        return skeleton.ToString();
    }

    // Cyrillic and Greek letters drawn as the Latin capital below each (small ones as capitals: case is ignored).
    private const string LatinLookAlikes = "АВЕЅІЈКМНОРСТХУаеѕіјкорсхуΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχ";
    private const string Latin = "ABESIJKMHOPCTXYAESIJKOPCXYABEZHIKMNOPTYXOIKVPTUX";

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
