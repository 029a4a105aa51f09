namespace Smi.Retention;

/// <summary>
/// The blast-radius guard: how many removals one run may release, as a count, a fraction of the
/// devices decided, or both. The host and the command-line tool both ask it, so a run is refused
/// or released by the same arithmetic wherever it runs.
/// </summary>
/// <remarks>
/// Limits that are given replace the default: with neither given, a run may remove at most
/// <see cref="DefaultMaxRemovalFraction"/> of the devices it decided; with only a count given, the
/// count alone applies. The denominator is the devices decided (every device evaluated, undetermined
/// ones included); rows rejected before evaluation never enlarge it. The fraction is compared in
/// decimal arithmetic, so a limit of exactly 5% of 20 devices allows 1 removal and refuses 2.
/// </remarks>
/// <param name="MaxRemovals">At most this many removals; null for no count limit.</param>
/// <param name="MaxRemovalFraction">At most this fraction (0 to 1) of the devices decided; null for the default rule above.</param>
public readonly record struct BlastRadiusLimits(long? MaxRemovals = null, double? MaxRemovalFraction = null)
{
    /// <summary>The fraction that applies when no limit is given: 5% of the devices decided.</summary>
    public const double DefaultMaxRemovalFraction = 0.05;

    /// <summary>The fraction in force: the one given, else the default when no count is given either, else none.</summary>
    public double? FractionInForce => MaxRemovalFraction ?? (MaxRemovals is null ? DefaultMaxRemovalFraction : null);

    /// <summary>Whether the fraction in force is the default one, not one that was given.</summary>
    public bool IsDefault => MaxRemovals is null && MaxRemovalFraction is null;

    /// <summary>The first limit that <paramref name="removals"/> of <paramref name="decided"/> devices exceed, or null when the run may release them.</summary>
    /// <param name="removals">The removals the run decided.</param>
    /// <param name="decided">The devices it decided.</param>
    /// <returns><see cref="BlastRadiusLimit.Count"/>, <see cref="BlastRadiusLimit.Fraction"/>, or null.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or the removals exceed the devices decided.</exception>
    public BlastRadiusLimit? Exceeded(long removals, long decided)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(removals);
        ArgumentOutOfRangeException.ThrowIfLessThan(decided, removals);
        if (MaxRemovals is { } max && removals > max)
        {
            return BlastRadiusLimit.Count;
        }

        return FractionInForce is { } fraction && removals > (decimal)fraction * decided ? BlastRadiusLimit.Fraction : null;
    }
}
