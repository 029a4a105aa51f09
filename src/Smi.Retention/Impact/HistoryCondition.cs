namespace Smi.Retention.Impact;

/// <summary>
/// Which histories (the statuses a device held before its current status run) a
/// <see cref="ChangeRegion"/> covers: exactly, as a test on a history, and in words ("held
/// Commissioned or Decommissioned before"). <see cref="SymbolicDiff"/> chooses the simplest form
/// that covers exactly the histories concerned, and lists them (<see cref="HistoryConditionKind.OneOf"/>)
/// when no simple form does.
/// </summary>
public sealed class HistoryCondition : IEquatable<HistoryCondition>
{
    private HistoryCondition(HistoryConditionKind kind, IReadOnlyList<SmiStatus> statuses, IReadOnlyList<SmiStatusSet> histories)
    {
        Kind = kind;
        Statuses = statuses;
        Histories = histories;
    }

    /// <summary>Any history at all.</summary>
    public static HistoryCondition Any { get; } = new(HistoryConditionKind.Any, [], []);

    /// <summary>The form of the condition.</summary>
    public HistoryConditionKind Kind { get; }

    /// <summary>The statuses the condition names (for the forms that name statuses), in declaration order.</summary>
    public IReadOnlyList<SmiStatus> Statuses { get; }

    /// <summary>For <see cref="HistoryConditionKind.OneOf"/>: the histories covered; otherwise empty.</summary>
    public IReadOnlyList<SmiStatusSet> Histories { get; }

    /// <summary>Whether a device with the history <paramref name="prior"/> is covered.</summary>
    /// <param name="prior">The statuses held before the current run.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool Holds(SmiStatusSet prior)
    {
        var named = SmiStatusSet.Of([.. Statuses]);
        return Kind switch
        {
            HistoryConditionKind.Any => true,
            HistoryConditionKind.Nothing => prior.IsEmpty,
            HistoryConditionKind.Something => !prior.IsEmpty,
            HistoryConditionKind.HeldAnyOf => (prior.Bits & named.Bits) != 0,
            HistoryConditionKind.HeldNoneOf => (prior.Bits & named.Bits) == 0,
            HistoryConditionKind.HeldAllOf => (prior.Bits & named.Bits) == named.Bits,
            HistoryConditionKind.HeldOnly => !prior.IsEmpty && (prior.Bits & ~named.Bits) == 0,
            HistoryConditionKind.HeldNoneOtherThan => (prior.Bits & ~named.Bits) == 0,
            _ => Histories.Contains(prior),
        };
    }

    /// <summary>
    /// The simplest condition true exactly of <paramref name="covered"/> among <paramref name="possible"/>
    /// (the histories a device of one type can have), built from <paramref name="statuses"/> (the statuses it can hold).
    /// </summary>
    internal static HistoryCondition Describe(IReadOnlyCollection<SmiStatusSet> covered, IReadOnlyList<SmiStatusSet> possible, IReadOnlyList<SmiStatus> statuses)
    {
        foreach (var candidate in Candidates(statuses))
        {
            if (possible.All(h => candidate.Holds(h) == covered.Contains(h)))
            {
                return candidate;
            }
        }

        return new(HistoryConditionKind.OneOf, [], [.. covered.OrderBy(h => h.Count).ThenBy(h => h.Bits)]);
    }

    /// <summary>The simple forms, simplest first: one status, then two, then three.</summary>
    private static IEnumerable<HistoryCondition> Candidates(IReadOnlyList<SmiStatus> statuses)
    {
        yield return Any;
        foreach (var one in statuses)
        {
            yield return new(HistoryConditionKind.HeldAnyOf, [one], []);
            yield return new(HistoryConditionKind.HeldNoneOf, [one], []);
        }

        yield return new(HistoryConditionKind.Nothing, [], []);
        yield return new(HistoryConditionKind.Something, [], []);
        foreach (var kind in new[] { HistoryConditionKind.HeldAnyOf, HistoryConditionKind.HeldNoneOf, HistoryConditionKind.HeldAllOf })
        {
            foreach (var pair in Choose(statuses, 2))
            {
                yield return new(kind, pair, []);
            }
        }

        foreach (var one in statuses)
        {
            yield return new(HistoryConditionKind.HeldOnly, [one], []);
            yield return new(HistoryConditionKind.HeldNoneOtherThan, [one], []);
        }

        foreach (var kind in new[] { HistoryConditionKind.HeldAnyOf, HistoryConditionKind.HeldNoneOf })
        {
            foreach (var three in Choose(statuses, 3))
            {
                yield return new(kind, three, []);
            }
        }
    }

    private static IEnumerable<SmiStatus[]> Choose(IReadOnlyList<SmiStatus> statuses, int count, int from = 0)
    {
        if (count == 0)
        {
            yield return [];
            yield break;
        }

        for (var i = from; i <= statuses.Count - count; i++)
        {
            foreach (var rest in Choose(statuses, count - 1, i + 1))
            {
                yield return [statuses[i], .. rest];
            }
        }
    }

    /// <summary>The condition in words: "any history", "held Commissioned or Decommissioned before", "never held Commissioned before".</summary>
    /// <returns>The words.</returns>
    public override string ToString() => Kind switch
    {
        HistoryConditionKind.Any => "any history",
        HistoryConditionKind.Nothing => "no status held before",
        HistoryConditionKind.Something => "some status held before",
        HistoryConditionKind.HeldAnyOf => "held " + Join(" or ") + " before",
        HistoryConditionKind.HeldNoneOf => "never held " + Join(" or ") + " before",
        HistoryConditionKind.HeldAllOf => "held " + Join(" and ") + " before",
        HistoryConditionKind.HeldOnly => "held only " + Join(" or ") + " before",
        HistoryConditionKind.HeldNoneOtherThan => "held no status other than " + Join(" or ") + " before",
        _ when Histories.Count > MaxListed => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"one of {Histories.Count} histories (each listed in Histories)"),
        _ => "earlier statuses exactly " + string.Join(" or ", Histories.Select(h => h.IsEmpty ? "none" : "{" + h.ToString().Replace(";", ", ", StringComparison.Ordinal) + "}")),
    };

    /// <summary>The most histories the words list one by one.</summary>
    private const int MaxListed = 6;

    private string Join(string word) =>
        Statuses.Count <= 2 ? string.Join(word, Statuses) : string.Join(", ", Statuses.Take(Statuses.Count - 1)) + word + Statuses[^1].ToString();

    /// <inheritdoc />
    public bool Equals(HistoryCondition? other) =>
        other is not null && Kind == other.Kind && Statuses.SequenceEqual(other.Statuses) && Histories.SequenceEqual(other.Histories);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HistoryCondition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, string.GetHashCode(ToString(), StringComparison.Ordinal));
}
