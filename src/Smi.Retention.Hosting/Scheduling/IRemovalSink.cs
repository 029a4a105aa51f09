namespace Smi.Retention.Hosting.Scheduling;

/// <summary>Where a scheduled run hands its removals: the host registers one (the SMI's removal job, a queue).</summary>
public interface IRemovalSink
{
    /// <summary>Takes the removals of a run the guard allowed, with their evidence and the report.</summary>
    /// <param name="result">The report and the removals.</param>
    /// <param name="cancellationToken">Stops the hand-over.</param>
    /// <returns>A task that completes when the removals are taken.</returns>
    Task ReleaseAsync(HousekeepingResult result, CancellationToken cancellationToken);
}
