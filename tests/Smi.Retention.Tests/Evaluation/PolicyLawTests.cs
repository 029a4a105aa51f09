using FsCheck.Fluent;
using NodaTime;
using NodaTime.Text;

namespace Smi.Retention.Tests.Evaluation;

/// <summary>The policy laws 10 to 15 of docs/laws.md, over the built-in policies; and the due-date contract.</summary>
public class PolicyLawTests
{
    private static readonly string[] SinglePolicies = ["sec-ac72-v6.3", "secmp0060", "dcc-cr1022", "bryt-previously-commissioned"];
    private static readonly Dictionary<string, CompiledPolicy> Compiled = PolicyCatalog.BuiltInNames.ToDictionary(n => n, n => CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(n)));
    private static readonly Dictionary<string, CompiledPolicy> Strict = PolicyCatalog.BuiltInNames.ToDictionary(n => n, n => CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(n), BoundaryMode.AfterCorrespondingDate));

    private static CompiledPolicy Policy(string name, BoundaryMode boundary) => boundary == BoundaryMode.OnCorrespondingDate ? Compiled[name] : Strict[name];

    // 10. A device whose current status is not Pending is never removed by 7.2.
    [PolicyProperty]
    public bool NotPending_NeverRemoved(DeviceOnDate sample, BoundaryMode boundary) =>
        sample.Device.Status == SmiStatus.Pending
        || PolicyCatalog.BuiltInNames.All(name => !Policy(name, boundary).Evaluate(sample.Device, sample.AsOf).IsRemoval);

    // 11. An excluded type (CHF, GPF under dcc-cr1022) is never removed, whatever its dates.
    [PolicyProperty]
    public bool ExcludedType_NeverRemoved(DeviceOnDate sample, bool gpf, BoundaryMode boundary)
    {
        var type = gpf ? DeviceType.GPF : DeviceType.CHF;
        var hub = new DeviceRecord(sample.Device.Id, type, SmiStatus.Pending, sample.Device.StatusSince, PolicyArbitraries.Fitting(type, SmiStatus.Pending, sample.Device.PriorStatuses.Bits >> 1));
        var decision = Policy("dcc-cr1022", boundary).Evaluate(hub, sample.AsOf);
        return decision.Action == RetentionAction.Retain && decision.DueDate is null;
    }

    // 12. 'Previously commissioned only' removes a subset of what its base rule removes.
    [PolicyProperty]
    public bool Bryt_RemovesASubsetOfV63(DeviceOnDate sample, BoundaryMode boundary) =>
        !Policy("bryt-previously-commissioned", boundary).Evaluate(sample.Device, sample.AsOf).IsRemoval
        || Policy("sec-ac72-v6.3", boundary).Evaluate(sample.Device, sample.AsOf).IsRemoval;

    // 13. Leaving 'pending' and re-entering it later never makes a device due earlier.
    [PolicyProperty]
    public bool Restart_NeverDueEarlier(DeviceOnDate sample, ushort daysLater, BoundaryMode boundary)
    {
        var first = new DeviceRecord(sample.Device.Id, DeviceType.ESME, SmiStatus.Pending, sample.Device.StatusSince, SmiStatusSet.Of(SmiStatus.Commissioned, SmiStatus.Decommissioned));
        var restarted = new DeviceRecord(
            first.Id, first.Type, SmiStatus.Pending, first.StatusSince.PlusDays(daysLater % 2000),
            SmiStatusSet.Of(SmiStatus.Commissioned, SmiStatus.Decommissioned, SmiStatus.Pending, SmiStatus.Whitelisted));
        var asOf = restarted.StatusSince > sample.AsOf ? restarted.StatusSince : sample.AsOf;
        return SinglePolicies.All(name =>
        {
            var before = Policy(name, boundary).Evaluate(first, asOf).DueDate;
            var after = Policy(name, boundary).Evaluate(restarted, asOf).DueDate;
            return before is null ? after is null : after is null || after >= before;
        });
    }

    // 14. Determinism and idempotence: same inputs, same decisions; a second run removes nothing more.
    [PolicyProperty(MaxTest = 50)]
    public bool SameInputs_SameDecisions_AndSecondRunRemovesNothing(DeviceOnDate[] batch, BoundaryMode boundary)
    {
        var asOf = batch.Max(s => s.AsOf);
        var devices = batch.Select(s => s.Device).ToArray();
        foreach (var name in PolicyCatalog.BuiltInNames)
        {
            var evaluator = Policy(name, boundary).For(asOf);
            var first = new RetentionDecision[devices.Length];
            var second = new RetentionDecision[devices.Length];
            var parallel = new RetentionDecision[devices.Length];
            evaluator.Evaluate(devices, first);
            CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(name), boundary).For(asOf).Evaluate(devices, second);
            evaluator.EvaluateParallel(devices, parallel);
            if (!first.SequenceEqual(second, DecisionComparer.Instance) || !first.SequenceEqual(parallel, DecisionComparer.Instance))
            {
                return false;
            }

            var kept = devices.Where((_, i) => !first[i].IsRemoval).ToArray();
            var rerun = new RetentionDecision[kept.Length];
            evaluator.Evaluate(kept, rerun);
            if (rerun.Any(d => d.IsRemoval))
            {
                return false;
            }
        }

        return true;
    }

    // 15. Fail closed: missing or inconsistent data never yields a removal.
    [Fact]
    public void Uninitialised_Undetermined()
    {
        var decision = Compiled["sec-ac72-v6.3"].Evaluate(default, new LocalDate(2030, 1, 1));
        Assert.Equal(RetentionAction.Undetermined, decision.Action);
        Assert.Equal("The device record is uninitialised (default): it has no type. Build records with the DeviceRecord constructor.", decision.Problem);
        Assert.False(decision.IsRemoval);
    }

    [Fact]
    public void SinceAfterAsOf_Undetermined()
    {
        var device = TestDevices.Pending(DeviceType.ESME, "2020-01-02");
        var decision = Compiled["sec-ac72-v6.3"].Evaluate(device, new LocalDate(2020, 1, 1));
        Assert.Equal(RetentionAction.Undetermined, decision.Action);
        Assert.Equal("The status applies from 2020-01-02, after the as-of date 2020-01-01: the record and the date disagree. Check the record's status date or the run's date.", decision.Problem);
    }

    // A period that would end after 9999-12-31 never ends on a date there is: the device is retained
    // with no due date, as HasElapsed says the period never elapses. It was undetermined, its reason
    // NodaTime's overflow message (a review); never removed either way.
    [Theory]
    [InlineData("9999-01-01", "9999-06-01", "sec-ac72-v6.3")]
    [InlineData("9997-02-01", "9999-01-30", "secmp0060")]
    public void DueDateBeyondTheCalendar_RetainedWithNoDueDate_NotRemoved(string since, string asOf, string policy)
    {
        var device = new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, LocalDatePattern.Iso.Parse(since).Value);
        var decision = Compiled[policy].Evaluate(device, LocalDatePattern.Iso.Parse(asOf).Value);
        Assert.Equal((RetentionAction.Retain, (LocalDate?)null, (string?)null), (decision.Action, decision.DueDate, decision.Problem));
        Assert.False(decision.IsRemoval);
        Assert.False(RetentionCalendar.HasElapsed(device.StatusSince, Compiled[policy].Timeline.Versions[^1].Policy.Periods[^1], LocalDate.MaxIsoValue));
    }

    [Fact]
    public void DefaultDecision_IsUndeterminedNotRemoval()
    {
        Assert.Equal(RetentionAction.Undetermined, default(RetentionDecision).Action);
        Assert.False(default(RetentionDecision).IsRemoval);
    }

    [Fact]
    public void Decision_IsSixteenBytes() => Assert.Equal(16, System.Runtime.CompilerServices.Unsafe.SizeOf<RetentionDecision>());

    [Fact]
    public void Removal_KeepsRuleAlertAndDueDate_HubWithoutAlert()
    {
        var evaluator = Compiled["secmp0060"].For(new LocalDate(2019, 11, 7));
        var meter = evaluator.Evaluate(TestDevices.Pending(DeviceType.ESME, "2016-11-07"));
        var hub = evaluator.Evaluate(TestDevices.Pending(DeviceType.CHF, "2016-11-07"));

        Assert.Equal((RetentionAction.Remove, "N8", new LocalDate(2019, 11, 7), null), (meter.Action, meter.Alert, meter.DueDate, meter.Problem));
        Assert.Equal((RetentionAction.Remove, null, new LocalDate(2019, 11, 7)), (hub.Action, hub.Alert, hub.DueDate));
        Assert.Same(meter.Rule, hub.Rule);
        Assert.NotNull(meter.Rule);
        Assert.NotEqual(meter, hub);
    }

    // The due date: removals are due on or before the as-of date and removed on it; a retained
    // device's due date is later, removed on it and not the day before; no due date means never.
    [PolicyProperty]
    public bool DueDate_IsTheFirstRemovalDate(DeviceOnDate sample, BoundaryMode boundary)
    {
        foreach (var name in PolicyCatalog.BuiltInNames)
        {
            var policy = Policy(name, boundary);
            var decision = policy.Evaluate(sample.Device, sample.AsOf);
            var ok = (decision.Action, decision.DueDate) switch
            {
                (RetentionAction.Remove, { } due) => due <= sample.AsOf
                    && policy.Evaluate(sample.Device, due).IsRemoval
                    && (due == sample.Device.StatusSince || !policy.Evaluate(sample.Device, due.PlusDays(-1)).IsRemoval),
                (RetentionAction.Retain, { } due) => due > sample.AsOf
                    && policy.Evaluate(sample.Device, due).IsRemoval
                    && !policy.Evaluate(sample.Device, due.PlusDays(-1)).IsRemoval,
                (RetentionAction.Retain, null) => !policy.Evaluate(sample.Device, sample.AsOf.PlusYears(101)).IsRemoval,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    // Property 1 lifted to policies: a single policy that removes on D still removes on any later date.
    [PolicyProperty]
    public bool SinglePolicy_MonotoneInAsOf(DeviceOnDate sample, ushort laterDays, BoundaryMode boundary) =>
        SinglePolicies.All(name =>
            !Policy(name, boundary).Evaluate(sample.Device, sample.AsOf).IsRemoval
            || Policy(name, boundary).Evaluate(sample.Device, sample.AsOf.PlusDays(laterDays)).IsRemoval);

    [Fact]
    public void Evaluate_Batch_AllocatesNothingPerDevice()
    {
        var devices = PolicyArbitraries.Records().Sample(100_000, 42).ToArray();
        var decisions = new RetentionDecision[devices.Length];
        // Every generated status date is before 2031, so no decision is an (allocated) error message.
        var evaluator = Compiled["dcc-cr1022"].For(new LocalDate(2031, 1, 1));
        evaluator.Evaluate(devices, decisions); // warm up: JIT and tiering

        // The runtime may allocate a few bytes once on this thread while it re-compiles hot methods
        // (tiering); take the least of three runs. One allocation per device would be 2.4 MB here.
        var allocated = long.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            evaluator.Evaluate(devices, decisions);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(allocated < 1024, $"{allocated} bytes allocated evaluating {devices.Length} devices");
        Assert.Contains(decisions, d => d.IsRemoval);
        Assert.DoesNotContain(decisions, d => d.Action == RetentionAction.Undetermined);
    }

    private sealed class DecisionComparer : IEqualityComparer<RetentionDecision>
    {
        public static readonly DecisionComparer Instance = new();

        public bool Equals(RetentionDecision x, RetentionDecision y) =>
            x.Action == y.Action && x.Rule?.Name == y.Rule?.Name && x.DueDate == y.DueDate && x.Alert == y.Alert && x.Problem == y.Problem;

        public int GetHashCode(RetentionDecision obj) => obj.Action.GetHashCode();
    }
}
