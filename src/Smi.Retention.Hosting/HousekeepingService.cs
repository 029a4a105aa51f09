using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
using Smi.Retention.Inventory;

namespace Smi.Retention.Hosting;

/// <summary>
/// Runs housekeeping inside a DSP service: the configured policy compiled once and swapped
/// atomically when the options or the policy file change (an invalid edit keeps the last good
/// policy and is logged), runs over streamed inventories, the blast-radius guard, and evidence
/// for every removal. Thread-safe; register it with
/// <see cref="RetentionServiceCollectionExtensions.AddSmiRetention(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{RetentionOptions})"/>.
/// </summary>
public sealed class HousekeepingService : IDisposable
{
    private readonly IClock _clock;
    private readonly LivePolicy _source;
    private readonly HousekeepingTelemetry _telemetry;

    /// <summary>Creates the service and compiles the configured policy.</summary>
    /// <param name="options">The options, watched for changes.</param>
    /// <param name="clock">The clock giving today's date when a run names none.</param>
    /// <param name="logger">Where policy loads, runs, refusals and rejected edits are reported (the event table in docs/hosting.md).</param>
    /// <param name="meterFactory">Creates the <c>Smi.Retention</c> meter (the host's, from DI); a meter of its own when null.</param>
    /// <param name="environment">The host's environment: a relative policy path is read from its content root.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="clock"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options or the policy are invalid.</exception>
    /// <param name="optionsCache">
    /// The options monitor's cache (the host's, from DI), which keeps a failed rebuild of the options
    /// with its exception until the configuration changes again: with it, a reload builds them afresh,
    /// so that an edit of the configuration rejected for a policy file fixed since is in force once the
    /// file is. Without it, such an edit stays rejected until the configuration changes again.
    /// </param>
    public HousekeepingService(IOptionsMonitor<RetentionOptions> options, IClock clock, ILogger<HousekeepingService>? logger = null, IMeterFactory? meterFactory = null, IHostEnvironment? environment = null, IOptionsMonitorCache<RetentionOptions>? optionsCache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _telemetry = new HousekeepingTelemetry((ILogger?)logger ?? NullLogger.Instance, meterFactory);
        _source = new LivePolicy(options, _telemetry, environment?.ContentRootPath, optionsCache);
    }

    /// <summary>The zone in which the clock's instant becomes a run's date, from the options in force.</summary>
    internal DateTimeZone Zone => _source.Current.Zone;

    /// <summary>The configuration section the options are bound from (set where <c>AddSmiRetention</c> makes the service), named in the guard's refusals.</summary>
    internal string SettingsSection { get; set; } = RetentionOptions.SectionName;

    /// <summary>The limits the configuration states now (<see cref="RetentionSection.StatedLimits"/>), when it is bound from one.</summary>
    internal Func<IReadOnlyList<StatedLimit>>? StatedLimits { get; set; }

    /// <summary>The limits a run is held to besides those in force: the configuration's own while it stands rejected.</summary>
    private IReadOnlyList<StatedLimit> PendingLimits() => _source.StandsRejected && StatedLimits is { } stated ? stated() : [];

    private int _attached;

    /// <summary>True the first time only: whether it is this call that ties the service to its registration (<c>RetentionServiceCollectionExtensions.Attach</c>).</summary>
    internal bool TryAttach() => Interlocked.Exchange(ref _attached, 1) == 0;

    /// <summary>The compiled policy new runs use; a run keeps the one it started with.</summary>
    public CompiledPolicy Policy => _source.Current.Policy;

    /// <summary>
    /// Recompiles the policy from the current options and file now. An invalid policy leaves the
    /// last good one in force and is logged with every problem.
    /// </summary>
    /// <returns><see langword="true"/> when the new policy is in force.</returns>
    public bool Reload() => _source.Reload();

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
        using var state = HousekeepingRun.Start(_source.Current, SettingsSection, PendingLimits(), _clock, run, cancellationToken);
        var activity = _telemetry.RunStarted(state.Snapshot.Policy, state.Evaluator);
        try
        {
            foreach (var device in inventory)
            {
                state.Add(device, cancellationToken);
            }

            WarnOf(state.Snapshot.Policy, state.RecordWarnings());
            return Finished(state, activity, run, cancellationToken);
        }
        catch (Exception e) when (Ended(e, state, activity, cancellationToken))
        {
            throw; // never reached: Ended only tells operations, and the exception goes on as thrown
        }
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
        using var state = HousekeepingRun.Start(_source.Current, SettingsSection, PendingLimits(), _clock, run, cancellationToken);
        var activity = _telemetry.RunStarted(state.Snapshot.Policy, state.Evaluator);
        try
        {
            await foreach (var device in inventory.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                state.Add(device, cancellationToken);
            }

            WarnOf(state.Snapshot.Policy, state.RecordWarnings());
            return Finished(state, activity, run, cancellationToken);
        }
        catch (Exception e) when (Ended(e, state, activity, cancellationToken))
        {
            throw; // never reached: Ended only tells operations, and the exception goes on as thrown
        }
    }

    /// <summary>
    /// Runs housekeeping over an inventory file or stream, as the tool's <c>run</c> does and as fast:
    /// one thread reads blocks of lines, a thread per core parses and decides them, and this one
    /// takes them in order. Rows that cannot be read, and every row of a device listed more than
    /// once, are rejects (<see cref="HousekeepingReport.Rejected"/>), never decided; a file that
    /// changes while it is read is refused. Otherwise as <see cref="Run(IEnumerable{DeviceRecord}, HousekeepingRunOptions?, CancellationToken)"/>.
    /// </summary>
    /// <param name="inventory">The inventory, opened with <see cref="InventoryReader.Open(string, LocalDate?)"/> or <see cref="InventoryReader.FromStream"/> and not yet read: its rows are all read here, and it is spent afterwards (dispose it as usual; a second run needs a new reader).</param>
    /// <param name="run">The as-of date, an acknowledgement, progress; all optional.</param>
    /// <param name="cancellationToken">Stops the run; a cancelled run releases nothing.</param>
    /// <returns>The report and the removals.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inventory"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="inventory"/> has had rows read already (by <see cref="InventoryReader.Read"/> or an earlier run), or is disposed; or it was opened as of another date than the run's (opened with none, it reads its rows as of the run's: a row whose status applies after it is a reject, as in the tool's <c>run</c>).</exception>
    /// <exception cref="InventoryFormatException">The input failed while it was read (a disk error, a stream that failed: the <see cref="Exception.InnerException"/> is the <see cref="IOException"/>).</exception>
    /// <exception cref="InventoryChangedException">A file changed while it was read; nothing was released.</exception>
    /// <exception cref="CorruptInventoryException">The input's bytes cannot be what they claim (a gzip file cut short or corrupt): bad input, not a disk error.</exception>
    /// <exception cref="BlastRadiusExceededException">The run would remove more than the configured limits allow.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; no decision was released.</exception>
    public HousekeepingResult RunInventory(InventoryReader inventory, HousekeepingRunOptions? run = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        if (!inventory.IsUnread)
        {
            // Rows already read are not in the run: a device's first row among them would let its second be decided.
            throw new ArgumentException(HostingMessages.ReaderAlreadyRead(inventory.Source), nameof(inventory));
        }

        using var state = HousekeepingRun.Start(_source.Current, SettingsSection, PendingLimits(), _clock, run, cancellationToken);
        inventory.ReadAsOf(state.Evaluator.AsOf, nameof(inventory)); // its rows checked against the date they are decided on, as the tool's
        var activity = _telemetry.RunStarted(state.Snapshot.Policy, state.Evaluator);
        try
        {
            var evaluator = state.Evaluator;
            foreach (var chunk in ParsedChunks.Read(inventory, inventory.Source, () => new DecidedChunk(), chunk => chunk.Decide(evaluator), cancellationToken))
            {
                state.Take(chunk, fromRows: true);
            }

            WarnOfTheInventory(state.Snapshot.Policy, inventory);
            return Finished(state, activity, run, cancellationToken);
        }
        catch (Exception e) when (Ended(e, state, activity, cancellationToken))
        {
            throw; // never reached: Ended only tells operations, and the exception goes on as thrown
        }
    }

    /// <summary>
    /// Says what the tool's commands warn of once an inventory is read (event 16): a fact a rule
    /// tests that the inventory has no column for (its devices Undetermined where it matters), a
    /// model a rule names that no row has, or that rows spell alike (their devices not matched).
    /// </summary>
    private void WarnOfTheInventory(CompiledPolicy policy, InventoryReader inventory)
    {
        var warnings = PolicyLint.Check(policy.Timeline, inventory);
        if (inventory.HasColumn(InventoryColumns.DeviceModel))
        {
            warnings = [.. warnings, .. PolicyLint.CheckModels(policy.Timeline, inventory.Source, inventory.ModelsRead() /* null: too many to keep, said */)];
        }

        WarnOf(policy, warnings);
    }

    /// <summary>Logs each warning of the policy over what a run read (event 16).</summary>
    private void WarnOf(CompiledPolicy policy, IReadOnlyList<PolicyWarning> warnings)
    {
        foreach (var warning in warnings)
        {
            _telemetry.InventoryWarning(policy.Name, warning.ToString());
        }
    }

    /// <summary>Checks the policy's files now, as the poll does every second, and reloads if any changed (tests).</summary>
    internal void CheckPolicyFiles() => _source.CheckFiles();

    /// <summary>Told that an edit of the configuration was rejected (event 3): the configuration whole again is said (event 5).</summary>
    internal void ConfigurationRejected(GuardedChangeTokenSource source) => _source.ConfigurationRejected(source);

    /// <summary>Told that a configuration file broken before was read whole: the configuration may be whole again (event 5).</summary>
    internal void ConfigurationFileReadWhole() => _source.ConfigurationFileReadWhole();

    /// <inheritdoc />
    public void Dispose()
    {
        _source.Dispose();
        _telemetry.Dispose();
    }

    /// <summary>
    /// Tells operations how a run that threw ended: cancelled, or failed (its inventory could not be
    /// read); a refusal is told where it is thrown. Always false, so the exception is not caught.
    /// </summary>
    private bool Ended(Exception e, HousekeepingRun state, System.Diagnostics.Activity? activity, CancellationToken cancellationToken)
    {
        var seconds = (_clock.GetCurrentInstant() - state.Started).TotalSeconds;
        if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            _telemetry.RunCancelled(activity, state.Read, seconds);
        }
        else if (e is not BlastRadiusExceededException)
        {
            _telemetry.RunFailed(activity, state.Read, seconds, e.GetType().Name, CauseOf(e, state.ProgressHandlerFailed), Smi.Retention.Text.Untrusted.Show(e.Message, 500));
        }

        return false;
    }

    /// <summary>What ended a failed run, as event 15 says it: the caller's progress handler, the inventory (its bytes, its stream or file, a file changed while read), or else the records handed over or the run.</summary>
    internal static string CauseOf(Exception e, bool progressHandlerFailed) =>
        progressHandlerFailed ? HostingMessages.FailedInProgressHandler
            : e is IOException or InventoryFormatException or InventoryChangedException ? HostingMessages.FailedReadingInventory
            : HostingMessages.FailedOtherwise;

    /// <summary>Ends a run: released under the guard, or refused; either way told to operations.</summary>
    private HousekeepingResult Finished(HousekeepingRun state, System.Diagnostics.Activity? activity, HousekeepingRunOptions? run, CancellationToken cancellationToken)
    {
        try
        {
            var result = state.Finish(_clock, run, cancellationToken);
            _telemetry.RunFinished(activity, result.Report, result.Removals.Count);
            return result;
        }
        catch (BlastRadiusExceededException e)
        {
            if (e.Report is { } report)
            {
                _telemetry.RunRefused(activity, report, (int)report.Count(RetentionAction.Remove), e.Message);
            }

            throw;
        }
    }
}
