namespace Smi.Retention.Evaluation;

/// <summary>
/// The blast-radius guard: how many removals one run may release, as a count, a fraction of the
/// devices decided, or both. The host and the command-line tool both ask it, so a run is refused
/// or released by the same arithmetic wherever it runs.
/// </summary>
/// <remarks>
/// Limits that are given replace the default: with neither given, a run may remove at most
/// <see cref="DefaultMaxRemovalFraction"/> of the devices it decided; with only a count given, the
/// count alone applies. The denominator is the devices decided (every device evaluated, undetermined
/// ones included); rows rejected before evaluation never enlarge it. The fraction is a decimal with
/// at most <see cref="MaxFractionDecimals"/> decimal places, so the comparison is exact: a limit of
/// 5% of 20 devices allows 1 removal and refuses 2, and no rounding lets one more through.
/// </remarks>
/// <param name="MaxRemovals">At most this many removals; null for no count limit.</param>
/// <param name="MaxRemovalFraction">At most this fraction (0 to 1) of the devices decided; null for the default rule above.</param>
public readonly record struct BlastRadiusLimits(long? MaxRemovals = null, decimal? MaxRemovalFraction = null)
{
    /// <summary>The fraction that applies when no limit is given: 5% of the devices decided.</summary>
    public const decimal DefaultMaxRemovalFraction = 0.05m;

    /// <summary>The most decimal places a fraction may have (a percentage, two fewer).</summary>
    public const int MaxFractionDecimals = 10;

    /// <summary>The fraction in force: the one given, else the default when no count is given either, else none.</summary>
    public decimal? FractionInForce => MaxRemovalFraction ?? (MaxRemovals is null ? DefaultMaxRemovalFraction : null);

    /// <summary>Whether a fraction can be a limit: from 0 to 1, with at most <see cref="MaxFractionDecimals"/> decimal places.</summary>
    /// <param name="fraction">The fraction.</param>
    /// <returns><see langword="true"/> when it can.</returns>
    public static bool IsValidFraction(decimal fraction) => fraction is >= 0 and <= 1 && fraction.Scale <= MaxFractionDecimals;

    /// <summary>Whether the fraction in force is the default one, not one that was given.</summary>
    public bool IsDefault => MaxRemovals is null && MaxRemovalFraction is null;

    /// <summary>The first limit that <paramref name="removals"/> of <paramref name="decided"/> devices exceed, or null when the run may release them.</summary>
    /// <param name="removals">The removals the run decided.</param>
    /// <param name="decided">The devices it decided.</param>
    /// <returns><see cref="BlastRadiusLimit.Count"/>, <see cref="BlastRadiusLimit.Fraction"/>, or null.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or the removals exceed the devices decided.</exception>
    /// <exception cref="InvalidOperationException">The fraction given is not valid (<see cref="IsValidFraction"/>).</exception>
    public BlastRadiusLimit? Exceeded(long removals, long decided)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(removals);
        ArgumentOutOfRangeException.ThrowIfLessThan(decided, removals);
        if (MaxRemovalFraction is { } given && !IsValidFraction(given))
        {
            throw new InvalidOperationException(Messages.BadFraction(given));
        }

        if (MaxRemovals is { } max && removals > max)
        {
            return BlastRadiusLimit.Count;
        }

        // At most 10 decimal places times a count of devices: exact in decimal, no rounding.
        return FractionInForce is { } fraction && removals > fraction * decided ? BlastRadiusLimit.Fraction : null;
    }
}
