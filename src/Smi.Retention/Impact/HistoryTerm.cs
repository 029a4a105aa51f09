namespace Smi.Retention.Impact;

/// <summary>
/// A part of a <see cref="HistoryCondition"/>: every status of <see cref="Held"/> was held before
/// the current run, and none of <see cref="NotHeld"/> was ("held Commissioned and never Withdrawn before").
/// </summary>
/// <param name="Held">The statuses that were all held before.</param>
/// <param name="NotHeld">The statuses none of which was held before.</param>
public readonly record struct HistoryTerm(SmiStatusSet Held, SmiStatusSet NotHeld)
{
    /// <summary>Whether a device with the history <paramref name="prior"/> meets the term.</summary>
    /// <param name="prior">The statuses held before the current run.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool Holds(SmiStatusSet prior) => (prior.Bits & Held.Bits) == Held.Bits && (prior.Bits & NotHeld.Bits) == 0;

    /// <summary>The term in words, e.g. "held Commissioned and never Withdrawn or Suspended before".</summary>
    /// <returns>The words.</returns>
    public override string ToString()
    {
        var held = Names(Held, " and ");
        var never = Names(NotHeld, " or ");
        return (held, never) switch
        {
            ("", "") => "any history",
            (_, "") => $"held {held} before",
            ("", _) => $"never held {never} before",
            _ => $"held {held} and never {never} before",
        };
    }

    private static string Names(SmiStatusSet set, string word)
    {
        var names = SmiStatuses.All.ToArray().Where(set.Contains).Select(s => s.ToString()).ToArray();
        return names.Length <= 2 ? string.Join(word, names) : string.Join(", ", names[..^1]) + word + names[^1];
    }
}
