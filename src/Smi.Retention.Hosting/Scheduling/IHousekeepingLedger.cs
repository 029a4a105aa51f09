using NodaTime;

namespace Smi.Retention.Hosting.Scheduling;

/// <summary>
/// Which dates have had their run, so that no date is housekept twice (after a restart too, when
/// the host registers a durable one; the default remembers for the life of the process).
/// </summary>
public interface IHousekeepingLedger
{
    /// <summary>Whether the run of <paramref name="asOf"/> has been done.</summary>
    /// <param name="asOf">The London date.</param>
    /// <param name="cancellationToken">Stops the look-up.</param>
    /// <returns><see langword="true"/> when it has.</returns>
    ValueTask<bool> IsDoneAsync(LocalDate asOf, CancellationToken cancellationToken);

    /// <summary>Records that the run of <paramref name="asOf"/> is done (released, or refused by the guard).</summary>
    /// <param name="asOf">The London date.</param>
    /// <param name="cancellationToken">Stops the recording.</param>
    /// <returns>A task that completes when it is recorded.</returns>
    ValueTask MarkDoneAsync(LocalDate asOf, CancellationToken cancellationToken);
}
