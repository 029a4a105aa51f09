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
