using Smi.Retention.Policies;
using Smi.Retention.Rules;

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
    public static readonly int PriorSlots = SmiStatusSet.ValidBits + 2;

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

    private DecisionTable(int epochs, int classes, ushort[] priorClass, int[] rowEntries, int[] entries, uint[] removeBits)
    {
        Epochs = epochs;
        Classes = classes;
        PriorClass = priorClass;
        RowEntries = rowEntries;
        Entries = entries;
        RemoveBits = removeBits;
    }

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

    /// <summary>Compiles one policy version.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The table.</returns>
    public static DecisionTable Build(RetentionPolicy policy)
    {
        if (policy.Rules.Count >= RuleMask)
        {
            throw new ArgumentException(Messages.TooManyRulesToCompile(policy.Rules.Count, RuleMask - 1), nameof(policy));
        }

        var rules = policy.Rules.Where(r => r.Enabled).ToArray();
        var (classes, priorClass, representatives) = PriorClasses(rules);
        var epochs = policy.Periods.Count + 1;
        var rows = TypeSlots * StatusSlots * classes;
        var entries = new int[rows * epochs];
        var rowEntries = new int[rows];
        var removeBits = new uint[rows];
        for (var type = 0; type < TypeSlots; type++)
        {
            for (var status = 0; status < StatusSlots; status++)
            {
                // A record's status always fits its type (the constructor checks): other rows are
                // never looked up, and are left as 'retain, no rule' without walking the rules.
                var reachable = ((DeviceType)type).Fits((SmiStatus)status);
                for (var c = 0; c < classes; c++)
                {
                    var row = ((type * StatusSlots) + status) * classes + c;
                    var span = entries.AsSpan(row * epochs, epochs);
                    if (!reachable)
                    {
                        span.Fill((int)RetentionAction.Retain << ActionShift);
                        rowEntries[row] = span[0];
                        continue;
                    }

                    removeBits[row] = Walk(rules, policy.Periods, (DeviceType)type, (SmiStatus)status, representatives[c], span);
                    if (removeBits[row] != 0)
                    {
                        foreach (ref var entry in span)
                        {
                            entry |= RemovesInSomeEpoch;
                        }
                    }

                    rowEntries[row] = removeBits[row] == 0 && !span.ContainsAnyExcept(span[0]) ? span[0] : NeedsEpoch;
                }
            }
        }

        return new DecisionTable(epochs, classes, priorClass, rowEntries, entries, removeBits);
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

    /// <summary>The decision for a state of the vocabulary (<see cref="VocabularyStates"/>) in an epoch: the deciding rule (or -1) and whether it removes.</summary>
    /// <param name="state">The type, status and prior statuses.</param>
    /// <param name="epoch">How many of the version's periods have elapsed.</param>
    /// <returns>The rule and whether the version removes.</returns>
    public (int Rule, bool Removes) Decide((DeviceType Type, SmiStatus Status, SmiStatusSet Prior) state, int epoch)
    {
        var (rule, _, removes) = Decide(VocabularyStates.Record(state, new NodaTime.LocalDate(2000, 1, 1)), epoch);
        return (rule, removes);
    }

    /// <summary>The deciding rule's index + 1 in an entry, 0 for none.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int RuleCode(int entry) => entry & RuleMask;

    /// <summary>The action in an entry.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static RetentionAction ActionOf(int entry) => (RetentionAction)((entry >> ActionShift) & 3);

    /// <summary>
    /// Splits the prior-status sets by the values of the policy's 'held before' tests: sets on
    /// which every such test agrees are one class, decided by any one of them.
    /// </summary>
    private static (int Classes, ushort[] PriorClass, SmiStatusSet[] Representatives) PriorClasses(RetentionRule[] rules)
    {
        var tests = rules.SelectMany(r => ConditionLogic.Atoms(r.Condition))
            .Where(a => a is HeldBefore or HeldBeforeOtherThan)
            .Distinct()
            .ToArray();
        var priorClass = new ushort[PriorSlots];
        var classOf = new Dictionary<string, ushort>(StringComparer.Ordinal);
        var representatives = new List<SmiStatusSet>();
        for (var bits = 0; bits < PriorSlots; bits++)
        {
            // Bit 0 and bit 11 up are no status; no record has them, and they change no class.
            var prior = SmiStatusSet.FromBitsUnchecked((ushort)(bits & SmiStatusSet.ValidBits));
            var signature = string.Create(tests.Length, (tests, prior), static (span, state) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = ConditionLogic.Evaluate(state.tests[i], default, default, state.prior, _ => false) ? '1' : '0';
                }
            });
            if (!classOf.TryGetValue(signature, out var c))
            {
                c = (ushort)representatives.Count;
                classOf.Add(signature, c);
                representatives.Add(prior);
            }

            priorClass[bits] = c;
        }

        return (representatives.Count, priorClass, [.. representatives]);
    }

    /// <summary>Walks the rules in order for one row, first match wins per epoch; fills the row's entries and returns its remove bits.</summary>
    private static uint Walk(RetentionRule[] rules, IReadOnlyList<RetentionPeriod> periods, DeviceType type, SmiStatus status, SmiStatusSet prior, Span<int> row)
    {
        var remaining = ConditionLogic.AllEpochs(periods);
        var removeBits = 0u;
        row.Fill((int)RetentionAction.Retain << ActionShift);
        foreach (var rule in rules)
        {
            var matched = ConditionLogic.EpochMask(rule.Condition, type, status, prior, periods) & remaining;
            for (var epoch = 0; epoch < row.Length; epoch++)
            {
                if ((matched & (1u << epoch)) != 0)
                {
                    row[epoch] = (rule.Index + 1) | ((int)rule.Action << ActionShift);
                }
            }

            removeBits |= rule.Action == RetentionAction.Remove ? matched : 0;
            remaining &= ~matched;
            if (remaining == 0)
            {
                break;
            }
        }

        return removeBits;
    }
}
