namespace Smi.Retention.Hosting;

/// <summary>
/// The blast-radius guard refused a run as a whole: it would remove more devices than configured,
/// and no removal was released. <see cref="Report"/> has the counts.
/// </summary>
public sealed class BlastRadiusExceededException : Exception
{
    /// <summary>Creates the exception for a refused run.</summary>
    /// <param name="message">How many, the limit, and how to proceed.</param>
    /// <param name="report">The run's report.</param>
    public BlastRadiusExceededException(string message, HousekeepingReport report)
        : base(message) => Report = report;

    /// <summary>Creates the exception with no report.</summary>
    public BlastRadiusExceededException()
    {
    }

    /// <summary>Creates the exception with a message and no report.</summary>
    /// <param name="message">The message.</param>
    public BlastRadiusExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BlastRadiusExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The refused run's report, when there is one.</summary>
    public HousekeepingReport? Report { get; }

    /// <summary>The removals the run would have made.</summary>
    public long Removals => Report?.Count(RetentionAction.Remove) ?? 0;
}
