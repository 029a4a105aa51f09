using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
using Smi.Retention.Inventory;

namespace Smi.Retention.Hosting;

/// <summary>
/// One housekeeping run: decided chunks of the inventory taken in input order (parsed and decided
/// on every core for a file or stream, decided here in batches for records handed over), counted by
/// action and type, the rejects kept, the removals held back (with their evidence) until the guard
/// releases them as a whole, and the undetermined. The duplicate rule is the tool's: a device listed
/// more than once is never decided; every row of it is a reject with the reason.
/// </summary>
internal sealed class HousekeepingRun(PolicySnapshot snapshot, string section, IReadOnlyList<StatedLimit> pending, PolicyEvaluator evaluator, Instant started, IProgress<HousekeepingProgress>? progress) : IDisposable
{
    /// <summary>The rejects a report lists; more are counted.</summary>
    public const int RejectsListed = 1000;

    private const int Batch = 4096;
    private const int ProgressEvery = 1 << 16;

    /// <summary>The action part of a tag for a row rejected as it was read (no decision to undo).</summary>
    private const byte AlreadyRejected = 0xFF;

    private readonly DeviceRecord[] _batch = new DeviceRecord[Batch];
    private readonly DecidedChunk _chunk = new();
    private int _pending;
    private SeenDeviceIds? _seen;
    private bool _fromRows;

    // The models of the records handed over, kept only when a rule names one (WarnOfTheRecords).
    private readonly ModelsMet? _models = PolicyLint.NamesAModel(snapshot.Policy.Timeline) ? new() : null;

    public PolicySnapshot Snapshot { get; } = snapshot;

    /// <summary>The configuration section the options were bound from, named by the guard's refusal.</summary>
    public string Section { get; } = section;

    public PolicyEvaluator Evaluator { get; } = evaluator;

    public Instant Started { get; } = started;

    /// <summary>Whether the caller's progress handler threw (what ended the run, when it ended so).</summary>
    public bool ProgressHandlerFailed { get; private set; }

    /// <summary>Reports the progress so far to the caller's handler, noting whether it throws.</summary>
    private void Report(IProgress<HousekeepingProgress>? handler)
    {
        if (handler is not null)
        {
            ProgressHandlerFailed = true;
            handler.Report(new HousekeepingProgress(Read, Removals.Count));
            ProgressHandlerFailed = false;
        }
    }

    /// <summary>Rows read: decided and rejected.</summary>
    public long Read { get; private set; }

    /// <summary>Rows rejected: unreadable, or of a device listed more than once.</summary>
    public long Rejected { get; private set; }

    public DecisionCounts Counts { get; } = new();

    public List<RemovalEvidence> Removals { get; private set; } = [];

    public List<UndeterminedDevice> Undetermined { get; private set; } = [];

    /// <summary>The first <see cref="RejectsListed"/> rejects, in input order once the run is finished.</summary>
    public List<RejectedRow> Rejects { get; private set; } = [];

    /// <summary>
    /// Starts a run under the policy in force now (<paramref name="snapshot"/>), on the as-of date
    /// given or today's by the clock, held besides to <paramref name="pending"/> (the configuration's
    /// own limits while it stands rejected) when given.
    /// </summary>
    public static HousekeepingRun Start(PolicySnapshot snapshot, string section, IReadOnlyList<StatedLimit> pending, IClock clock, HousekeepingRunOptions? run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = clock.GetCurrentInstant();
        var asOf = run?.AsOf ?? started.InZone(snapshot.Zone).Date;
        return new HousekeepingRun(snapshot, section, pending, snapshot.Policy.For(asOf), started, run?.Progress);
    }

    /// <summary>
    /// The warnings of the policy over the records handed over (event 16, as
    /// <c>RunInventory</c> says those of a file): a model a rule names that no record has, or that
    /// records spell alike, their devices not matched by it; none when no rule names a model.
    /// </summary>
    public IReadOnlyList<PolicyWarning> RecordWarnings() =>
        _models is null ? [] : PolicyLint.CheckModels(Snapshot.Policy.Timeline, HostingMessages.RecordsHandedOver, _models.Models);

    /// <summary>Decides the last batch, rejects every row of devices listed more than once, and releases the removals if the guard allows them all.</summary>
    /// <exception cref="BlastRadiusExceededException">The guard refused the run.</exception>
    public HousekeepingResult Finish(IClock clock, HousekeepingRunOptions? run, CancellationToken cancellationToken)
    {
        // Observed after the last device, whatever its batch: a cancelled run releases nothing.
        cancellationToken.ThrowIfCancellationRequested();
        Flush();
        RejectRepeated(cancellationToken);
        Report(run?.Progress);
        var report = new HousekeepingReport(
            Snapshot.Policy, Evaluator, Snapshot.Options.TimeZoneId, Read, Rejected, Rejects, Counts,
            Undetermined, Started, clock.GetCurrentInstant());

        // The limits in force, then any the configuration states while it stands rejected: a lower
        // one (an operator stopping removals while a policy file is broken) takes effect at once.
        var removals = Removals.Count;
        foreach (var stated in pending.Prepend(new StatedLimit(Snapshot.Options.Limits, "")))
        {
            if (stated.Limits.Exceeded(removals, Read - Rejected) is { } limit && run?.AcknowledgedRemovals != removals)
            {
                throw new BlastRadiusExceededException(HostingMessages.GuardRefused(Section, removals, Read - Rejected, stated.Limits, limit, run?.AcknowledgedRemovals) + stated.Note, report);
            }
        }

        return new HousekeepingResult(report, Removals);
    }

    /// <summary>Adds a record handed over; a full batch is decided.</summary>
    public void Add(in DeviceRecord device, CancellationToken cancellationToken)
    {
        if (_models is not null && device.Model is { } model)
        {
            _models.Add(model);
        }

        _batch[_pending++] = device;
        if (_pending == Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Flush();
        }
    }

    /// <summary>Decides the records handed over and not yet decided.</summary>
    public void Flush()
    {
        if (_pending == 0)
        {
            return;
        }

        _chunk.Decide(_batch.AsSpan(0, _pending), Read, Evaluator);
        _pending = 0;
        Take(_chunk, fromRows: false);
    }

    /// <summary>Takes the next chunk of rows, decided, in input order.</summary>
    /// <param name="chunk">The chunk.</param>
    /// <param name="fromRows">Whether its rows are lines of a file or stream (they have line numbers), not records handed over.</param>
    public void Take(DecidedChunk chunk, bool fromRows)
    {
        _fromRows |= fromRows;
        var seen = _seen ??= new SeenDeviceIds(0, tagged: true);
        if (chunk.Rejects > 0)
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                ref readonly var row = ref chunk.Rows[i];
                if (row.Error is { } error)
                {
                    Reject(chunk.FirstRow + i, row.Line, row.IdText ?? "", error);

                    // A rejected row that names a device is a listing of it: its other rows are not decided.
                    foreach (var id in DuplicateCheck.DevicesOf(row))
                    {
                        seen.Add(id, Tag(chunk.FirstRow + i, default, AlreadyRejected));
                    }
                }
            }
        }

        Counts.Add(chunk.Counts);
        var records = chunk.Records;
        foreach (var index in chunk.Removals)
        {
            Removals.Add(RemovalEvidence.Of(Evaluator, records[index], chunk.Decisions[index]));
        }

        foreach (var index in chunk.Undetermined)
        {
            ref readonly var device = ref records[index];
            Undetermined.Add(new UndeterminedDevice(chunk.RowOf(index), device.IsInitialized ? device.Id : null, chunk.Decisions[index].Problem!));
        }

        // Every decided row's id, with where it was and how it was decided, to find afterwards the
        // devices listed more than once and undo each of their decisions (memory bounded: beyond a
        // budget the ids go to a temporary file).
        for (var i = 0; i < chunk.Accepted; i++)
        {
            ref readonly var device = ref records[i];
            if (device.IsInitialized)
            {
                seen.Add(device.Id, Tag(chunk.RowOf(i), device.Type, chunk.Decisions[i].Action));
            }
        }

        var before = Read;
        Read += chunk.Count;
        if (progress is not null && Read / ProgressEvery != before / ProgressEvery)
        {
            Report(progress);
        }
    }

    /// <summary>Disposes the ids collected (their temporary file, if any).</summary>
    public void Dispose() => _seen?.Dispose();

    /// <summary>
    /// Devices listed more than once: which of their rows is right cannot be told, so none is
    /// decided. Every row of them becomes a reject with the reason, its decision taken out of the
    /// counts, and none of its removals is released.
    /// </summary>
    private void RejectRepeated(CancellationToken cancellationToken)
    {
        if (_seen is null)
        {
            KeepFirstRejects();
            return;
        }

        var repeated = _seen.Repeated(cancellationToken);
        if (repeated.Count > 0)
        {
            foreach (var (id, tag) in _seen.Occurrences(repeated, cancellationToken))
            {
                if ((tag & 0xFF) == AlreadyRejected)
                {
                    continue; // a reject already, with its own reason
                }

                var position = (long)(tag >> 16);
                Counts.Remove((RetentionAction)(tag & 0xFF), (DeviceType)((tag >> 8) & 0xFF));
                Reject(position, _fromRows ? position + 2 : null, id.ToString(), Messages.ListedMoreThanOnce(id));
            }

            Removals = [.. Removals.Where(r => !repeated.Contains(r.DeviceId))];
            Undetermined = [.. Undetermined.Where(u => u.Id is not { } id || !repeated.Contains(id))];
        }

        KeepFirstRejects();

        _seen.Dispose();
        _seen = null;
    }

    private void Reject(long position, long? line, string id, string reason)
    {
        Rejected++;
        Rejects.Add(new RejectedRow(position, line, id, reason));
        if (Rejects.Count == 2 * RejectsListed)
        {
            KeepFirstRejects();
        }
    }

    /// <summary>Keeps the first <see cref="RejectsListed"/> rejects by position (those of repeated devices come last, out of order).</summary>
    private void KeepFirstRejects() => Rejects = [.. Rejects.OrderBy(r => r.Position).Take(RejectsListed)];

    /// <summary>Where a row was (its 0-based index, below 2^48) and how it was decided, in one number.</summary>
    private static ulong Tag(long position, DeviceType type, RetentionAction action) => Tag(position, type, (byte)action);

    private static ulong Tag(long position, DeviceType type, byte action) =>
        ((ulong)position << 16) | ((ulong)(byte)type << 8) | action;
}
