using System.Buffers;
using System.Numerics;
using Smi.Retention.Rules;

namespace Smi.Retention.Evaluation;

/// <summary>
/// The devices a policy's rules can tell apart, as rows: each device type with each status that
/// fits it, times the classes the prior-status sets fall into (sets on which every test that reads
/// the history agrees are one class). A condition evaluates over all rows at once into an epoch mask
/// per row (bit e: it holds when the e shortest of the policy's periods have elapsed), a few vector
/// operations per node of the condition, so compiling, the reachability check and lint cost the
/// policy's size times the rows, whatever the rules say (DecisionTableTests, CompileBenchmarks).
/// </summary>
internal sealed class StateSpace
{
    /// <summary>Every status-slot and prior-bits value (bits 1 to N of <see cref="SmiStatusSet.Bits"/>).</summary>
    public static readonly int PriorSlots = SmiStatusSet.ValidBits + 2;

    /// <summary>Each device type with each status that fits it, in enum order.</summary>
    public static readonly (DeviceType Type, SmiStatus Status)[] Pairs =
        [.. DeviceTypes.All.ToArray().SelectMany(t => SmiStatuses.All.ToArray().Where(s => t.Fits(s)).Select(s => (t, s)))];

    private readonly IReadOnlyList<RetentionPeriod> _periods;
    private readonly Dictionary<MemberTest, uint[]> _leaves = [];
    private readonly bool[] _reachable;

    private StateSpace(IReadOnlyList<RetentionPeriod> periods, int classes, ushort[] priorClass, SmiStatusSet[] representatives)
    {
        _periods = periods;
        Classes = classes;
        PriorClass = priorClass;
        Representatives = representatives;
        All = ConditionLogic.AllEpochs(periods);
        _reachable = new bool[Pairs.Length * classes];
        for (var p = 0; p < Pairs.Length; p++)
        {
            var fitting = DeviceTypes.StatusesOf(Pairs[p].Type).Bits;
            for (var bits = fitting; ; bits = (ushort)((bits - 1) & fitting))
            {
                _reachable[(p * classes) + priorClass[bits]] = true;
                if (bits == 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The number of classes the prior-status sets fall into.</summary>
    public int Classes { get; }

    /// <summary>The class of each prior-status set, indexed by <see cref="SmiStatusSet.Bits"/>.</summary>
    public ushort[] PriorClass { get; }

    /// <summary>One prior-status set of each class.</summary>
    public SmiStatusSet[] Representatives { get; }

    /// <summary>The rows: <see cref="Pairs"/> times <see cref="Classes"/>, row <c>pair * Classes + class</c>.</summary>
    public int Rows => Pairs.Length * Classes;

    /// <summary>The mask of every epoch.</summary>
    public uint All { get; }

    /// <summary>The device state of a row (with its class's representative history).</summary>
    public DeviceState State(int row) => new(Pairs[row / Classes].Type, Pairs[row / Classes].Status, Representatives[row % Classes]);

    /// <summary>Whether a record can be in the row: some history of its class fits its type.</summary>
    public bool IsReachable(int row) => _reachable[row];

    /// <summary>The space of <paramref name="conditions"/>, whose periods are <paramref name="periods"/> (sorted, distinct).</summary>
    public static StateSpace For(IEnumerable<Condition> conditions, IReadOnlyList<RetentionPeriod> periods)
    {
        var historyTests = conditions.SelectMany(ConditionLogic.Tests).Where(t => (t.Member.Reads & DeviceFactKinds.Prior) != 0).Distinct().ToArray();
        var priorClass = new ushort[PriorSlots];
        var classOf = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var representatives = new List<SmiStatusSet>();
        var signature = new System.Text.StringBuilder();
        for (var bits = 0; bits < PriorSlots; bits++)
        {
            // Bit 0 and bits above the statuses are no status; no record has them, and they change no class.
            var prior = SmiStatusSet.FromBitsUnchecked((ushort)(bits & SmiStatusSet.ValidBits));
            signature.Clear();
            foreach (var test in historyTests)
            {
                // A member that reads the history alone is asked once; one that reads more, for every type and status.
                var pairs = test.Member.Reads == DeviceFactKinds.Prior ? Pairs.AsSpan(0, 1) : Pairs;
                foreach (var (type, status) in pairs)
                {
                    var state = new DeviceState(type, status, prior);
                    signature.Append(test.Holds(state, false) ? '1' : '0').Append(test.Holds(state, true) ? '1' : '0');
                }
            }

            var key = signature.ToString();
            if (!classOf.TryGetValue(key, out var c))
            {
                c = (ushort)representatives.Count;
                classOf.Add(key, c);
                representatives.Add(prior);
            }

            priorClass[bits] = c;
        }

        return new StateSpace(periods, representatives.Count, priorClass, [.. representatives]);
    }

    /// <summary>The epoch mask of <paramref name="condition"/> in every row (a new array).</summary>
    public uint[] Masks(Condition condition)
    {
        var masks = new uint[Rows];
        Evaluate(condition, masks);
        return masks;
    }

    /// <summary>Whether <paramref name="masks"/> is every epoch in every reachable row: the condition holds for every device on every date.</summary>
    public bool IsAlwaysTrue(uint[] masks)
    {
        for (var row = 0; row < masks.Length; row++)
        {
            if (masks[row] != All && _reachable[row])
            {
                return false;
            }
        }

        return true;
    }

    private void Evaluate(Condition condition, Span<uint> into)
    {
        switch (condition)
        {
            case ConstantCondition c:
                into.Fill(c.Value ? All : 0);
                return;
            case MemberTest t:
                Leaf(t).CopyTo(into);
                return;
            case NotCondition n:
                Evaluate(n.Operand, into);
                Xor(into, All);
                return;
            case AndCondition a:
                Evaluate(a.Left, into);
                if (!into.ContainsAnyExcept(0u))
                {
                    return;
                }

                Combine(a.Right, into, static (x, y) => x & y);
                return;
            case OrCondition o:
                Evaluate(o.Left, into);
                if (!into.ContainsAnyExcept(All))
                {
                    return;
                }

                Combine(o.Right, into, static (x, y) => x | y);
                return;
            case IfCondition i:
                var test = ArrayPool<uint>.Shared.Rent(into.Length);
                var otherwise = ArrayPool<uint>.Shared.Rent(into.Length);
                try
                {
                    Evaluate(i.Test, test.AsSpan(0, into.Length));
                    Evaluate(i.Then, into);
                    Evaluate(i.Else, otherwise.AsSpan(0, into.Length));
                    for (var r = 0; r < into.Length; r++)
                    {
                        into[r] = (test[r] & into[r]) | (~test[r] & All & otherwise[r]);
                    }
                }
                finally
                {
                    ArrayPool<uint>.Shared.Return(test);
                    ArrayPool<uint>.Shared.Return(otherwise);
                }

                return;
            default:
                throw new InvalidOperationException($"Unknown condition {condition}.");
        }
    }

    private void Combine(Condition right, Span<uint> into, Func<Vector<uint>, Vector<uint>, Vector<uint>> op)
    {
        var other = ArrayPool<uint>.Shared.Rent(into.Length);
        try
        {
            var span = other.AsSpan(0, into.Length);
            Evaluate(right, span);
            var i = 0;
            for (; i <= into.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                op(new Vector<uint>(into[i..]), new Vector<uint>(span[i..])).CopyTo(into[i..]);
            }

            for (; i < into.Length; i++)
            {
                into[i] = op(new Vector<uint>(into[i]), new Vector<uint>(span[i]))[0];
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(other);
        }
    }

    private static void Xor(Span<uint> into, uint all)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] ^= all;
        }
    }

    /// <summary>
    /// A test's mask in every row, once per distinct test: a test of a period holds as it does
    /// without the period in the epochs up to the period's rank, and as it does with it after.
    /// </summary>
    private uint[] Leaf(MemberTest test)
    {
        if (_leaves.TryGetValue(test, out var known))
        {
            return known;
        }

        var rank = test.Period is { } period ? ConditionLogic.Rank(_periods, period) : -1;
        var before = rank < 0 ? All : (2u << rank) - 1;
        var after = All & ~before;
        var masks = new uint[Rows];
        var readsHistory = (test.Member.Reads & DeviceFactKinds.Prior) != 0;
        for (var p = 0; p < Pairs.Length; p++)
        {
            for (var c = 0; c < Classes; c++)
            {
                if (c > 0 && !readsHistory)
                {
                    masks[(p * Classes) + c] = masks[p * Classes];
                    continue;
                }

                var state = new DeviceState(Pairs[p].Type, Pairs[p].Status, Representatives[c]);
                masks[(p * Classes) + c] = (test.Holds(state, false) ? before : 0) | (rank >= 0 && test.Holds(state, true) ? after : 0);
            }
        }

        _leaves[test] = masks;
        return masks;
    }
}
