using System.Text;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>A policy written from the vocabulary: random types, statuses, periods, history tests and rule orders.</summary>
public sealed record GeneratedPolicy(string Json, IReadOnlyList<string> Expressions)
{
    public override string ToString() => Json;
}

/// <summary>A valid device and an as-of date on or after its status date, often near a period boundary.</summary>
public sealed record DeviceOnDate(DeviceRecord Device, LocalDate AsOf)
{
    public override string ToString() =>
        $"{Device.Type} {Device.Status} since {Device.StatusSince:uuuu-MM-dd} prior [{Device.PriorStatuses}] {Device.Generation} model {Device.Model ?? "(none)"} as of {AsOf:uuuu-MM-dd}";
}

public static class PolicyArbitraries
{
    // Different spellings of equal periods, to exercise normalisation.
    private static readonly string[] Periods = ["P1M", "P6M", "P12M", "P1Y", "P18M", "P1Y6M", "P2Y", "P36M", "P3Y", "P48M"];
    private static readonly int[] PeriodMonths = [1, 6, 12, 18, 24, 36, 48];

    /// <summary>Device models rules name: two that differ only in case (a model is compared exactly), one with a space.</summary>
    public static readonly string[] Models = ["E470-5394", "e470-5394", "AclaraSGM1411", "Itron Gen 5"];

    public static Gen<DeviceType> Types() => Gen.Elements(DeviceTypes.All.ToArray());

    public static Gen<SmiStatus> Statuses() => Gen.Elements(SmiStatuses.All.ToArray());

    private static Gen<string> Atom(bool details) => details ? Gen.OneOf(Atoms) : Gen.OneOf(Atoms.Take(9));

    private static readonly Gen<string>[] Atoms =
    [
        Types().Select(t => $"device.Type == \"{t}\""),
        Types().Select(t => $"device.Type != \"{t.ToString().ToLowerInvariant()}\""),
        Gen.Two(Types()).Select(p => $"device.Type in (\"{p.Item1}\", \"{p.Item2}\")"),
        Statuses().Select(s => $"device.Status == \"{s}\""),
        Gen.Constant("device.IsCommunicationsHub"),
        Gen.Elements(Periods).Select(p => $"device.HeldFor(\"{p}\")"),
        Gen.Elements(Periods).Select(p => $"device.PendingFor(\"{p}\")"),
        Statuses().Select(s => $"device.HeldBefore(\"{s}\")"),
        Statuses().Select(s => $"device.HeldBeforeOtherThan(\"{s}\")"),
        Gen.Elements("device.Generation == \"SMETS2\"", "device.Generation != \"smets1\"", "device.Generation == \"SMETS1\""),
        Gen.Elements(Models).Select(m => $"device.Model == \"{m}\""),
        Gen.Two(Gen.Elements(Models)).Select(p => $"device.Model in (\"{p.Item1}\", \"{p.Item2}\")"),
    ];

    /// <summary>A valid expression of the vocabulary, up to two operators deep.</summary>
    public static Gen<string> Expressions() => Expression(2, true);

    private static Gen<string> Expression(int depth, bool details) => depth == 0
        ? Atom(details)
        : Gen.Frequency(
            (3, Atom(details)),
            (2, Gen.Two(Expression(depth - 1, details)).Select(p => $"({p.Item1} && {p.Item2})")),
            (2, Gen.Two(Expression(depth - 1, details)).Select(p => $"({p.Item1} || {p.Item2})")),
            (1, Expression(depth - 1, details).Select(e => $"!({e})")),
            (1, Gen.Three(Expression(depth - 1, details)).Select(t => $"({t.Item1} ? {t.Item2} : {t.Item3})")));

    /// <summary>
    /// Policies of the whole vocabulary; without <paramref name="details"/>, of types, statuses,
    /// histories and periods only (no generation or model). A Remove rule's expression is most often
    /// made to hold for pending devices only (a policy whose Remove rule removes another device is
    /// refused, and <see cref="Loads"/> leaves it out); the rest, and all of them without
    /// <paramref name="pendingRemovals"/>, are as drawn, some of which load.
    /// </summary>
    public static Gen<GeneratedPolicy> Policies(bool details = true, bool pendingRemovals = true) =>
        Gen.Choose(1, 5).SelectMany(count => Gen.ListOf(
                Expression(2, details).SelectMany(e => Gen.Elements("Remove", "Retain").SelectMany(a => Gen.Frequency((9, Gen.Constant(true)), (1, Gen.Constant(false))).SelectMany(enabled =>
                    (a == "Remove" && pendingRemovals ? Gen.Frequency((9, Gen.Constant($"device.Status == \"Pending\" && ({e})")), (1, Gen.Constant(e))) : Gen.Constant(e)).Select(guarded => (e: guarded, a, enabled))))),
                count))
            .Select(rules =>
            {
                var json = new StringBuilder("{ \"WorkflowName\": \"generated\", \"Rules\": [\n");
                var i = 0;
                foreach (var (expression, action, enabled) in rules)
                {
                    json.Append(i == 0 ? "" : ",\n")
                        .Append($"  {{ \"RuleName\": \"r{i}\", \"Expression\": \"{expression.Replace("\"", "\\\"", StringComparison.Ordinal)}\", \"SuccessEvent\": \"{action}\", \"Enabled\": {(enabled || i == 0 ? "true" : "false")} }}");
                    i++;
                }

                json.Append("\n] }");
                return new GeneratedPolicy(json.ToString(), rules.Select(r => r.e).ToArray());
            });

    public static Gen<DeviceRecord> Records() =>
        from type in Types()
        from status in Statuses().Where(s => type.Fits(s))
        from since in CalendarArbitraries.Dates().Where(d => d.Year is >= 2000 and <= 2030)
        from prior in Gen.Choose(0, SmiStatusSet.ValidBits >> 1)
        from id in Gen.Choose(0, int.MaxValue)
        from generation in Gen.Elements(SmetsGeneration.Unknown, SmetsGeneration.SMETS1, SmetsGeneration.SMETS2)
        from model in Gen.Elements([null, "Landis E350", .. Models])
        select new DeviceRecord(new DeviceId((ulong)id), type, status, since, Fitting(type, status, prior), null, generation, model);

    /// <summary>
    /// A history a device of the type can have held before a run of <paramref name="current"/>: the
    /// random bits kept where they name a status that fits the type; and none when that leaves the
    /// current status alone (a run of a status ends only in another, so that history cannot be).
    /// </summary>
    public static SmiStatusSet Fitting(DeviceType type, SmiStatus current, int bits)
    {
        var set = SmiStatusSet.Empty;
        foreach (var status in SmiStatuses.All)
        {
            set = (bits & (1 << ((int)status - 1))) != 0 && type.Fits(status) ? set.Add(status) : set;
        }

        return set == SmiStatusSet.Of(current) ? SmiStatusSet.Empty : set;
    }

    public static Gen<DeviceOnDate> DevicesOnDates() =>
        from device in Records()
        from asOf in Gen.OneOf(
            Gen.Choose(0, 6000).Select(days => device.StatusSince.PlusDays(days)),
            from months in Gen.Elements(PeriodMonths)
            from delta in Gen.Choose(-2, 2)
            select Later(device.StatusSince, device.StatusSince.PlusMonths(months).PlusDays(delta)))
        select new DeviceOnDate(device, asOf);

    private static LocalDate Later(LocalDate a, LocalDate b) => a > b ? a : b;

    /// <summary>Generated policies that load: a tautology before another rule makes it unreachable, and a Remove rule may remove a device that is not pending, which the load rightly refuses (the sampling test shows most generated policies load).</summary>
    public static Arbitrary<GeneratedPolicy> GeneratedPolicy() => Arb.From(Policies().Where(Loads));

    public static bool Loads(GeneratedPolicy generated)
    {
        try
        {
            PolicyCatalog.Parse(generated.Json, "generated.json");
            return true;
        }
        catch (PolicyValidationException e) when (e.Problems.All(p => p.Message.Contains("can never be reached", StringComparison.Ordinal) || p.Message.Contains("removes devices whose status is not Pending", StringComparison.Ordinal)))
        {
            return false;
        }
    }

    public static Arbitrary<DeviceOnDate> DeviceOnDate() => Arb.From(DevicesOnDates());

    public static Arbitrary<DeviceOnDate[]> DeviceBatch() => Arb.From(Gen.ArrayOf(DevicesOnDates(), 20));

    public static Arbitrary<BoundaryMode> BoundaryMode() => CalendarArbitraries.BoundaryMode();
}

/// <summary>Generated policies that test no generation or model: what a symbolic diff describes.</summary>
public static class TypesAndHistories
{
    public static Arbitrary<GeneratedPolicy> GeneratedPolicy() => Arb.From(PolicyArbitraries.Policies(details: false).Where(PolicyArbitraries.Loads));

    public static Arbitrary<DeviceOnDate> DeviceOnDate() => PolicyArbitraries.DeviceOnDate();

    public static Arbitrary<DeviceOnDate[]> DeviceBatch() => PolicyArbitraries.DeviceBatch();

    public static Arbitrary<BoundaryMode> BoundaryMode() => PolicyArbitraries.BoundaryMode();
}

/// <summary>An FsCheck property over generated policies and devices.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PolicyPropertyAttribute : FsCheck.Xunit.PropertyAttribute
{
    public PolicyPropertyAttribute()
    {
        Arbitrary = [typeof(PolicyArbitraries)];
        MaxTest = 300;
        QuietOnSuccess = true;
    }
}
