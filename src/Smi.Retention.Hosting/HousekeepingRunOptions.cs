using NodaTime;

namespace Smi.Retention.Hosting;

/// <summary>What one housekeeping run is asked to do.</summary>
public sealed class HousekeepingRunOptions
{
    /// <summary>The London date of the run; null for today by the injected clock, in the configured zone.</summary>
    public LocalDate? AsOf { get; init; }

    /// <summary>
    /// The number of removals the caller expects and accepts, to release a run the blast-radius
    /// guard would refuse; it must equal the run's count exactly.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative count, which no run has (a slip, refused rather than read as acknowledging nothing).</exception>
    public long? AcknowledgedRemovals
    {
        get => _acknowledgedRemovals;
        init
        {
            if (value is { } count)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(AcknowledgedRemovals));
            }

            _acknowledgedRemovals = value;
        }
    }

    private readonly long? _acknowledgedRemovals;

    /// <summary>Told how far the run has got, every 65,536 devices and at the end.</summary>
    public IProgress<HousekeepingProgress>? Progress { get; init; }
}
