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
/// <remarks>
/// A policy that tests the SMETS generation or the model has a slot for each known value and one
/// for 'not recorded'. A device that lacks the fact is decided as every device that has it would be
/// when they all agree (the same rule and action, epoch by epoch), and retained (by no one rule)
/// when every one of them is retained; anywhere else the entry is
/// <see cref="RetentionAction.Undetermined"/> with <see cref="NeedsFactCode"/>: a rule that needs a
/// fact the record lacks never removes it, nor retains it while some value would remove it.
/// </remarks>
internal sealed class DecisionTable
{
    /// <summary>Device types 1 to N; slot 0, an uninitialised record, is never looked up.</summary>
    public static readonly int TypeSlots = DecisionCounts.TypeSlots;

    /// <summary>Statuses 1 to N, and 0.</summary>
    public static readonly int StatusSlots = EnumNames<SmiStatus>.Count + 1 is var slots && slots <= 1 << PairShift ? slots : throw new InvalidOperationException("More statuses than PairEntries has room for.");

    /// <summary>Every value of <see cref="SmiStatusSet.Bits"/> (bits 1 to N).</summary>
    public static readonly int PriorSlots = StateSpace.PriorSlots;

    /// <summary>Where the action sits in an entry; the deciding rule's index + 1 (0 for none) sits below it.</summary>
    public const int ActionShift = 24;

    /// <summary>Set in every entry of a row in which the policy removes the device in some epoch: the due date must be worked out.</summary>
    public const int RemovesInSomeEpoch = 1 << 30;

    /// <summary>
    /// Set in the <see cref="RowEntries"/> of a row whose decision differs between epochs or that
    /// removes in some epoch: only then does the status date need comparing with the cutoffs, as a
    /// hand-written rule looks at the date only for pending devices. Set too in a
    /// <see cref="PairEntries"/> value that names such a row, for a type and status whose rows all decide alike.
    /// </summary>
    public const int NeedsEpoch = 1 << 29;

    /// <summary>
    /// A <see cref="PairEntries"/> value for a type and status whose rows differ by class (the
    /// statuses held before, the generation, the model), in an entry or in any epoch: the row must be worked out.
    /// </summary>
    public const int ByClass = 1 << 28;

    private const int RuleMask = (1 << ActionShift) - 1;

    private readonly int[] _spaceToTable;

    private DecisionTable(StateSpace space, Slots slots, int epochs, int[] rowEntries, int[] entries, uint[] removeBits, RuleFacts[] facts, int needsFactCode)
    {
        Space = space;
        Facts = facts;
        Epochs = epochs;
        Classes = slots.Classes;
        PriorClass = space.PriorClass;
        GenerationSlots = slots.Generations;
        ModelSlots = slots.Models;
        ModelSlotOf = slots.ModelSlotOf;
        _spaceToTable = slots.SpaceToTable;
        RowEntries = rowEntries;
        Entries = entries;
        RemoveBits = removeBits;
        NeedsFactCode = needsFactCode;
        PairEntries = new int[TypeSlots << PairShift];
        PairEntries.AsSpan().Fill(ByClass); // a status past the last has no row of its own: never looked up, and never decided here
        for (var type = 1; type < TypeSlots; type++) // type 0, an uninitialised record, keeps ByClass: the pass never retains it by its pair
        {
            for (var status = 0; status < StatusSlots; status++)
            {
                var first = ((type * StatusSlots) + status) * Classes;
                var rowsOfPair = rowEntries.AsSpan(first, Classes);
                PairEntries[(type << PairShift) | status] =
                    rowsOfPair.ContainsAnyExcept(rowsOfPair[0]) ? ByClass
                    : (rowsOfPair[0] & NeedsEpoch) == 0 ? rowsOfPair[0]
                    : first <= RuleMask && RowsAlike(first) ? NeedsEpoch | first // the row itself, in place of a rule code: no class to work out
                    : ByClass;
            }
        }
    }

    /// <summary>Whether every class of a type and status, from row <paramref name="first"/>, decides alike in every epoch: one row stands for them all.</summary>
    private bool RowsAlike(int first)
    {
        for (var row = first + 1; row < first + Classes; row++)
        {
            if (RemoveBits[row] != RemoveBits[first] || !Entries.AsSpan(row * Epochs, Epochs).SequenceEqual(Entries.AsSpan(first * Epochs, Epochs)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The shift of a type in <see cref="PairEntries"/>: the record's own (<see cref="DeviceRecord.Pair"/>), one read per device.</summary>
    public const int PairShift = DeviceRecord.PairShift;

    /// <summary>
    /// For each type and status (<c>type &lt;&lt; PairShift | status</c>), the entry every row of theirs
    /// has, whatever the class, when they all have one that needs no epoch: most devices
    /// (commissioned, or of a type no rule names) are decided by it alone. When every row of theirs
    /// decides alike in every epoch and needs it (pending devices under a rule that looks at no
    /// earlier status), <see cref="NeedsEpoch"/> with their first row in place of the rule code
    /// (<see cref="RuleCode"/>); else <see cref="ByClass"/>.
    /// </summary>
    public int[] PairEntries { get; }

    /// <summary>The table's classes: a slot for each prior class, times generation slots, times model slots (slot 0 'not recorded' when tested).</summary>
    private sealed class Slots
    {
        public Slots(StateSpace space)
        {
            Generations = space.TestsGeneration ? space.Generations.Length + 1 : 1;
            Models = space.TestsModel ? space.Models.Length + 1 : 1;
            Classes = space.PriorClasses * Generations * Models;
            ModelSlotOf = space.TestsModel ? space.Models.Select((m, i) => (m!, i + 1)).Where(p => p.Item1 != StateSpace.OtherModel).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal) : null;
            SpaceToTable = new int[space.Classes];
            for (var c = 0; c < space.Classes; c++)
            {
                var model = c % space.Models.Length;
                var generation = c / space.Models.Length % space.Generations.Length;
                var prior = c / (space.Models.Length * space.Generations.Length);
                SpaceToTable[c] = Class(prior, space.TestsGeneration ? generation + 1 : 0, space.TestsModel ? model + 1 : 0);
            }
        }

        public int Generations { get; }

        public int Models { get; }

        public int Classes { get; }

        public Dictionary<string, int>? ModelSlotOf { get; }

        public int[] SpaceToTable { get; }

        public int Class(int prior, int generation, int model) => (((prior * Generations) + generation) * Models) + model;
    }

    /// <summary>The devices the version's rules tell apart.</summary>
    public StateSpace Space { get; }

    /// <summary>What each rule's condition holds for, indexed by the rule's index (default for a disabled rule): what the reachability check and lint ask.</summary>
    public RuleFacts[] Facts { get; }

    /// <summary>The number of epochs: one more than the version's periods.</summary>
    public int Epochs { get; }

    /// <summary>The number of classes: the prior classes, times <see cref="GenerationSlots"/>, times <see cref="ModelSlots"/>.</summary>
    public int Classes { get; }

    /// <summary>The prior class of each prior-status set, indexed by <see cref="SmiStatusSet.Bits"/>.</summary>
    public ushort[] PriorClass { get; }

    /// <summary>1 when no rule tests the generation; else 3: not recorded, SMETS1, SMETS2 (the enum's values).</summary>
    public int GenerationSlots { get; }

    /// <summary>1 when no rule tests the model; else not recorded, each model the rules name, and every other model.</summary>
    public int ModelSlots { get; }

    /// <summary>The slot of each model the rules name; null when no rule tests the model.</summary>
    public Dictionary<string, int>? ModelSlotOf { get; }

    /// <summary>Whether a device's class needs more than its prior statuses: a rule tests the generation or the model.</summary>
    public bool ReadsDetails => ModelSlotOf is not null || GenerationSlots > 1;

    /// <summary>The rule code of an entry that a missing fact leaves undetermined: one past every rule's.</summary>
    public int NeedsFactCode { get; }

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
    /// <param name="all">Every rule of the version, enabled or not.</param>
    /// <param name="periods">The periods the enabled rules name, sorted and distinct.</param>
    /// <param name="space">Their state space, when already made (<see cref="StateSpace.For"/> of the enabled rules' conditions).</param>
    public static DecisionTable Build(IReadOnlyList<RetentionRule> all, IReadOnlyList<RetentionPeriod> periods, StateSpace? space = null)
    {
        if (all.Count >= RuleMask)
        {
            throw new ArgumentException(Messages.TooManyRulesToCompile(all.Count, RuleMask - 1), nameof(all));
        }

        var rules = all.Where(r => r.Enabled).ToArray();
        space ??= StateSpace.For(rules.Select(r => r.Condition), periods);
        var slots = new Slots(space);
        var classes = space.Classes;
        var epochs = periods.Count + 1;
        var facts = new RuleFacts[all.Count];
        var rows = TypeSlots * StatusSlots * slots.Classes;
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
                var first = PairRow(p, slots.Classes);
                for (int c = 0, r = p * classes; c < classes; c++, r++)
                {
                    var matched = masks[r] & remaining[r];
                    if (matched == 0)
                    {
                        continue;
                    }

                    var row = first + slots.SpaceToTable[c];
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

        var needsFact = all.Count + 1;
        if (slots.Classes != classes)
        {
            DecideWhereFactsLack(space, slots, entries, removeBits, epochs, needsFact);
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

        return new DecisionTable(space, slots, epochs, rowEntries, entries, removeBits, facts, needsFact);
    }

    /// <summary>
    /// The entries of the slots of a fact not recorded: in each epoch, the entry every recorded
    /// value of the fact agrees on (rule and action), or undetermined (<paramref name="needsFact"/>).
    /// </summary>
    private static void DecideWhereFactsLack(StateSpace space, Slots slots, int[] entries, uint[] removeBits, int epochs, int needsFact)
    {
        var undetermined = needsFact | ((int)RetentionAction.Undetermined << ActionShift);
        var retained = (int)RetentionAction.Retain << ActionShift; // retained whatever the fact, by different rules: no one rule decides
        var agreed = new int[epochs];
        for (var p = 0; p < StateSpace.Pairs.Length; p++)
        {
            var first = PairRow(p, slots.Classes);
            for (var prior = 0; prior < space.PriorClasses; prior++)
            {
                for (var g = 0; g < slots.Generations; g++)
                {
                    for (var m = 0; m < slots.Models; m++)
                    {
                        var lacksGeneration = slots.Generations > 1 && g == 0;
                        var lacksModel = slots.Models > 1 && m == 0;
                        if (!lacksGeneration && !lacksModel)
                        {
                            continue;
                        }

                        // Every recorded value of what is missing: the devices this one could be.
                        var known = false;
                        for (var kg = lacksGeneration ? 1 : g; kg < (lacksGeneration ? slots.Generations : g + 1); kg++)
                        {
                            for (var km = lacksModel ? 1 : m; km < (lacksModel ? slots.Models : m + 1); km++)
                            {
                                var completion = entries.AsSpan((first + slots.Class(prior, kg, km)) * epochs, epochs);
                                for (var e = 0; e < epochs; e++)
                                {
                                    agreed[e] = !known || agreed[e] == completion[e] ? completion[e]
                                        : ActionOf(agreed[e]) == RetentionAction.Retain && ActionOf(completion[e]) == RetentionAction.Retain ? retained
                                        : undetermined;
                                }

                                known = true;
                            }
                        }

                        var row = first + slots.Class(prior, g, m);
                        agreed.CopyTo(entries.AsSpan(row * epochs, epochs));
                        removeBits[row] = 0;
                        for (var e = 0; e < epochs; e++)
                        {
                            removeBits[row] |= ActionOf(agreed[e]) == RetentionAction.Remove ? 1u << e : 0;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The classes a table over <paramref name="space"/> has: its history classes times the generation and model slots (<see cref="PolicyLimits.MaxDeviceClasses"/>).</summary>
    public static long ClassesOf(StateSpace space) =>
        (long)space.PriorClasses * (space.TestsGeneration ? space.Generations.Length + 1 : 1) * (space.TestsModel ? space.Models.Length + 1 : 1);

    /// <summary>The first table row of a pair of the state space (its type and status).</summary>
    private static int PairRow(int pair, int classes)
    {
        var (type, status) = StateSpace.Pairs[pair];
        return (((int)type * StatusSlots) + (int)status) * classes;
    }

    /// <summary>The table row of a row of the state space (whose facts are all recorded).</summary>
    public int TableRow(int spaceRow)
    {
        var classes = Space.Classes;
        return PairRow(spaceRow / classes, Classes) + _spaceToTable[spaceRow % classes];
    }

    /// <summary>
    /// What the table decides over every device a record can describe with all its facts (a device
    /// that lacks one is removed only where every value of it is), in every epoch, made once (the
    /// load's check and the lint both read it): which rules decide some device, which types some
    /// device is removed of, and for each rule the type and status of the first device it removes that
    /// is not pending (AC 7.2 removes pending devices alone, so a policy with one is refused).
    /// </summary>
    public TableReach Reach => LazyInitializer.EnsureInitialized(ref _reach, ReachOf);

    private TableReach? _reach;

    private TableReach ReachOf()
    {
        var rules = Facts.Length; // every rule of the version, enabled or not, by its index
        // Arrays, not LINQ or sets over enums: the packed tool would compile them at start-up.
        var reach = new TableReach(new bool[rules], new bool[TypeSlots], new (DeviceType, SmiStatus)?[rules]);
        for (var p = 0; p < StateSpace.Pairs.Length; p++)
        {
            var pair = StateSpace.Pairs[p];
            for (int c = 0, r = p * Space.Classes; c < Space.Classes; c++, r++)
            {
                if (!Space.IsReachable(r))
                {
                    continue;
                }

                var row = TableRow(r);
                for (var epoch = 0; epoch < Epochs; epoch++)
                {
                    var rule = RuleCode(Entries[(row * Epochs) + epoch]) - 1;
                    if ((uint)rule < (uint)rules)
                    {
                        reach.Deciding[rule] = true;
                    }

                    if ((RemoveBits[row] & (1u << epoch)) != 0)
                    {
                        reach.RemovedTypes[(int)pair.Type] = true;
                        if (pair.Status != SmiStatus.Pending && (uint)rule < (uint)rules)
                        {
                            reach.NotPendingRemovals[rule] ??= pair;
                        }
                    }
                }
            }
        }

        return reach;
    }

    /// <summary>The row of a device: its type, status, prior class, and generation and model where the rules test them.</summary>
    /// <param name="device">An initialised device.</param>
    /// <returns>The row.</returns>
    public int Row(in DeviceRecord device) =>
        ((((int)device.Type * StatusSlots) + (int)device.Status) * Classes) + ClassOf(device);

    /// <summary>The class of a device: its prior class, and its generation's and model's slots where the rules test them.</summary>
    /// <param name="device">An initialised device.</param>
    /// <returns>The class.</returns>
    public int ClassOf(in DeviceRecord device)
    {
        var prior = PriorClass[device.PriorStatuses.Bits];
        if (!ReadsDetails)
        {
            return prior;
        }

        var generation = GenerationSlots > 1 ? (int)device.Generation : 0;
        var model = ModelSlotOf is null ? 0
            : device.Model is not { } name ? 0
            : ModelSlotOf.TryGetValue(name, out var slot) ? slot
            : ModelSlots - 1;
        return (((prior * GenerationSlots) + generation) * ModelSlots) + model;
    }

    /// <summary>The row of a device, from a table's <see cref="Classes"/> and <see cref="PriorClass"/> (which an evaluator keeps at hand).</summary>
    /// <param name="device">An initialised device.</param>
    /// <param name="classes">The table's number of prior classes.</param>
    /// <param name="priorClass">The table's class of each prior-status set.</param>
    /// <returns>The row.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Row(in DeviceRecord device, int classes, ushort[] priorClass) =>
        ((((int)device.Type * StatusSlots) + (int)device.Status) * classes) + priorClass[device.PriorStatuses.Bits];

    /// <summary>
    /// The pair, row and epoch entries an evaluator of this version uses when later versions come
    /// into force after its as-of date: a device of a type and status that a later version removes
    /// in some class and epoch is sent down the dated path, where its due date is sought in the
    /// later versions (its pair read by class, its rows needing the epoch, every entry of theirs
    /// marked <see cref="RemovesInSomeEpoch"/>); without it a device this version never removes,
    /// a Type 2 device, a commissioned one, was retained with no due date, and forecasts left it
    /// out. This table's own arrays when no later version removes a device this one never does.
    /// </summary>
    /// <param name="later">The tables of the versions after this one, in order.</param>
    /// <returns>The entries to decide by.</returns>
    public DecisionEntries WithLaterRemovals(IEnumerable<DecisionTable> later)
    {
        var pairs = TypeSlots * StatusSlots;
        var removedLater = new bool[pairs];
        foreach (var next in later)
        {
            for (var pair = 0; pair < pairs; pair++)
            {
                removedLater[pair] |= next.RemoveBits.AsSpan(pair * next.Classes, next.Classes).ContainsAnyExcept(0u);
            }
        }

        var pairEntries = PairEntries;
        var rowEntries = RowEntries;
        var entries = Entries;
        for (var pair = StatusSlots; pair < pairs; pair++) // type 0, an uninitialised record, is never decided by its entries
        {
            if (!removedLater[pair] || !RemoveBits.AsSpan(pair * Classes, Classes).Contains(0u))
            {
                continue; // no later removal, or every row removed here already takes the dated path
            }

            if (ReferenceEquals(entries, Entries))
            {
                (pairEntries, rowEntries, entries) = ([.. PairEntries], [.. RowEntries], [.. Entries]);
            }

            pairEntries[((pair / StatusSlots) << PairShift) | (pair % StatusSlots)] = ByClass;
            for (var row = pair * Classes; row < (pair + 1) * Classes; row++)
            {
                rowEntries[row] = NeedsEpoch;
                foreach (ref var entry in entries.AsSpan(row * Epochs, Epochs))
                {
                    entry |= RemovesInSomeEpoch;
                }
            }
        }

        return new DecisionEntries(pairEntries, rowEntries, entries);
    }

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

/// <summary>The entries an evaluator decides by: a table's own, or with later versions' removals marked (<see cref="DecisionTable.WithLaterRemovals"/>).</summary>
/// <param name="PairEntries">By type and status (<see cref="DecisionTable.PairEntries"/>).</param>
/// <param name="RowEntries">By row (<see cref="DecisionTable.RowEntries"/>).</param>
/// <param name="Entries">By row and epoch (<see cref="DecisionTable.Entries"/>).</param>
internal sealed record DecisionEntries(int[] PairEntries, int[] RowEntries, int[] Entries);

/// <summary>What a table decides over every device (<see cref="DecisionTable.Reach"/>).</summary>
/// <param name="Deciding">Whether each rule, by its index, decides some device in some epoch.</param>
/// <param name="RemovedTypes">Whether some device of each type (by its value) is removed in some epoch.</param>
/// <param name="NotPendingRemovals">For each rule, the type and status of the first device it removes that is not pending; null when it removes pending devices only.</param>
internal sealed record TableReach(bool[] Deciding, bool[] RemovedTypes, (DeviceType Type, SmiStatus Status)?[] NotPendingRemovals);
