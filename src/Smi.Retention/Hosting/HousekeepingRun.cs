using NodaTime;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Hosting;

/// <summary>
/// One housekeeping run: the devices decided in batches, counted by action and type, the removals
/// held back (with their evidence) until the guard releases them as a whole, and the undetermined.
/// </summary>
internal sealed class HousekeepingRun(PolicySnapshot snapshot, PolicyEvaluator evaluator, Instant started, IProgress<HousekeepingProgress>? progress)
{
    private const int Batch = 4096;
    private const int ProgressEvery = 1 << 16;

    private readonly DeviceRecord[] _batch = new DeviceRecord[Batch];
    private readonly RetentionDecision[] _decisions = new RetentionDecision[Batch];
    private int _pending;

    public PolicySnapshot Snapshot { get; } = snapshot;

    public PolicyEvaluator Evaluator { get; } = evaluator;

    public Instant Started { get; } = started;

    public long Read { get; private set; }

    public DecisionCounts Counts { get; } = new();

    public List<RemovalEvidence> Removals { get; private set; } = [];

    public List<UndeterminedDevice> Undetermined { get; private set; } = [];

    /// <summary>The inventory position of each removal, for reporting it as undetermined if it must be withheld.</summary>
    private List<long> RemovalPositions { get; set; } = [];

    /// <summary>Starts a run under the policy in force now, on the as-of date given or today's by the clock.</summary>
    public static HousekeepingRun Start(PolicySnapshot snapshot, IClock clock, HousekeepingRunOptions? run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = clock.GetCurrentInstant();
        var asOf = run?.AsOf ?? started.InZone(snapshot.Zone).Date;
        return new HousekeepingRun(snapshot, snapshot.Policy.For(asOf), started, run?.Progress);
    }

    /// <summary>Decides the last batch, withholds repeated removals and releases the removals if the guard allows them all.</summary>
    /// <exception cref="BlastRadiusExceededException">The guard refused the run.</exception>
    public HousekeepingResult Finish(IClock clock, HousekeepingRunOptions? run, CancellationToken cancellationToken)
    {
        // Observed after the last device, whatever its batch: a cancelled run releases nothing.
        cancellationToken.ThrowIfCancellationRequested();
        Flush();
        WithholdRepeatedRemovals();
        run?.Progress?.Report(new HousekeepingProgress(Read, Removals.Count));
        var report = new HousekeepingReport(
            Snapshot.Policy, Evaluator, Snapshot.Options.TimeZoneId, Read, Counts,
            Undetermined, Started, clock.GetCurrentInstant());

        var removals = Removals.Count;
        var options = Snapshot.Options;
        if (options.Limits.Exceeded(removals, Read) is { } limit && run?.AcknowledgedRemovals != removals)
        {
            throw new BlastRadiusExceededException(Messages.GuardRefused(removals, Read, options.Limits, limit, run?.AcknowledgedRemovals), report);
        }

        return new HousekeepingResult(report, Removals);
    }

    /// <summary>
    /// A device removed by more than one record of the same inventory (the caller listed it twice):
    /// which record is right cannot be told, so none of its removals is released; each becomes
    /// undetermined. (The SMI's key makes this impossible in a database; a run over a file is
    /// checked in full by the tool, which rejects every row of a device listed twice.)
    /// </summary>
    public void WithholdRepeatedRemovals()
    {
        var repeated = Removals.GroupBy(r => r.DeviceId).Where(g => g.Skip(1).Any()).Select(g => g.Key).ToHashSet();
        if (repeated.Count == 0)
        {
            return;
        }

        var kept = new List<RemovalEvidence>(Removals.Count);
        var positions = new List<long>(Removals.Count);
        for (var i = 0; i < Removals.Count; i++)
        {
            var removal = Removals[i];
            if (!repeated.Contains(removal.DeviceId))
            {
                kept.Add(removal);
                positions.Add(RemovalPositions[i]);
                continue;
            }

            Counts.Move(removal.DeviceType, RetentionAction.Remove, RetentionAction.Undetermined);
            Undetermined.Add(new UndeterminedDevice(RemovalPositions[i], removal.DeviceId, Messages.RemovedMoreThanOnce(removal.DeviceId)));
        }

        Removals = kept;
        RemovalPositions = positions;
        Undetermined = [.. Undetermined.OrderBy(u => u.Position)];
    }

    public void Add(in DeviceRecord device, CancellationToken cancellationToken)
    {
        _batch[_pending++] = device;
        if (_pending == Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Flush();
        }
    }

    public void Flush()
    {
        Evaluator.Evaluate(_batch.AsSpan(0, _pending), _decisions.AsSpan(0, _pending));
        for (var i = 0; i < _pending; i++)
        {
            ref readonly var device = ref _batch[i];
            var decision = _decisions[i];
            Counts.Add(decision.Action, device.Type);
            if (decision.IsRemoval)
            {
                Removals.Add(RemovalEvidence.Of(Evaluator, device, decision));
                RemovalPositions.Add(Read + i);
            }
            else if (decision.Action == RetentionAction.Undetermined)
            {
                Undetermined.Add(new UndeterminedDevice(Read + i, device.IsInitialized ? device.Id : null, decision.Problem!));
            }
        }

        var before = Read;
        Read += _pending;
        _pending = 0;
        if (progress is not null && Read / ProgressEvery != before / ProgressEvery)
        {
            progress.Report(new HousekeepingProgress(Read, Removals.Count));
        }
    }
}
