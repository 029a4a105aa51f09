namespace Smi.Retention.Impact;

/// <summary>
/// Which histories (the statuses a device held before its current status run) a
/// <see cref="ChangeRegion"/> covers: exactly, as a test on a history, and in words ("held
/// Commissioned or Decommissioned before"). <see cref="SymbolicDiff"/> chooses the simplest form
/// that covers exactly the histories concerned, and when no simple form does, the fewest terms it
/// finds, each of statuses held and never held (<see cref="HistoryConditionKind.AnyOfTerms"/>).
/// </summary>
public sealed class HistoryCondition : IEquatable<HistoryCondition>
{
    private HistoryCondition(HistoryConditionKind kind, IReadOnlyList<SmiStatus> statuses, IReadOnlyList<HistoryTerm> terms)
    {
        Kind = kind;
        Statuses = statuses;
        Terms = terms;
        _named = SmiStatusSet.Of([.. statuses]).Bits;
    }

    private readonly ushort _named;

    /// <summary>Any history at all.</summary>
    public static HistoryCondition Any { get; } = new(HistoryConditionKind.Any, [], []);

    /// <summary>The form of the condition.</summary>
    public HistoryConditionKind Kind { get; }

    /// <summary>The statuses the condition names (for the forms that name statuses), in declaration order.</summary>
    public IReadOnlyList<SmiStatus> Statuses { get; }

    /// <summary>For <see cref="HistoryConditionKind.AnyOfTerms"/>: the terms, one of which holds; otherwise empty.</summary>
    public IReadOnlyList<HistoryTerm> Terms { get; }

    /// <summary>Whether a device with the history <paramref name="prior"/> is covered.</summary>
    /// <param name="prior">The statuses held before the current run.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool Holds(SmiStatusSet prior)
    {
        var named = _named;
        return Kind switch
        {
            HistoryConditionKind.Any => true,
            HistoryConditionKind.Nothing => prior.IsEmpty,
            HistoryConditionKind.Something => !prior.IsEmpty,
            HistoryConditionKind.HeldAnyOf => (prior.Bits & named) != 0,
            HistoryConditionKind.HeldNoneOf => (prior.Bits & named) == 0,
            HistoryConditionKind.HeldAllOf => (prior.Bits & named) == named,
            HistoryConditionKind.HeldOnly => !prior.IsEmpty && (prior.Bits & ~named) == 0,
            HistoryConditionKind.HeldNoneOtherThan => (prior.Bits & ~named) == 0,
            HistoryConditionKind.HeldOtherThan => (prior.Bits & ~named) != 0,
            _ => Terms.Any(t => t.Holds(prior)),
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

        return new(HistoryConditionKind.AnyOfTerms, [], Cover(covered, possible, statuses));
    }

    /// <summary>
    /// Few terms whose union is exactly <paramref name="covered"/> among the <paramref name="possible"/>
    /// histories of <paramref name="statuses"/>: the prime implicants of the covered histories
    /// (Quine-McCluskey, at most 2^9 histories, a history no device can have free to fall either
    /// way), the essential ones first, then greedily those covering most.
    /// </summary>
    private static HistoryTerm[] Cover(IReadOnlyCollection<SmiStatusSet> covered, IReadOnlyList<SmiStatusSet> possible, IReadOnlyList<SmiStatus> statuses)
    {
        var n = statuses.Count;
        int IndexOf(SmiStatusSet h)
        {
            var index = 0;
            for (var i = 0; i < n; i++)
            {
                index |= h.Contains(statuses[i]) ? 1 << i : 0;
            }

            return index;
        }

        var on = covered.Select(IndexOf).ToHashSet();
        var can = possible.Select(IndexOf).ToHashSet();

        // Implicants as (value, don't-care mask), from the covered histories and those none can have;
        // combined while two differ in one cared-for bit.
        var level = Enumerable.Range(0, 1 << n).Where(v => on.Contains(v) || !can.Contains(v)).Select(v => (Value: v, Mask: 0)).ToHashSet();
        var primes = new List<(int Value, int Mask)>();
        while (level.Count > 0)
        {
            var next = new HashSet<(int Value, int Mask)>();
            var merged = new HashSet<(int Value, int Mask)>();
            foreach (var (value, mask) in level)
            {
                for (var bit = 0; bit < n; bit++)
                {
                    var b = 1 << bit;
                    if ((mask & b) != 0 || (value & b) != 0 || !level.Contains((value | b, mask)))
                    {
                        continue;
                    }

                    next.Add((value, mask | b));
                    merged.Add((value, mask));
                    merged.Add((value | b, mask));
                }
            }

            primes.AddRange(level.Where(i => !merged.Contains(i)));
            level = next;
        }

        bool Covers((int Value, int Mask) implicant, int minterm) => (minterm & ~implicant.Mask) == implicant.Value;
        var chosen = new List<(int Value, int Mask)>();
        var left = on.ToHashSet();
        foreach (var minterm in on)
        {
            var covering = primes.Where(p => Covers(p, minterm)).ToArray();
            if (covering.Length == 1 && !chosen.Contains(covering[0]))
            {
                chosen.Add(covering[0]);
            }
        }

        left.RemoveWhere(m => chosen.Any(p => Covers(p, m)));
        while (left.Count > 0)
        {
            var best = primes.MaxBy(p => left.Count(m => Covers(p, m)));
            chosen.Add(best);
            left.RemoveWhere(m => Covers(best, m));
        }

        SmiStatusSet SetOf(int bits) => SmiStatusSet.Of([.. Enumerable.Range(0, n).Where(i => (bits & (1 << i)) != 0).Select(i => statuses[i])]);
        var all = (1 << n) - 1;
        return [.. chosen
            .Select(p => new HistoryTerm(SetOf(p.Value), SetOf(all & ~p.Mask & ~p.Value)))
            .OrderBy(t => t.Held.Count + t.NotHeld.Count).ThenBy(t => t.Held.Bits).ThenBy(t => t.NotHeld.Bits)];
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
            yield return new(HistoryConditionKind.HeldOtherThan, [one], []);
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
        HistoryConditionKind.HeldOtherThan => "held a status other than " + Join(" or ") + " before",
        _ => string.Join(", or ", Terms.Select(t => t.ToString())),
    };

    private string Join(string word) =>
        Statuses.Count <= 2 ? string.Join(word, Statuses) : string.Join(", ", Statuses.Take(Statuses.Count - 1)) + word + Statuses[^1].ToString();

    /// <inheritdoc />
    public bool Equals(HistoryCondition? other) =>
        other is not null && Kind == other.Kind && Statuses.SequenceEqual(other.Statuses) && Terms.SequenceEqual(other.Terms);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HistoryCondition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, string.GetHashCode(ToString(), StringComparison.Ordinal));
}
