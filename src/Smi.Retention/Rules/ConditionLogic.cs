using Smi.Retention.Policies;

namespace Smi.Retention.Rules;

/// <summary>Interprets, folds and enumerates conditions over the finite vocabulary.</summary>
internal static class ConditionLogic
{
    /// <summary>
    /// How many nodes the condition has as a tree, a sub-condition counted each time it occurs
    /// (translating <c>a == b</c> shares a and b, so a chain of them doubles the tree at each step);
    /// counted on the shared graph, so it costs its size, and capped just above <see cref="PolicyLimits.MaxConditionSize"/>.
    /// </summary>
    public static long Size(Condition condition)
    {
        const long cap = PolicyLimits.MaxConditionSize + 1;
        var sizes = new Dictionary<Condition, long>(ReferenceEqualityComparer.Instance);
        return Measure(condition);

        long Measure(Condition c)
        {
            if (sizes.TryGetValue(c, out var known))
            {
                return known;
            }

            var size = 1 + c switch
            {
                NotCondition n => Measure(n.Operand),
                AndCondition a => Measure(a.Left) + Measure(a.Right),
                OrCondition o => Measure(o.Left) + Measure(o.Right),
                IfCondition i => Measure(i.Test) + Measure(i.Then) + Measure(i.Else),
                _ => 0,
            };
            return sizes[c] = Math.Min(size, cap);
        }
    }

    /// <summary>Evaluates a condition; <paramref name="elapsed"/> answers each period (its rank among the policy's periods).</summary>
    public static bool Evaluate(Condition condition, DeviceType type, SmiStatus status, SmiStatusSet prior, Func<RetentionPeriod, bool> elapsed) =>
        condition switch
        {
            ConstantCondition c => c.Value,
            TypeIs t => type == t.Type,
            StatusIs s => status == s.Status,
            HeldFor h => elapsed(h.Period),
            HeldBefore b => prior.Contains(b.Status),
            HeldBeforeOtherThan o => prior.ContainsOtherThan(o.Status),
            NotCondition n => !Evaluate(n.Operand, type, status, prior, elapsed),
            AndCondition a => Evaluate(a.Left, type, status, prior, elapsed) && Evaluate(a.Right, type, status, prior, elapsed),
            OrCondition o => Evaluate(o.Left, type, status, prior, elapsed) || Evaluate(o.Right, type, status, prior, elapsed),
            IfCondition i => Evaluate(i.Test, type, status, prior, elapsed)
                ? Evaluate(i.Then, type, status, prior, elapsed)
                : Evaluate(i.Else, type, status, prior, elapsed),
            _ => throw new InvalidOperationException($"Unknown condition {condition}."),
        };

    /// <summary>
    /// The epochs in which a condition holds, as a bit mask (bit e: it holds when e of the policy's
    /// periods, shortest first, have elapsed): a period test holds from the epoch after its rank on,
    /// every other atom in all epochs or none.
    /// </summary>
    /// <param name="condition">The condition.</param>
    /// <param name="type">The device type.</param>
    /// <param name="status">The current status.</param>
    /// <param name="prior">The prior statuses.</param>
    /// <param name="periods">The policy's periods, sorted and distinct.</param>
    /// <returns>The mask, within the <c>periods.Count + 1</c> low bits.</returns>
    public static uint EpochMask(Condition condition, DeviceType type, SmiStatus status, SmiStatusSet prior, IReadOnlyList<RetentionPeriod> periods)
    {
        var all = AllEpochs(periods);
        return Mask(condition);

        uint Mask(Condition c)
        {
            switch (c)
            {
                case HeldFor h:
                    return all & ~((2u << Rank(periods, h.Period)) - 1);
                case NotCondition n:
                    return ~Mask(n.Operand) & all;
                case AndCondition a:
                    var left = Mask(a.Left);
                    return left == 0 ? 0 : left & Mask(a.Right);
                case OrCondition o:
                    var either = Mask(o.Left);
                    return either == all ? all : either | Mask(o.Right);
                case IfCondition i:
                    var test = Mask(i.Test);
                    return (test & Mask(i.Then)) | (~test & all & Mask(i.Else));
                default:
                    return Evaluate(c, type, status, prior, _ => throw new InvalidOperationException("Period tests are masked above.")) ? all : 0;
            }
        }
    }

    /// <summary>The mask of every epoch of a policy with <paramref name="periods"/>: one more epoch than periods.</summary>
    public static uint AllEpochs(IReadOnlyList<RetentionPeriod> periods) => (uint)((1UL << (periods.Count + 1)) - 1);

    /// <summary>
    /// The atoms of a condition (type, status, period and prior-status tests), depth first, left to
    /// right: the one walk of a condition's tests, for the table's prior classes, the periods, the
    /// lint and the explanation. A stack, not nested iterators: linear in the condition's size.
    /// </summary>
    public static IEnumerable<Condition> Atoms(Condition condition)
    {
        var pending = new Stack<Condition>();
        pending.Push(condition);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case ConstantCondition:
                    break;
                case NotCondition n:
                    pending.Push(n.Operand);
                    break;
                case AndCondition a:
                    pending.Push(a.Right);
                    pending.Push(a.Left);
                    break;
                case OrCondition o:
                    pending.Push(o.Right);
                    pending.Push(o.Left);
                    break;
                case IfCondition i:
                    pending.Push(i.Else);
                    pending.Push(i.Then);
                    pending.Push(i.Test);
                    break;
                case var atom:
                    yield return atom;
                    break;
            }
        }
    }

    /// <summary>The periods a condition's tests name, in order, repeats included.</summary>
    public static IEnumerable<RetentionPeriod> Periods(Condition condition) => Atoms(condition).OfType<HeldFor>().Select(h => h.Period);

    /// <summary>
    /// Replaces every period test by its value in <paramref name="epoch"/> (the number of the
    /// policy's periods, shortest first, that have elapsed) and simplifies constant logic away.
    /// </summary>
    public static Condition Fold(Condition condition, IReadOnlyList<RetentionPeriod> periods, int epoch) =>
        Substitute(condition, atom => atom is HeldFor h ? Rank(periods, h.Period) < epoch : null);

    /// <summary>Replaces every type test by its value for devices of <paramref name="type"/> and simplifies constant logic away.</summary>
    public static Condition ForType(Condition condition, DeviceType type) =>
        Substitute(condition, atom => atom is TypeIs t ? t.Type == type : null);

    /// <summary>Replaces the atoms <paramref name="known"/> decides (non-null) by constants, then simplifies.</summary>
    private static Condition Substitute(Condition condition, Func<Condition, bool?> known) => condition switch
    {
        NotCondition n => Substitute(n.Operand, known) switch
        {
            ConstantCondition c => Constant(!c.Value),
            var operand => new NotCondition(operand),
        },
        AndCondition a => (Substitute(a.Left, known), Substitute(a.Right, known)) switch
        {
            (ConstantCondition { Value: false }, _) or (_, ConstantCondition { Value: false }) => Condition.False,
            (ConstantCondition { Value: true }, var right) => right,
            (var left, ConstantCondition { Value: true }) => left,
            var (left, right) => new AndCondition(left, right),
        },
        OrCondition o => (Substitute(o.Left, known), Substitute(o.Right, known)) switch
        {
            (ConstantCondition { Value: true }, _) or (_, ConstantCondition { Value: true }) => Condition.True,
            (ConstantCondition { Value: false }, var right) => right,
            (var left, ConstantCondition { Value: false }) => left,
            var (left, right) => new OrCondition(left, right),
        },
        IfCondition i => Substitute(i.Test, known) switch
        {
            ConstantCondition { Value: true } => Substitute(i.Then, known),
            ConstantCondition { Value: false } => Substitute(i.Else, known),
            var test => new IfCondition(test, Substitute(i.Then, known), Substitute(i.Else, known)),
        },
        _ => known(condition) is { } value ? Constant(value) : condition,
    };

    /// <summary>The index of <paramref name="period"/> among the sorted distinct <paramref name="periods"/>.</summary>
    public static int Rank(IReadOnlyList<RetentionPeriod> periods, RetentionPeriod period)
    {
        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i] == period)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Period {period} is not among the policy's periods.");
    }

    /// <summary>
    /// Whether the condition holds for every device a record can describe (every type with a status
    /// that fits it, every prior-status set, every epoch): an exhaustive check, not a sample.
    /// </summary>
    public static bool IsAlwaysTrue(Condition condition, IReadOnlyList<RetentionPeriod> periods)
    {
        for (var epoch = 0; epoch <= periods.Count; epoch++)
        {
            var folded = Fold(condition, periods, epoch);
            if (folded is ConstantCondition constant)
            {
                if (!constant.Value)
                {
                    return false;
                }

                continue;
            }

            foreach (var (type, status, prior) in VocabularyStates.All())
            {
                if (!Evaluate(folded, type, status, prior, _ => throw new InvalidOperationException("Folded away.")))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ConstantCondition Constant(bool value) => (ConstantCondition)(value ? Condition.True : Condition.False);
}
