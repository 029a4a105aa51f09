using NodaTime;

namespace Smi.Retention.Policies;

/// <summary>One version of a <see cref="RetentionTimeline"/>.</summary>
/// <param name="EffectiveFrom">The first date it is in force; null for the first version (in force from the beginning).</param>
/// <param name="Policy">The policy in force from that date until the next version's.</param>
public sealed record PolicyVersion(LocalDate? EffectiveFrom, RetentionPolicy Policy);
