using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Policies;

namespace Smi.Retention.Hosting;

/// <summary>What a run uses, taken whole when it starts: the compiled policy, the zone of its dates and the options it was built from.</summary>
/// <param name="Policy">The compiled policy or timeline.</param>
/// <param name="Zone">The zone in which the clock's instant becomes the run's date.</param>
/// <param name="Options">A copy of the options, so that an edit cannot change a run half-way.</param>
internal sealed record PolicySnapshot(CompiledPolicy Policy, DateTimeZone Zone, RetentionOptions Options)
{
    /// <summary>Loads and compiles the policy the options name (a relative path from <paramref name="contentRoot"/>, when the host has one).</summary>
    public static PolicySnapshot Compile(RetentionOptions options, string? contentRoot)
    {
        var timeline = PolicyCatalog.Load(PathOf(options.Policy, contentRoot), contentRoot);
        var alert = string.IsNullOrEmpty(options.AlertCode) ? null : options.AlertCode;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZoneId) ?? throw new ArgumentException(HostingMessages.OptionTimeZone(RetentionOptions.SectionName, options.TimeZoneId) /* (validation refused it first, naming the section bound) */);
        return new PolicySnapshot(CompiledPolicy.Compile(timeline, options.Boundary, alert), zone, CopyOf(options));
    }

    /// <summary>
    /// Where the policy is: a built-in name or an absolute path as given; a relative path from the
    /// host's content root (the app's folder, not the working folder it was started from), else as given.
    /// </summary>
    public static string PathOf(string policy, string? contentRoot) =>
        contentRoot is null || string.IsNullOrWhiteSpace(policy) || Path.IsPathRooted(policy) || PolicyCatalog.BuiltInNames.Contains(policy, StringComparer.Ordinal)
            ? policy
            : Path.Combine(contentRoot, policy);

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> name the same policy with the same settings.</summary>
    public static bool Same(RetentionOptions a, RetentionOptions b) => a.Policy == b.Policy && SameSettings(a, b);

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> set the same, their policies aside.</summary>
    public static bool SameSettings(RetentionOptions a, RetentionOptions b) =>
        a.Boundary == b.Boundary && a.TimeZoneId == b.TimeZoneId && a.AlertCode == b.AlertCode
        && a.MaxRemovals == b.MaxRemovals && a.MaxRemovalFraction == b.MaxRemovalFraction;

    private static RetentionOptions CopyOf(RetentionOptions options) => new()
    {
        Policy = options.Policy,
        Boundary = options.Boundary,
        TimeZoneId = options.TimeZoneId,
        AlertCode = options.AlertCode,
        MaxRemovals = options.MaxRemovals,
        MaxRemovalFraction = options.MaxRemovalFraction,
    };
}
