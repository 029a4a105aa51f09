using Smi.Retention.Policies;

namespace Smi.Retention.Rules;

/// <summary>Measures, interprets and walks conditions: the one traversal of a condition's tests.</summary>
internal static class ConditionLogic
{
    /// <summary>
    /// How many nodes the condition has as a tree, a sub-condition counted each time it occurs
    /// (reading <c>a == b</c> shares a and b, so a chain of them doubles the tree at each step);
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

    /// <summary>Whether a condition holds for a device in <paramref name="state"/>; <paramref name="elapsed"/> answers each period.</summary>
    public static bool Evaluate(Condition condition, DeviceState state, Func<RetentionPeriod, bool> elapsed) =>
        condition switch
        {
            ConstantCondition c => c.Value,
            MemberTest t => t.Holds(state, t.Period is { } period && elapsed(period)),
            NotCondition n => !Evaluate(n.Operand, state, elapsed),
            AndCondition a => Evaluate(a.Left, state, elapsed) && Evaluate(a.Right, state, elapsed),
            OrCondition o => Evaluate(o.Left, state, elapsed) || Evaluate(o.Right, state, elapsed),
            IfCondition i => Evaluate(i.Test, state, elapsed) ? Evaluate(i.Then, state, elapsed) : Evaluate(i.Else, state, elapsed),
            _ => throw new InvalidOperationException($"Unknown condition {condition}."),
        };

    /// <summary>The mask of every epoch of a policy with <paramref name="periods"/>: one more epoch than periods.</summary>
    public static uint AllEpochs(IReadOnlyList<RetentionPeriod> periods) => (uint)((1UL << (periods.Count + 1)) - 1);

    /// <summary>
    /// The tests of a condition, depth first, left to right: the one walk of a condition's tests,
    /// for the state space, the periods, the lint and the explanation. A stack, not nested
    /// iterators: linear in the condition's size.
    /// </summary>
    public static IEnumerable<MemberTest> Tests(Condition condition)
    {
        var pending = new Stack<Condition>();
        pending.Push(condition);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case MemberTest test:
                    yield return test;
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
            }
        }
    }

    /// <summary>The periods a condition's tests name, in order, repeats included.</summary>
    public static IEnumerable<RetentionPeriod> Periods(Condition condition)
    {
        foreach (var test in Tests(condition))
        {
            if (test.Period is { } period)
            {
                yield return period;
            }
        }
    }

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
}
