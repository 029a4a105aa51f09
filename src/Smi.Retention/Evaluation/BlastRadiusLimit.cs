namespace Smi.Retention.Evaluation;

/// <summary>Which limit of <see cref="BlastRadiusLimits"/> a run exceeded.</summary>
public enum BlastRadiusLimit
{
    /// <summary>The count, <see cref="BlastRadiusLimits.MaxRemovals"/>.</summary>
    Count = 1,

    /// <summary>The fraction of the devices decided.</summary>
    Fraction = 2,
}
