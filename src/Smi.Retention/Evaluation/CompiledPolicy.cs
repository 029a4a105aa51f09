using NodaTime;
using Smi.Retention.Policies;

namespace Smi.Retention.Evaluation;

/// <summary>
/// A policy or timeline compiled once, each version into a table of its decisions by device type,
/// status, prior statuses and elapsed periods. Immutable and thread-safe; get a
/// <see cref="PolicyEvaluator"/> for each as-of date with <see cref="For"/>.
/// </summary>
public sealed class CompiledPolicy
{
    private CompiledPolicy(RetentionTimeline timeline, BoundaryMode boundary, string? defaultAlert)
    {
        Timeline = timeline;
        Boundary = boundary;
        DefaultAlert = defaultAlert;
        var versions = new CompiledVersion[timeline.Versions.Count];
        for (var i = 0; i < versions.Length; i++)
        {
            var version = timeline.Versions[i];
            var until = i + 1 < versions.Length ? timeline.Versions[i + 1].EffectiveFrom : null;
            versions[i] = new CompiledVersion(version.Policy, version.EffectiveFrom, until, version.Policy.Table, defaultAlert);
        }

        Versions = versions;
        _entries = new DecisionEntries?[versions.Length];
    }

    /// <summary>The timeline compiled (a single policy is a timeline of one version).</summary>
    public RetentionTimeline Timeline { get; }

    /// <summary>When a period counts as elapsed.</summary>
    public BoundaryMode Boundary { get; }

    /// <summary>The alert a Remove rule sends for a device other than a Communications Hub when the rule sets none.</summary>
    public string? DefaultAlert { get; }

    /// <summary>The policy or timeline name.</summary>
    public string Name => Timeline.Name;

    /// <summary>The SHA-256 of the policy text, lower-case hex.</summary>
    public string ContentHash => Timeline.ContentHash;

    internal IReadOnlyList<CompiledVersion> Versions { get; }

    // Each version's entries with the later versions' removals marked (DecisionTable.WithLaterRemovals),
    // made on the first evaluator of the version: an evaluator is made per as-of date, and a large
    // table is not copied for each.
    private readonly DecisionEntries?[] _entries = [];

    // The last version's dated entries (DatedEntry.Make), made on its first evaluator; empty for none.
    private DatedEntry[]? _dated;

    /// <summary>
    /// The dated entries every evaluator of version <paramref name="index"/> decides its pending
    /// devices by (<see cref="DatedEntry.Make"/>), made once: they do not depend on the as-of date.
    /// Null for a version with a later one (which may remove its devices first), or a table too
    /// large to keep them for.
    /// </summary>
    internal DatedEntry[]? DatedEntries(int index)
    {
        if (index != Versions.Count - 1)
        {
            return null;
        }

        if (Volatile.Read(ref _dated) is not { } made)
        {
            made = DatedEntry.Make(Versions[index], EntriesOf(index)) ?? [];
            made = Interlocked.CompareExchange(ref _dated, made, null) ?? made;
        }

        return made.Length == 0 ? null : made;
    }

    /// <summary>The entries an evaluator of version <paramref name="index"/> decides by (<see cref="DecisionTable.WithLaterRemovals"/>), made once.</summary>
    internal DecisionEntries EntriesOf(int index)
    {
        if (Volatile.Read(ref _entries[index]) is { } made)
        {
            return made;
        }

        var entries = Versions[index].Table.WithLaterRemovals(Versions.Skip(index + 1).Select(v => v.Table));
        return Interlocked.CompareExchange(ref _entries[index], entries, null) ?? entries;
    }

    /// <summary>Compiles a timeline.</summary>
    /// <param name="timeline">The timeline, e.g. from <see cref="PolicyCatalog.Load(string)"/>.</param>
    /// <param name="boundary">When a period counts as elapsed; on the corresponding date by default.</param>
    /// <param name="defaultAlert">The alert for removals by rules that set none (<c>N8</c> unless configured; null for none).</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeline"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="boundary"/> is not a declared mode.</exception>
    public static CompiledPolicy Compile(RetentionTimeline timeline, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate, string? defaultAlert = RetentionRule.DefaultAlert)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        if (boundary is not (BoundaryMode.OnCorrespondingDate or BoundaryMode.AfterCorrespondingDate))
        {
            throw new ArgumentOutOfRangeException(nameof(boundary), boundary, "Use OnCorrespondingDate or AfterCorrespondingDate.");
        }

        return new CompiledPolicy(timeline, boundary, defaultAlert);
    }

    /// <summary>
    /// The evaluator for one as-of date: the version in force on it, with every period turned into
    /// an exact cutoff date once, so each device costs a few comparisons.
    /// </summary>
    /// <param name="asOf">The London date of the decisions.</param>
    /// <returns>The evaluator; immutable and thread-safe. Every date of NodaTime's ISO range is accepted: a period whose cutoff would fall before its first date has elapsed for no device.</returns>
    /// <exception cref="ArgumentException"><paramref name="asOf"/> is not in the ISO calendar.</exception>
    public PolicyEvaluator For(LocalDate asOf)
    {
        if (asOf.Calendar != CalendarSystem.Iso)
        {
            throw new ArgumentException(Messages.NotIsoCalendar(asOf), nameof(asOf));
        }

        try
        {
            return new(this, asOf);
        }
        catch (OverflowException e)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, Messages.DateOutOfRange(e.Message));
        }
    }
}

/// <summary>One version of a timeline, compiled; in force on [From, Until).</summary>
internal sealed class CompiledVersion(RetentionPolicy policy, LocalDate? from, LocalDate? until, DecisionTable table, string? defaultAlert)
{
    private readonly object[] _removals = policy.Rules.Select(r => Removal(r, r.AlertFor(DeviceType.ESME, defaultAlert))).ToArray();
    private readonly object[] _hubRemovals = policy.Rules.Select(r => Removal(r, r.AlertFor(DeviceType.CHF, defaultAlert))).ToArray();

    public RetentionPolicy Policy { get; } = policy;

    public LocalDate? From { get; } = from;

    public LocalDate? Until { get; } = until;

    public DecisionTable Table { get; } = table;

    public IReadOnlyList<RetentionPeriod> Periods => Policy.Periods;

    /// <summary>What a removal by rule <paramref name="index"/> records: the rule, or the rule with its alert, resolved once at compile time.</summary>
    public object RemovalBy(int index, DeviceType type) => type.IsCommunicationsHub() ? _hubRemovals[index] : _removals[index];

    private static object Removal(RetentionRule rule, string? alert) => alert is null ? rule : new AlertedRemoval(rule, alert);

    /// <summary>Cutoffs on <paramref name="asOf"/>, one per period, latest first (shortest period first); null where no date of the calendar is early enough.</summary>
    public LocalDate?[] CutoffsOn(LocalDate asOf, BoundaryMode boundary)
    {
        var cutoffs = new LocalDate?[Periods.Count];
        for (var i = 0; i < cutoffs.Length; i++)
        {
            cutoffs[i] = RetentionCalendar.TryCutoff(asOf, Periods[i], boundary);
        }

        return cutoffs;
    }
}
