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
    /// <summary>Loads and compiles the policy the options name.</summary>
    public static PolicySnapshot Compile(RetentionOptions options)
    {
        var timeline = PolicyCatalog.Load(options.Policy);
        var alert = string.IsNullOrEmpty(options.AlertCode) ? null : options.AlertCode;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZoneId) ?? throw new ArgumentException(Messages.OptionTimeZone(options.TimeZoneId));
        return new PolicySnapshot(CompiledPolicy.Compile(timeline, options.Boundary, alert), zone, CopyOf(options));
    }

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
