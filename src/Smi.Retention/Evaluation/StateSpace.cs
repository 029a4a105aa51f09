using System.Buffers;
using System.Numerics;
using Smi.Retention.Rules;

namespace Smi.Retention.Evaluation;

/// <summary>
/// The devices a policy's rules can tell apart, as rows: each device type with each status that
/// fits it, times the classes of the other facts: the classes the prior-status sets fall into (sets
/// on which every test that reads the history agrees are one class), times the SMETS generations
/// when a rule tests one, times the models the rules name and one for every other model when a rule
/// tests one. Every fact here is known: a device that lacks a generation or model is decided from
/// these rows by <see cref="DecisionTable"/>. A condition evaluates over all rows at once into an epoch mask
/// per row (bit e: it holds when the e shortest of the policy's periods have elapsed), a few vector
/// operations per node of the condition, so compiling, the reachability check and lint cost the
/// policy's size times the rows, whatever the rules say (DecisionTableTests, CompileBenchmarks).
/// </summary>
internal sealed class StateSpace
{
    /// <summary>Every status-slot and prior-bits value (bits 1 to N of <see cref="SmiStatusSet.Bits"/>).</summary>
    public static readonly int PriorSlots = SmiStatusSet.ValidBits + 2;

    /// <summary>Each device type with each status that fits it, in enum order.</summary>
    public static readonly (DeviceType Type, SmiStatus Status)[] Pairs = FittingPairs();

    // Loops, not LINQ over the pairs: the packed tool would compile each generic instantiation over a struct when it starts.
    private static (DeviceType Type, SmiStatus Status)[] FittingPairs()
    {
        var pairs = new (DeviceType Type, SmiStatus Status)[DeviceTypes.All.Length * SmiStatuses.All.Length];
        var count = 0;
        foreach (var type in DeviceTypes.All)
        {
            foreach (var status in SmiStatuses.All)
            {
                if (type.Fits(status))
                {
                    pairs[count++] = (type, status);
                }
            }
        }

        var fitting = new (DeviceType Type, SmiStatus Status)[count];
        Array.Copy(pairs, fitting, count);
        return fitting;
    }

    private readonly IReadOnlyList<RetentionPeriod> _periods;
    private readonly Dictionary<MemberTest, uint[]> _leaves = [];

    // How a test's masks are kept: one value, one per class (it reads the other facts alone), one per
    // pair (it reads the type or status alone), or one per row; applied a run of rows at a time.
    private enum LeafShape
    {
        One,
        PerClass,
        PerPair,
        PerRow,
    }
    private readonly bool[] _reachable;

    /// <summary>The model that stands for every model the rules do not name: no model is empty.</summary>
    public const string OtherModel = "";

    private StateSpace(IReadOnlyList<RetentionPeriod> periods, ushort[] priorClass, SmiStatusSet[] priors, SmetsGeneration[] generations, string?[] models)
    {
        _periods = periods;
        PriorClasses = priors.Length;
        PriorClass = priorClass;
        Generations = generations;
        Models = models;
        Classes = priors.Length * generations.Length * models.Length;
        Representatives = new DeviceState[Classes];
        for (var c = 0; c < Classes; c++)
        {
            Representatives[c] = new DeviceState(default, default, priors[c / (generations.Length * models.Length)], generations[c / models.Length % generations.Length], models[c % models.Length]);
        }

        All = ConditionLogic.AllEpochs(periods);
        _reachable = new bool[Pairs.Length * Classes];
        var perPrior = generations.Length * models.Length;
        for (var p = 0; p < Pairs.Length; p++)
        {
            var fitting = DeviceTypes.StatusesOf(Pairs[p].Type).Bits;
            for (var bits = fitting; ; bits = (ushort)((bits - 1) & fitting))
            {
                if (DeviceTypes.CanPrecede(SmiStatusSet.FromBitsUnchecked(bits), Pairs[p].Status))
                {
                    _reachable.AsSpan((p * Classes) + (priorClass[bits] * perPrior), perPrior).Fill(true);
                }

                if (bits == 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The number of classes: <see cref="PriorClasses"/> times <see cref="Generations"/> times <see cref="Models"/>.</summary>
    public int Classes { get; }

    /// <summary>The number of classes the prior-status sets fall into.</summary>
    public int PriorClasses { get; }

    /// <summary>The prior class of each prior-status set, indexed by <see cref="SmiStatusSet.Bits"/>.</summary>
    public ushort[] PriorClass { get; }

    /// <summary>SMETS1 and SMETS2 when a rule tests the generation; otherwise only Unknown, which no test asks.</summary>
    public SmetsGeneration[] Generations { get; }

    /// <summary>The models the rules name (ordinal order) and <see cref="OtherModel"/> when a rule tests the model; otherwise only null, which no test asks.</summary>
    public string?[] Models { get; }

    /// <summary>Whether a rule tests the generation.</summary>
    public bool TestsGeneration => Generations.Length > 1;

    /// <summary>Whether a rule tests the model.</summary>
    public bool TestsModel => Models[0] is not null;

    /// <summary>The facts of each class (type and status default): class <c>(prior * Generations + generation) * Models + model</c>.</summary>
    public DeviceState[] Representatives { get; }

    /// <summary>The rows: <see cref="Pairs"/> times <see cref="Classes"/>, row <c>pair * Classes + class</c>.</summary>
    public int Rows => Pairs.Length * Classes;

    /// <summary>The mask of every epoch.</summary>
    public uint All { get; }

    /// <summary>Whether a record can be in the row: some history of its class can precede its type's status (<see cref="DeviceTypes.FitsRecord"/>).</summary>
    public bool IsReachable(int row) => _reachable[row];

    /// <summary>The space of <paramref name="conditions"/>, whose periods are <paramref name="periods"/> (sorted, distinct).</summary>
    public static StateSpace For(IEnumerable<Condition> conditions, IReadOnlyList<RetentionPeriod> periods)
    {
        var tests = conditions.SelectMany(ConditionLogic.Tests).Distinct().ToArray();
        var historyTests = tests.Where(t => (t.Member.Reads & DeviceFactKinds.Prior) != 0).ToArray();
        var priorClass = new ushort[PriorSlots];
        var classOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var representatives = new SmiStatusSet[PriorSlots];
        var classes = 0;
        var signature = new System.Text.StringBuilder();
        for (var bits = 0; bits < PriorSlots; bits++)
        {
            // Bit 0 and bits above the statuses are no status; no record has them, and they change no
            // class. Nor has any record a history no type can hold (NotApplicable beside a status):
            // such sets are left in class 0, never looked up, so they do not double the classes.
            var prior = SmiStatusSet.FromBitsUnchecked((ushort)(bits & SmiStatusSet.ValidBits));
            if (bits > 0 && !FitsSomeType(prior))
            {
                continue;
            }

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
                c = classes++;
                classOf.Add(key, c);
                representatives[c] = prior;
            }

            priorClass[bits] = (ushort)c;
        }

        SmetsGeneration[] generations = tests.Any(t => (t.Member.Reads & DeviceFactKinds.Generation) != 0) ? [.. SmetsGenerations.Known] : [SmetsGeneration.Unknown];
        var named = tests.Where(t => (t.Member.Reads & DeviceFactKinds.Model) != 0).Select(t => t.Text!).Distinct().Order(StringComparer.Ordinal).ToArray();
        string?[] models = named.Length > 0 ? [.. named, OtherModel] : [null];
        var distinct = new SmiStatusSet[classes];
        Array.Copy(representatives, distinct, classes);
        return new StateSpace(periods, priorClass, distinct, generations, models);
    }

    private static bool FitsSomeType(SmiStatusSet prior)
    {
        foreach (var type in DeviceTypes.All)
        {
            if (type.Fits(prior))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The epoch mask of <paramref name="condition"/> in every row, into <paramref name="masks"/> (<see cref="Rows"/> long).</summary>
    public void Masks(Condition condition, uint[] masks) => Evaluate(condition, masks.AsSpan(0, Rows));

    private void Evaluate(Condition condition, Span<uint> into)
    {
        switch (condition)
        {
            case ConstantCondition c:
                into.Fill(c.Value ? All : 0);
                return;
            case MemberTest t:
                Apply(t, into, Operation.Copy);
                return;
            case NotCondition n:
                Evaluate(n.Operand, into);
                Combine(into, into, All, Operation.Xor);
                return;
            case AndCondition a:
                Evaluate(a.Left, into);
                if (into.ContainsAnyExcept(0u))
                {
                    With(a.Right, into, Operation.And);
                }

                return;
            case OrCondition o:
                Evaluate(o.Left, into);
                if (into.ContainsAnyExcept(All))
                {
                    With(o.Right, into, Operation.Or);
                }

                return;
            case IfCondition i:
                var test = ArrayPool<uint>.Shared.Rent(into.Length);
                var otherwise = ArrayPool<uint>.Shared.Rent(into.Length);
                try
                {
                    var t = test.AsSpan(0, into.Length);
                    var e = otherwise.AsSpan(0, into.Length);
                    Evaluate(i.Test, t);
                    Evaluate(i.Then, into);
                    Evaluate(i.Else, e);
                    Combine(into, t, 0, Operation.And); // then where the test holds
                    Combine(t, t, All, Operation.Xor);  // the epochs where it does not
                    Combine(e, t, 0, Operation.And);
                    Combine(into, e, 0, Operation.Or);
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

    /// <summary>Combines <paramref name="right"/>'s masks into <paramref name="into"/>: a test's straight from its cached masks, anything else through a scratch buffer.</summary>
    private void With(Condition right, Span<uint> into, Operation operation)
    {
        if (right is MemberTest test)
        {
            Apply(test, into, operation);
            return;
        }

        var other = ArrayPool<uint>.Shared.Rent(into.Length);
        try
        {
            var span = other.AsSpan(0, into.Length);
            Evaluate(right, span);
            Combine(into, span, 0, operation);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(other);
        }
    }

    private enum Operation
    {
        Copy,
        And,
        Or,
        Xor,
    }

    /// <summary><paramref name="into"/> op= the test's masks, from their compact form (<see cref="LeafShape"/>).</summary>
    private void Apply(MemberTest test, Span<uint> into, Operation operation)
    {
        var leaf = Leaf(test);
        switch (Shape(test))
        {
            case LeafShape.One:
                Broadcast(into, leaf[0], operation);
                break;
            case LeafShape.PerPair:
                for (var p = 0; p < Pairs.Length; p++)
                {
                    Broadcast(into.Slice(p * Classes, Classes), leaf[p], operation);
                }

                break;
            case LeafShape.PerClass:
                for (var p = 0; p < Pairs.Length; p++)
                {
                    Combine(into.Slice(p * Classes, Classes), leaf, 0, operation);
                }

                break;
            default:
                Combine(into, leaf, 0, operation);
                break;
        }
    }

    private static void Broadcast(Span<uint> into, uint value, Operation operation)
    {
        switch (operation)
        {
            case Operation.Copy:
                into.Fill(value);
                break;
            case Operation.And when value == 0:
                into.Clear();
                break;
            case Operation.Or when value != 0:
                Combine(into, into, value, Operation.Or);
                break;
            case Operation.And:
                Combine(into, into, value, Operation.And);
                break;
        }
    }

    private static LeafShape Shape(MemberTest test)
    {
        var readsHistory = (test.Member.Reads & (DeviceFactKinds.Prior | DeviceFactKinds.Generation | DeviceFactKinds.Model)) != 0;
        var readsDevice = (test.Member.Reads & (DeviceFactKinds.Type | DeviceFactKinds.Status)) != 0;
        return (readsHistory, readsDevice) switch
        {
            (false, false) => LeafShape.One,
            (true, false) => LeafShape.PerClass,
            (false, true) => LeafShape.PerPair,
            _ => LeafShape.PerRow,
        };
    }

    /// <summary>
    /// <paramref name="into"/> op= <paramref name="other"/>, a vector at a time; when
    /// <paramref name="other"/> is <paramref name="into"/> itself, op= <paramref name="constant"/> (Xor always so).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // loops that run once per load: optimised at once, not after a slow first pass
    private static void Combine(Span<uint> into, ReadOnlySpan<uint> other, uint constant, Operation operation)
    {
        if (operation == Operation.Copy)
        {
            other.CopyTo(into);
            return;
        }

        var byConstant = operation == Operation.Xor || into.Overlaps(other);
        var i = 0;
        var k = new Vector<uint>(constant);
        for (; i <= into.Length - Vector<uint>.Count; i += Vector<uint>.Count)
        {
            var x = new Vector<uint>(into[i..]);
            var y = byConstant ? k : new Vector<uint>(other[i..]);
            var result = operation switch
            {
                Operation.And => x & y,
                Operation.Or => x | y,
                _ => x ^ y,
            };
            result.CopyTo(into[i..]);
        }

        for (; i < into.Length; i++)
        {
            var y = byConstant ? constant : other[i];
            into[i] = operation switch
            {
                Operation.And => into[i] & y,
                Operation.Or => into[i] | y,
                _ => into[i] ^ y,
            };
        }
    }

    /// <summary>
    /// A test's mask in every row, once per distinct test: a test of a period holds as it does
    /// without the period in the epochs up to the period's rank, and as it does with it after.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // loops that run once per load: optimised at once, not after a slow first pass
    private uint[] Leaf(MemberTest test)
    {
        if (_leaves.TryGetValue(test, out var known))
        {
            return known;
        }

        var rank = test.Period is { } period ? ConditionLogic.Rank(_periods, period) : -1;
        var before = rank < 0 ? All : (2u << rank) - 1;
        var after = All & ~before;
        var shape = Shape(test);

        // Each distinct combination of the facts the test reads is asked once (DeviceFactKinds, held
        // exact by VocabularyTests): a history test once per class, a type or status test once per pair.
        var pairs = shape is LeafShape.PerPair or LeafShape.PerRow ? Pairs.Length : 1;
        var classes = shape is LeafShape.PerClass or LeafShape.PerRow ? Classes : 1;
        var masks = new uint[pairs * classes];
        for (var p = 0; p < pairs; p++)
        {
            for (var c = 0; c < classes; c++)
            {
                var state = Representatives[c] with { Type = Pairs[p].Type, Status = Pairs[p].Status };
                masks[(p * classes) + c] = (test.Holds(state, false) ? before : 0) | (rank >= 0 && test.Holds(state, true) ? after : 0);
            }
        }

        _leaves[test] = masks;
        return masks;
    }
}
