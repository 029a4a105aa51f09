using NodaTime;
using NodaTime.Text;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>Builders for device records in tests.</summary>
public static class TestDevices
{
    private static ulong _next = 0x88738457_00000000;

    public static LocalDate Date(string iso) => LocalDatePattern.Iso.Parse(iso).GetValueOrThrow();

    public static DeviceRecord Make(DeviceType type, SmiStatus status, string since, params SmiStatus[] prior) =>
        new(new DeviceId(Interlocked.Increment(ref _next)), type, status, Date(since), SmiStatusSet.Of(prior));

    public static DeviceRecord Pending(DeviceType type, string since, params SmiStatus[] prior) =>
        Make(type, SmiStatus.Pending, since, prior);

    public static RetentionDecision Decide(string policy, DeviceRecord device, string asOf, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate) =>
        CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(policy), boundary).Evaluate(device, Date(asOf));
}
