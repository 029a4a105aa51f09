using NodaTime;

namespace Smi.Retention.Hosting.Scheduling;

/// <summary>When scheduled housekeeping runs: once a day at <see cref="RunAt"/>, London time (<see cref="RetentionOptions.TimeZoneId"/>).</summary>
public sealed class HousekeepingScheduleOptions
{
    /// <summary>The local time of the daily run; 02:00 by default. On a day that skips it (the clocks go forward), the run is at the first moment after.</summary>
    public LocalTime RunAt { get; set; } = new(2, 0);
}
