using NodaTime;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>One decision on one date, for tests that check single samples (the library offers only <see cref="CompiledPolicy.For"/>, so a loop never recomputes cutoffs per device).</summary>
public static class CompiledPolicyExtensions
{
    public static RetentionDecision Evaluate(this CompiledPolicy policy, in DeviceRecord device, LocalDate asOf) => policy.For(asOf).Evaluate(device);
}
