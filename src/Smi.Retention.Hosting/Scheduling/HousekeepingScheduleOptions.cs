using NodaTime;

namespace Smi.Retention.Hosting.Scheduling;

/// <summary>When scheduled housekeeping runs: once a day at <see cref="RunAt"/>, London time (<see cref="RetentionOptions.TimeZoneId"/>).</summary>
public sealed class HousekeepingScheduleOptions
{
    /// <summary>The local time of the daily run; 02:00 by default. On a day that skips it (the clocks go forward), the run is at the first moment after.</summary>
    public LocalTime RunAt { get; set; } = new(2, 0);

    /// <summary>
    /// The file that remembers the dates done (one ISO date a line, written atomically), so that a
    /// restart never runs or hands over a date twice: <c>smi-retention-ledger.txt</c> by default, a
    /// relative path being from the host's content root (the working folder without a host). Used
    /// unless the host registers an <see cref="IHousekeepingLedger"/> of its own.
    /// </summary>
    public string LedgerFile { get; set; } = "smi-retention-ledger.txt";
}
