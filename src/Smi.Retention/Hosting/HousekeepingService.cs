using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Smi.Retention;

/// <summary>
/// Runs housekeeping inside a DSP service: the configured policy compiled once and swapped
/// atomically when the options or the policy file change (an invalid edit keeps the last good
/// policy and is logged), runs over streamed inventories, the blast-radius guard, and evidence
/// for every removal. Thread-safe; register it with
/// <see cref="RetentionServiceCollectionExtensions.AddSmiRetention(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{RetentionOptions})"/>.
/// </summary>
public sealed partial class HousekeepingService : IDisposable
{
    private const int Batch = 4096;
    private const int ProgressEvery = 1 << 16;

    private readonly IOptionsMonitor<RetentionOptions> _options;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly IDisposable? _optionsSubscription;
    private readonly Lock _reloading = new();
    private PolicySnapshot _current;
    private FileSystemWatcher[] _watchers = [];
    private HashSet<string> _watched = new(StringComparer.Ordinal);
    private Timer? _debounce;

    /// <summary>Creates the service and compiles the configured policy.</summary>
    /// <param name="options">The options, watched for changes.</param>
    /// <param name="clock">The clock giving today's date when a run names none.</param>
    /// <param name="logger">Where reloads and rejected edits are reported.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="clock"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options or the policy are invalid.</exception>
    public HousekeepingService(IOptionsMonitor<RetentionOptions> options, IClock clock, ILogger<HousekeepingService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _options = options;
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _current = Compile(options.CurrentValue);
        Watch(_current.Policy.Timeline.Files);
        _optionsSubscription = options.OnChange(_ => Reload());
    }

    /// <summary>The compiled policy new runs use; a run keeps the one it started with.</summary>
    public CompiledPolicy Policy => Volatile.Read(ref _current).Policy;

    /// <summary>
    /// Recompiles the policy from the current options and file now. An invalid policy leaves the
    /// last good one in force and is logged with every problem.
    /// </summary>
    /// <returns><see langword="true"/> when the new policy is in force.</returns>
    public bool Reload()
    {
        lock (_reloading)
        {
            var policy = Volatile.Read(ref _current).Options.Policy;
            try
            {
                // Reading the options rebuilds and validates them after an edit: an invalid edit throws here.
                var options = _options.CurrentValue;
                policy = options.Policy;
                var next = Compile(options);
                var previous = Interlocked.Exchange(ref _current, next);
                if (previous.Policy.ContentHash != next.Policy.ContentHash || previous.Options.Policy != options.Policy)
                {
                    LogReloaded(_logger, next.Policy.Name, next.Policy.ContentHash);
                }

                Watch(next.Policy.Timeline.Files);
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A reload runs on a timer or a change notification: nothing it meets may end the
                // process, and nothing but a whole, valid policy may replace the one in force.
                LogRejected(_logger, policy, Volatile.Read(ref _current).Policy.ContentHash, GuardedChangeTokenSource.Describe(e));
                return false;
            }
        }
    }

    /// <summary>Runs housekeeping over an inventory; see <see cref="RunAsync"/>.</summary>
    /// <param name="inventory">The devices, streamed.</param>
    /// <param name="run">The as-of date, an acknowledgement, progress; all optional.</param>
    /// <param name="cancellationToken">Stops the run; a cancelled run releases nothing.</param>
    /// <returns>The report and the removals.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inventory"/> is null.</exception>
    /// <exception cref="BlastRadiusExceededException">The run would remove more than the configured limits allow.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; no decision was released.</exception>
    public HousekeepingResult Run(IEnumerable<DeviceRecord> inventory, HousekeepingRunOptions? run = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var state = Start(run, cancellationToken);
        foreach (var device in inventory)
        {
            state.Add(device, cancellationToken);
        }

        return Finish(state, run, cancellationToken);
    }

    /// <summary>
    /// Runs housekeeping over an inventory streamed from a database or a file: memory grows with the
    /// removals and undetermined devices, not with the inventory. The policy in force when the run
    /// starts is used throughout. The removals are released only if the blast-radius guard allows
    /// them all; otherwise <see cref="BlastRadiusExceededException"/> is thrown and none is.
    /// </summary>
    /// <param name="inventory">The devices, streamed.</param>
    /// <param name="run">The as-of date, an acknowledgement, progress; all optional.</param>
    /// <param name="cancellationToken">Stops the run; a cancelled run releases nothing.</param>
    /// <returns>The report and the removals.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inventory"/> is null.</exception>
    /// <exception cref="BlastRadiusExceededException">The run would remove more than the configured limits allow.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; no decision was released.</exception>
    public async Task<HousekeepingResult> RunAsync(IAsyncEnumerable<DeviceRecord> inventory, HousekeepingRunOptions? run = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var state = Start(run, cancellationToken);
        await foreach (var device in inventory.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            state.Add(device, cancellationToken);
        }

        return Finish(state, run, cancellationToken);
    }

    private RunState Start(HousekeepingRunOptions? run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = Volatile.Read(ref _current);
        var started = _clock.GetCurrentInstant();
        var asOf = run?.AsOf ?? started.InZone(snapshot.Zone).Date;
        return new RunState(snapshot, snapshot.Policy.For(asOf), started, run?.Progress);
    }

    private HousekeepingResult Finish(RunState state, HousekeepingRunOptions? run, CancellationToken cancellationToken)
    {
        // Observed after the last device, whatever its batch: a cancelled run releases nothing.
        cancellationToken.ThrowIfCancellationRequested();
        state.Flush();
        state.WithholdRepeatedRemovals();
        run?.Progress?.Report(new HousekeepingProgress(state.Read, state.Removals.Count));
        var report = new HousekeepingReport(
            state.Snapshot.Policy, state.Evaluator, state.Snapshot.Options.TimeZoneId, state.Read, state.Counts,
            state.Undetermined, state.Started, _clock.GetCurrentInstant());

        var removals = state.Removals.Count;
        var options = state.Snapshot.Options;
        if (options.Limits.Exceeded(removals, state.Read) is { } limit && run?.AcknowledgedRemovals != removals)
        {
            throw new BlastRadiusExceededException(Messages.GuardRefused(removals, state.Read, options.Limits, limit, run?.AcknowledgedRemovals), report);
        }

        return new HousekeepingResult(report, state.Removals);
    }

    private static PolicySnapshot Compile(RetentionOptions options)
    {
        var timeline = PolicyCatalog.Load(options.Policy);
        var alert = string.IsNullOrEmpty(options.AlertCode) ? null : options.AlertCode;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZoneId) ?? throw new ArgumentException(Messages.OptionTimeZone(options.TimeZoneId));
        return new PolicySnapshot(CompiledPolicy.Compile(timeline, options.Boundary, alert), zone, Clone(options));
    }

    private static RetentionOptions Clone(RetentionOptions options) => new()
    {
        Policy = options.Policy,
        Boundary = options.Boundary,
        TimeZoneId = options.TimeZoneId,
        AlertCode = options.AlertCode,
        MaxRemovals = options.MaxRemovals,
        MaxRemovalFraction = options.MaxRemovalFraction,
    };

    /// <summary>
    /// Watches every file the policy was read from (a timeline and each file its versions refer to,
    /// in whatever folder) so that an edit, a replacement or a deletion of any of them reloads it.
    /// </summary>
    private void Watch(IReadOnlyList<string> files)
    {
        var paths = files.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        if (paths.SetEquals(_watched))
        {
            return;
        }

        foreach (var old in _watchers)
        {
            old.Dispose();
        }

        _watchers = [];
        _watched = paths;
        _debounce ??= new Timer(_ => Reload());
        var watchers = new List<FileSystemWatcher>();
        foreach (var folder in paths.Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal))
        {
            var watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler changed = (_, e) => Changed(paths, e.FullPath, null);
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, e) => Changed(paths, e.FullPath, e.OldFullPath);
            watcher.EnableRaisingEvents = true;
            watchers.Add(watcher);
        }

        _watchers = [.. watchers];
    }

    /// <summary>An event in a watched folder: a reload, 200 ms after the last change to one of the policy's files.</summary>
    private void Changed(HashSet<string> paths, string path, string? oldPath)
    {
        if (paths.Contains(path) || (oldPath is not null && paths.Contains(oldPath)))
        {
            _debounce?.Change(TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optionsSubscription?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debounce?.Dispose();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Housekeeping policy {Policy} (sha256 {Hash}) is now in force.")]
    private static partial void LogReloaded(ILogger logger, string policy, string hash);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "A reload of the housekeeping policy {Policy} and its settings was rejected; the last good policy (sha256 {Hash}) stays in force and nothing is removed on the reload's account. {Problems}")]
    private static partial void LogRejected(ILogger logger, string policy, string hash, string problems);

    private sealed record PolicySnapshot(CompiledPolicy Policy, DateTimeZone Zone, RetentionOptions Options);

    /// <summary>The accumulating state of one run: counts, the removals held back until the guard, the undetermined.</summary>
    private sealed class RunState(PolicySnapshot snapshot, PolicyEvaluator evaluator, Instant started, IProgress<HousekeepingProgress>? progress)
    {
        private readonly DeviceRecord[] _batch = new DeviceRecord[Batch];
        private readonly RetentionDecision[] _decisions = new RetentionDecision[Batch];
        private int _pending;

        public PolicySnapshot Snapshot { get; } = snapshot;

        public PolicyEvaluator Evaluator { get; } = evaluator;

        public Instant Started { get; } = started;

        public long Read { get; private set; }

        public long[,] Counts { get; } = new long[3, 9];

        public List<RemovalEvidence> Removals { get; private set; } = [];

        public List<UndeterminedDevice> Undetermined { get; private set; } = [];

        /// <summary>The inventory position of each removal, for reporting it as undetermined if it must be withheld.</summary>
        private List<long> RemovalPositions { get; set; } = [];

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

                Counts[(int)RetentionAction.Remove, (int)removal.DeviceType]--;
                Counts[(int)RetentionAction.Undetermined, (int)removal.DeviceType]++;
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
                Counts[(int)decision.Action, device.IsInitialized ? (int)device.Type : 0]++;
                if (decision.IsRemoval)
                {
                    Removals.Add(Evaluator.Evidence(device, decision));
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
}
