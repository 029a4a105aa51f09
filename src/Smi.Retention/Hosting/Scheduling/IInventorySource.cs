using NodaTime;

namespace Smi.Retention.Hosting.Scheduling;

/// <summary>Where a scheduled run takes the inventory from: the host registers one (the SMI's database, an export).</summary>
public interface IInventorySource
{
    /// <summary>Streams the inventory as it stands for the run of <paramref name="asOf"/>.</summary>
    /// <param name="asOf">The London date of the run.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>Every device, once each.</returns>
    IAsyncEnumerable<DeviceRecord> ReadAsync(LocalDate asOf, CancellationToken cancellationToken);
}

/// <summary>Where a scheduled run hands its removals: the host registers one (the SMI's removal job, a queue).</summary>
public interface IRemovalSink
{
    /// <summary>Takes the removals of a run the guard allowed, with their evidence and the report.</summary>
    /// <param name="result">The report and the removals.</param>
    /// <param name="cancellationToken">Stops the hand-over.</param>
    /// <returns>A task that completes when the removals are taken.</returns>
    Task ReleaseAsync(HousekeepingResult result, CancellationToken cancellationToken);
}

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
