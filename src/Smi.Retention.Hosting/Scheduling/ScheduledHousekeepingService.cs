using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace Smi.Retention.Hosting.Scheduling;

/// <summary>
/// Opt-in daily housekeeping (<see cref="RetentionServiceCollectionExtensions.AddSmiRetentionSchedule"/>):
/// at <see cref="HousekeepingScheduleOptions.RunAt"/> London time it reads the inventory from the
/// host's <see cref="IInventorySource"/>, runs <see cref="HousekeepingService"/> under the guard, and
/// hands the removals to the host's <see cref="IRemovalSink"/>; a date is never run twice
/// (<see cref="IHousekeepingLedger"/>), and a run the guard refuses releases nothing and is not retried
/// that day. Each run is logged and measured by the service. Time comes from the host's <see cref="IClock"/>.
/// </summary>
public sealed partial class ScheduledHousekeepingService : BackgroundService
{
    private static readonly Duration Poll = Duration.FromMinutes(1);

    private readonly HousekeepingService _housekeeping;
    private readonly IInventorySource _inventory;
    private readonly IRemovalSink _removals;
    private readonly IHousekeepingLedger _ledger;
    private readonly IClock _clock;
    private readonly IOptionsMonitor<HousekeepingScheduleOptions> _schedule;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private readonly Instant _started;

    /// <summary>Creates the scheduler from the host's services.</summary>
    /// <param name="housekeeping">The service that decides.</param>
    /// <param name="inventory">Where the inventory comes from.</param>
    /// <param name="removals">Where the removals go.</param>
    /// <param name="ledger">Which dates are done.</param>
    /// <param name="clock">The host's clock.</param>
    /// <param name="schedule">When to run.</param>
    /// <param name="logger">Where failures of a scheduled run are reported.</param>
    public ScheduledHousekeepingService(
        HousekeepingService housekeeping, IInventorySource inventory, IRemovalSink removals, IHousekeepingLedger ledger, IClock clock,
        IOptionsMonitor<HousekeepingScheduleOptions> schedule, ILogger<ScheduledHousekeepingService> logger)
    {
        _housekeeping = housekeeping;
        _inventory = inventory;
        _removals = removals;
        _ledger = ledger;
        _clock = clock;
        _schedule = schedule;
        _logger = logger;
        _started = clock.GetCurrentInstant();
    }

    /// <summary>
    /// Runs today's housekeeping if its time has come and it has not been done: what the background
    /// loop does every minute (and tests call with a fake clock).
    /// </summary>
    /// <param name="cancellationToken">Stops the run: cancelled while deciding, it releases nothing and the date is not done; once decided, the date is done and a hand-over cut short is logged (event 21). Disposing the scheduler stops it too.</param>
    /// <returns>The date run, or null when nothing was due.</returns>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed before the run began (its sink and source may be gone): nothing was run.</exception>
    /// <exception cref="OperationCanceledException">The run was stopped, by <paramref name="cancellationToken"/> or the scheduler's disposal.</exception>
    public async Task<LocalDate?> RunIfDueAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        return await RunIfDueCoreAsync(linked.Token).ConfigureAwait(false);
    }

    private async Task<LocalDate?> RunIfDueCoreAsync(CancellationToken cancellationToken)
    {
        // One run at a time: the check and the mark of a date are one step.
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Disposed while waiting behind another run: nothing is begun.
            ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
            // The zone of the policy in force: an invalid edit of the options leaves the last good one.
            var zone = _housekeeping.Zone;
            var now = _clock.GetCurrentInstant();
            var today = now.InZone(zone).Date;

            // The latest date whose time has come: a run missed at its time (a poll late, a source
            // that failed) is made up until the next date's time, as of its own date.
            // Only a time that came while this service was running is made up: a date whose time
            // passed before the host started (today's included) is left to the next date's run.
            var date = now >= DueAt(today, zone) ? today : today.PlusDays(-1);
            var due = DueAt(date, zone);
            if (now < due || due < _started || await _ledger.IsDoneAsync(date, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            HousekeepingResult? result = null;
            try
            {
                result = await _housekeeping.RunAsync(_inventory.ReadAsync(date, cancellationToken), new HousekeepingRunOptions { AsOf = date }, cancellationToken).ConfigureAwait(false);
            }
            catch (BlastRadiusExceededException)
            {
                // Logged and measured by the service; an operator acknowledges the count in a run of their own.
            }

            // Done before the hand-over, and whatever happens to it: a date's removals are handed over
            // at most once. A sink that fails part-way loses nothing for good: the devices it did not
            // take are still pending, and the next date's run decides them again.
            await _ledger.MarkDoneAsync(date, CancellationToken.None).ConfigureAwait(false);
            if (result is not null)
            {
                try
                {
                    await _removals.ReleaseAsync(result, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A sink's own timeout, or the host stopping mid-hand-over: the date stays done either way.
                    LogReleaseFailed(_logger, LocalDatePattern.Iso.Format(date), result.Removals.Count, e.GetType().Name, e.Message);
                    if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                }
            }

            return date;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>The instant of a date's run: <see cref="HousekeepingScheduleOptions.RunAt"/> in the zone, the first moment after it on a day the clocks skip it.</summary>
    internal Instant DueAt(LocalDate date, DateTimeZone zone) =>
        zone.ResolveLocal(date + _schedule.CurrentValue.RunAt, FirstMomentAfterAGap).ToInstant();

    /// <summary>
    /// A run time the clocks skip is due at the first moment after the gap (02:00 BST for 01:30 on
    /// the spring change), not the lenient shift by the gap's length (02:30); one that occurs twice
    /// (the autumn change) is due at its first occurrence.
    /// </summary>
    internal static readonly ZoneLocalMappingResolver FirstMomentAfterAGap =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    /// <inheritdoc />
    /// <remarks>
    /// A run in flight is cancelled (it releases nothing, or, once decided, its hand-over is cut
    /// short as <see cref="RunIfDueAsync"/> says); a run asked for afterwards is refused. The gate of
    /// one run at a time and the disposal's token source are not disposed: a run still in flight must
    /// end as its cancellation says, not in <see cref="ObjectDisposedException"/> from the gate it
    /// lets go of, which the loop would log as a failed run. They hold no handle to free.
    /// </remarks>
    public override void Dispose()
    {
        // A run in flight ends cancelled; one asked for after this is refused (ObjectDisposedException).
        _disposing.Cancel();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunIfDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when ((e is OperationCanceledException or ObjectDisposedException) && (stoppingToken.IsCancellationRequested || _disposing.IsCancellationRequested))
            {
                return; // stopped or disposed: not a failure
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A failed source or sink must not end the host; the date is not marked done, so the next poll tries again.
                LogRunFailed(_logger, e.GetType().Name, e.Message);
            }

            try
            {
                await Task.Delay(Poll.ToTimeSpan(), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "The removals of the scheduled run of {AsOf} were not all handed over ({Removals} removals; {Kind}: {Reason}); the date is done and not run again, and the devices not taken are decided again by the next date's run.")]
    private static partial void LogReleaseFailed(ILogger logger, string asOf, int removals, string kind, string reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "A scheduled housekeeping run failed ({Kind}: {Reason}): its source or its ledger failed; nothing was released, and it is tried again at the next poll.")]
    private static partial void LogRunFailed(ILogger logger, string kind, string reason);
}
