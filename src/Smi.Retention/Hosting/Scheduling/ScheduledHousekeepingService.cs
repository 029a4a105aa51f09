using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
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
    private readonly IOptionsMonitor<RetentionOptions> _options;
    private readonly ILogger _logger;

    /// <summary>Creates the scheduler from the host's services.</summary>
    /// <param name="housekeeping">The service that decides.</param>
    /// <param name="inventory">Where the inventory comes from.</param>
    /// <param name="removals">Where the removals go.</param>
    /// <param name="ledger">Which dates are done.</param>
    /// <param name="clock">The host's clock.</param>
    /// <param name="schedule">When to run.</param>
    /// <param name="options">The housekeeping options (the time zone of the schedule).</param>
    /// <param name="logger">Where failures of a scheduled run are reported.</param>
    public ScheduledHousekeepingService(
        HousekeepingService housekeeping, IInventorySource inventory, IRemovalSink removals, IHousekeepingLedger ledger, IClock clock,
        IOptionsMonitor<HousekeepingScheduleOptions> schedule, IOptionsMonitor<RetentionOptions> options, ILogger<ScheduledHousekeepingService> logger)
    {
        _housekeeping = housekeeping;
        _inventory = inventory;
        _removals = removals;
        _ledger = ledger;
        _clock = clock;
        _schedule = schedule;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Runs today's housekeeping if its time has come and it has not been done: what the background
    /// loop does every minute (and tests call with a fake clock).
    /// </summary>
    /// <param name="cancellationToken">Stops the run; a cancelled run releases nothing and is not marked done.</param>
    /// <returns>The date run, or null when nothing was due.</returns>
    public async Task<LocalDate?> RunIfDueAsync(CancellationToken cancellationToken)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(_options.CurrentValue.TimeZoneId) ?? DateTimeZoneProviders.Tzdb["Europe/London"];
        var now = _clock.GetCurrentInstant().InZone(zone);
        var today = now.Date;
        if (now.ToInstant() < DueAt(today, zone) || await _ledger.IsDoneAsync(today, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var result = await _housekeeping.RunAsync(_inventory.ReadAsync(today, cancellationToken), new HousekeepingRunOptions { AsOf = today }, cancellationToken).ConfigureAwait(false);
            await _removals.ReleaseAsync(result, cancellationToken).ConfigureAwait(false);
        }
        catch (BlastRadiusExceededException)
        {
            // Logged and measured by the service; an operator acknowledges the count in a run of their own.
        }

        await _ledger.MarkDoneAsync(today, cancellationToken).ConfigureAwait(false);
        return today;
    }

    /// <summary>The instant of a date's run: <see cref="HousekeepingScheduleOptions.RunAt"/> in the zone, the first moment after it on a day the clocks skip it.</summary>
    internal Instant DueAt(LocalDate date, DateTimeZone zone) =>
        zone.ResolveLocal(date + _schedule.CurrentValue.RunAt, Resolvers.LenientResolver).ToInstant();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunIfDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
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

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "A scheduled housekeeping run failed ({Kind}: {Reason}); nothing was released, and it is tried again at the next poll.")]
    private static partial void LogRunFailed(ILogger logger, string kind, string reason);
}
