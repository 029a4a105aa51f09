using Smi.Retention.Policies;

namespace Smi.Retention.Evaluation;

/// <summary>
/// One policy version compiled to a table of its decisions. Dates enter rules only through
/// periods, so what a policy decides for a device depends on its type, its status, its prior
/// statuses and its epoch (how many of the version's periods, shortest first, have elapsed), and
/// on nothing else. Prior statuses matter only through the policy's 'held before' tests, so the
/// 1,024 prior sets fall into a few classes (one, for a policy without such tests). The table
/// holds, for every type, status, prior class and epoch, the rule that decides (first match wins)
/// and its action, so deciding a device is a few array reads whatever the policy: no interpreter,
/// no generated code, no call per device. It is built exhaustively, so it is exact.
/// </summary>
internal sealed class DecisionTable
{
    /// <summary>Device types 1 to N; slot 0, an uninitialised record, is never looked up.</summary>
    public static readonly int TypeSlots = DecisionCounts.TypeSlots;

    /// <summary>Statuses 1 to N, and 0.</summary>
    public static readonly int StatusSlots = EnumNames<SmiStatus>.Count + 1;

    /// <summary>Every value of <see cref="SmiStatusSet.Bits"/> (bits 1 to N).</summary>
    public static readonly int PriorSlots = StateSpace.PriorSlots;

    /// <summary>Where the action sits in an entry; the deciding rule's index + 1 (0 for none) sits below it.</summary>
    public const int ActionShift = 24;

    /// <summary>Set in every entry of a row in which the policy removes the device in some epoch: the due date must be worked out.</summary>
    public const int RemovesInSomeEpoch = 1 << 30;

    /// <summary>
    /// Set in the <see cref="RowEntries"/> of a row whose decision differs between epochs or that
    /// removes in some epoch: only then does the status date need comparing with the cutoffs, as a
    /// hand-written rule looks at the date only for pending devices.
    /// </summary>
    public const int NeedsEpoch = 1 << 29;

    private const int RuleMask = (1 << ActionShift) - 1;

    private DecisionTable(StateSpace space, int epochs, int[] rowEntries, int[] entries, uint[] removeBits, RuleFacts[] facts)
    {
        Space = space;
        Facts = facts;
        Epochs = epochs;
        Classes = space.Classes;
        PriorClass = space.PriorClass;
        RowEntries = rowEntries;
        Entries = entries;
        RemoveBits = removeBits;
    }

    /// <summary>The devices the version's rules tell apart.</summary>
    public StateSpace Space { get; }

    /// <summary>What each rule's condition holds for, indexed by the rule's index (default for a disabled rule): what the reachability check and lint ask.</summary>
    public RuleFacts[] Facts { get; }

    /// <summary>The number of epochs: one more than the version's periods.</summary>
    public int Epochs { get; }

    /// <summary>The number of classes the prior-status sets fall into.</summary>
    public int Classes { get; }

    /// <summary>The class of each prior-status set, indexed by <see cref="SmiStatusSet.Bits"/>.</summary>
    public ushort[] PriorClass { get; }

    /// <summary>
    /// The entries, indexed by <c>Row * Epochs + epoch</c>: the deciding rule's index + 1 (0 for
    /// none) in the low 24 bits, the action above it, and <see cref="RemovesInSomeEpoch"/>.
    /// </summary>
    public int[] Entries { get; }

    /// <summary>For each row, its entry in every epoch, or <see cref="NeedsEpoch"/>.</summary>
    public int[] RowEntries { get; }

    /// <summary>For each row, a bit per epoch in which the policy removes the device.</summary>
    public uint[] RemoveBits { get; }

    /// <summary>Compiles one policy version (once: the policy keeps it, <see cref="RetentionPolicy.Table"/>).</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The table.</returns>
    public static DecisionTable Build(RetentionPolicy policy) => Build(policy.Rules, policy.Periods);

    /// <summary>
    /// Compiles a version's rules, whose enabled rules name <paramref name="periods"/> (sorted,
    /// distinct): every enabled rule's condition is evaluated over the state space once, for the
    /// entries and for its <see cref="RuleFacts"/>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // loops that run once per load: optimised at once, not after a slow first pass
    public static DecisionTable Build(IReadOnlyList<RetentionRule> all, IReadOnlyList<RetentionPeriod> periods)
    {
        if (all.Count >= RuleMask)
        {
            throw new ArgumentException(Messages.TooManyRulesToCompile(all.Count, RuleMask - 1), nameof(all));
        }

        var rules = all.Where(r => r.Enabled).ToArray();
        var space = StateSpace.For(rules.Select(r => r.Condition), periods);
        var classes = space.Classes;
        var epochs = periods.Count + 1;
        var facts = new RuleFacts[all.Count];
        var rows = TypeSlots * StatusSlots * classes;
        var entries = new int[rows * epochs];
        entries.AsSpan().Fill((int)RetentionAction.Retain << ActionShift);
        var rowEntries = new int[rows];
        var removeBits = new uint[rows];

        // First match wins, per row and epoch: each rule takes the epochs it matches of those no
        // earlier rule took. Rows of a type and status that do not fit stay 'retain, no rule': a
        // record's status always fits its type (the constructor checks), so they are never looked up.
        var remaining = new uint[space.Rows];
        remaining.AsSpan().Fill(space.All);
        var masks = new uint[space.Rows];
        var open = space.Rows;
        foreach (var rule in rules)
        {
            space.Masks(rule.Condition, masks);
            facts[rule.Index] = RuleFacts.Of(space, masks);
            if (open == 0)
            {
                continue;
            }

            var code = (rule.Index + 1) | ((int)rule.Action << ActionShift);
            for (var p = 0; p < StateSpace.Pairs.Length; p++)
            {
                var first = TableRow(p * classes, classes);
                for (int c = 0, r = p * classes; c < classes; c++, r++)
                {
                    var matched = masks[r] & remaining[r];
                    if (matched == 0)
                    {
                        continue;
                    }

                    var row = first + c;
                    var span = entries.AsSpan(row * epochs, epochs);
                    for (var bits = matched; bits != 0; bits &= bits - 1)
                    {
                        span[System.Numerics.BitOperations.TrailingZeroCount(bits)] = code;
                    }

                    removeBits[row] |= rule.Action == RetentionAction.Remove ? matched : 0;
                    remaining[r] &= ~matched;
                    open -= remaining[r] == 0 ? 1 : 0;
                }
            }
        }

        for (var row = 0; row < rows; row++)
        {
            var span = entries.AsSpan(row * epochs, epochs);
            if (removeBits[row] != 0)
            {
                foreach (ref var entry in span)
                {
                    entry |= RemovesInSomeEpoch;
                }
            }

            rowEntries[row] = removeBits[row] == 0 && !span.ContainsAnyExcept(span[0]) ? span[0] : NeedsEpoch;
        }

        return new DecisionTable(space, epochs, rowEntries, entries, removeBits, facts);
    }

    /// <summary>The table row of a row of the state space.</summary>
    public static int TableRow(int spaceRow, int classes)
    {
        var (type, status) = StateSpace.Pairs[spaceRow / classes];
        return ((((int)type * StatusSlots) + (int)status) * classes) + (spaceRow % classes);
    }

    /// <summary>The row of a device: its type, status and prior class.</summary>
    /// <param name="device">An initialised device.</param>
    /// <returns>The row.</returns>
    public int Row(in DeviceRecord device) => Row(device, Classes, PriorClass);

    /// <summary>The row of a device, from a table's <see cref="Classes"/> and <see cref="PriorClass"/> (which an evaluator keeps at hand).</summary>
    /// <param name="device">An initialised device.</param>
    /// <param name="classes">The table's number of prior classes.</param>
    /// <param name="priorClass">The table's class of each prior-status set.</param>
    /// <returns>The row.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Row(in DeviceRecord device, int classes, ushort[] priorClass) =>
        ((((int)device.Type * StatusSlots) + (int)device.Status) * classes) + priorClass[device.PriorStatuses.Bits];

    /// <summary>A bit per epoch in which the version removes the device.</summary>
    /// <param name="device">An initialised device.</param>
    /// <returns>The bits.</returns>
    public uint RemoveBitsOf(in DeviceRecord device) => RemoveBits[Row(device)];

    /// <summary>The deciding rule's index (-1 for none), its action, and whether the version removes the device in that epoch.</summary>
    /// <param name="device">An initialised device.</param>
    /// <param name="epoch">How many of the version's periods have elapsed.</param>
    /// <returns>The decision in that epoch.</returns>
    public (int Rule, RetentionAction Action, bool Removes) Decide(in DeviceRecord device, int epoch)
    {
        var row = Row(device);
        var entry = Entries[(row * Epochs) + epoch];
        return (RuleCode(entry) - 1, ActionOf(entry), (RemoveBits[row] & (1u << epoch)) != 0);
    }

    /// <summary>The deciding rule's index + 1 in an entry, 0 for none.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int RuleCode(int entry) => entry & RuleMask;

    /// <summary>The action in an entry.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static RetentionAction ActionOf(int entry) => (RetentionAction)((entry >> ActionShift) & 3);
}
