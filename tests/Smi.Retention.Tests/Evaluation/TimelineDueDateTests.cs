using NodaTime;

namespace Smi.Retention.Tests.Evaluation;

/// <summary>
/// The due-date contract across a timeline's versions, over random timelines of random policies:
/// a removal is due on the first day of its run of removable days; a retained device's due date
/// is the first later day on which the device, unchanged, is removed, by the version in force or
/// any later one; no due date means no later day removes it. A later version that removes devices
/// the version in force never removes (a Type 2 device, a commissioned one) gave them no due date,
/// so the forecast left them out and explain said "never". A device undetermined for a fact it
/// lacks has no due date, but the forecast counts it on the first day a later epoch or version
/// removes it whatever the fact (<c>NextRemovalOfUndetermined</c>): it counted them undetermined.
/// </summary>
public class TimelineDueDateTests
{
    [PolicyProperty(MaxTest = 150)]
    public bool Timeline_RandomVersions_DueDateIsTheFirstRemovalDate(
        GeneratedPolicy first, GeneratedPolicy second, GeneratedPolicy third, DeviceOnDate[] batch, BoundaryMode boundary, ushort gap, ushort length)
    {
        if (batch.Length == 0)
        {
            return true;
        }

        var secondFrom = batch[0].AsOf.PlusDays(1 + (gap % 2000));
        var thirdFrom = secondFrom.PlusDays(1 + (length % 2000));
        var policies = new[] { first, second, third }
            .Select((g, i) => PolicyCatalog.Parse(g.Json.Replace("\"WorkflowName\": \"generated\"", $"\"WorkflowName\": \"p{i}\"", StringComparison.Ordinal), $"p{i}.json").Versions[0].Policy)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        var json = $$"""
            { "TimelineName": "t", "Versions": [ { "Policy": "p0" }, { "Policy": "p1", "EffectiveFrom": "{{secondFrom:yyyy-MM-dd}}" }, { "Policy": "p2", "EffectiveFrom": "{{thirdFrom:yyyy-MM-dd}}" } ] }
            """;
        var timeline = PolicyLoader.Load(System.Text.Encoding.UTF8.GetBytes(json), "t.json", name => policies[name]);
        var compiled = CompiledPolicy.Compile(timeline, boundary);

        foreach (var (device, asOf) in batch)
        {
            var decision = compiled.Evaluate(device, asOf);
            bool RemovedOn(LocalDate date) => compiled.Evaluate(device, date).IsRemoval;

            // The days on which a decision can change after the as-of date: each version's start, each period's due date (and the day after it), and a century on.
            var turns = new[] { secondFrom, thirdFrom, asOf.PlusYears(100) }
                .Concat(timeline.Versions.SelectMany(v => v.Policy.Periods).Select(p => RetentionCalendar.DueDate(device.StatusSince, p)).SelectMany(d => new[] { d, d.PlusDays(1) }))
                .Where(d => d > asOf)
                .Order()
                .ToArray();
            var ok = (decision.Action, decision.DueDate) switch
            {
                (RetentionAction.Remove, { } due) => due <= asOf && RemovedOn(due) && (due == device.StatusSince || !RemovedOn(due.PlusDays(-1))),
                (RetentionAction.Retain, { } due) => due > asOf && RemovedOn(due) && !RemovedOn(due.PlusDays(-1)) && !turns.Where(d => d < due).Any(RemovedOn),
                (RetentionAction.Retain, null) => !turns.Any(RemovedOn)
                    && compiled.For(asOf).BecomesUndetermined(device) == turns.Any(d => compiled.Evaluate(device, d).Action == RetentionAction.Undetermined),
                (RetentionAction.Undetermined, null) => (device.Generation == SmetsGeneration.Unknown || device.Model is null)
                    && (compiled.For(asOf).NextRemovalOfUndetermined(device, out var next)
                        ? next > asOf && RemovedOn(next) && !RemovedOn(next.PlusDays(-1)) && !turns.Where(d => d < next).Any(RemovedOn)
                        : !turns.Any(RemovedOn)),
                _ => false,
            };
            if (!ok)
            {
                throw new InvalidOperationException(
                    $"{device.Type} {device.Status} since {device.StatusSince} prior [{device.PriorStatuses}] as of {asOf}, versions from {secondFrom} and {thirdFrom}: {decision}; removed on {string.Join(", ", turns.Where(RemovedOn))}");
            }
        }

        return true;
    }

    // One file named by two versions (twice read) is one policy to lint: its warnings once, where validate said each twice.
    [Fact]
    public void Lint_APolicyNamedByTwoVersions_ItsWarningsOnce()
    {
        const string Short = """{ "WorkflowName": "short", "Rules": [ { "RuleName": "six", "Expression": "device.PendingFor(\"P6M\")", "SuccessEvent": "Remove" } ] }""";
        var timeline = PolicyLoader.Load(
            """{ "TimelineName": "t", "Versions": [ { "Policy": "short" }, { "Policy": "secmp0060", "EffectiveFrom": "2020-01-01" }, { "Policy": "short", "EffectiveFrom": "2021-01-01" } ] }"""u8.ToArray(),
            "t.json",
            name => name == "short" ? PolicyCatalog.Parse(Short, "short.json").Versions[0].Policy : PolicyCatalog.LoadBuiltIn(name).Versions[0].Policy);

        var warnings = PolicyLint.Check(timeline);

        Assert.Equal(PolicyLint.Check(PolicyCatalog.Parse(Short, "short.json")), warnings);
    }

    // A device undetermined for the generation it lacks (a SMETS1 meter is kept for 36 months, any
    // other removed after 12): removed whatever it is once 36 months have passed (a later epoch), or
    // once a version that does not ask comes into force. The forecast
    // counted both undetermined; run removes each on that day.
    [Fact]
    public void UndeterminedForALackingFact_RemovedWhateverItIsLater_TheForecastCountsItThen()
    {
        var smets1 = PolicyCatalog.Parse("""
            { "WorkflowName": "smets1-later", "Rules": [
              { "RuleName": "smets1", "Expression": "device.Generation == \"SMETS1\" && !device.PendingFor(\"P36M\")", "SuccessEvent": "Retain" },
              { "RuleName": "rest", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """).Versions[0].Policy;
        var timeline = Timeline("""{ "TimelineName": "t", "Versions": [ { "Policy": "smets1-later" }, { "Policy": "sec-ac72-v6.3", "EffectiveFrom": "2020-03-01" } ] }""", smets1);
        var from = new LocalDate(2019, 11, 7);
        var byEpoch = new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2016, 12, 20)); // 36 months on 2019-12-20
        var byVersion = new DeviceRecord(new DeviceId(2), DeviceType.GSME, SmiStatus.Pending, new LocalDate(2018, 5, 2)); // 12 months passed: the SEC's from 2020-03-01

        foreach (var (policy, device, removedOn, month) in new[]
        {
            (CompiledPolicy.Compile(RetentionTimeline.Of(smets1)), byEpoch, new LocalDate(2019, 12, 20), 1),
            (CompiledPolicy.Compile(timeline), byVersion, new LocalDate(2020, 3, 1), 3),
        })
        {
            Assert.Equal(RetentionAction.Undetermined, policy.Evaluate(device, from).Action);
            Assert.False(policy.Evaluate(device, removedOn.PlusDays(-1)).IsRemoval, $"{device.Id}: {policy.Evaluate(device, removedOn.PlusDays(-1))}");
            Assert.True(policy.Evaluate(device, removedOn).IsRemoval, $"{device.Id}: {policy.Evaluate(device, removedOn)}");
            var forecast = PolicyForecast.Run(policy, [device], from, 6);
            Assert.Equal((1L, 0L), (forecast.Removals(month), forecast.Undetermined));
            Assert.Contains($"Removed whatever it lacks on: {removedOn:yyyy-MM-dd}", policy.For(from).Explain(device).ToString(), StringComparison.Ordinal); // explain says it as the forecast counts it
        }
    }

    // A device retained now and never removed, that a rule will need a fact it lacks for (its
    // generation, once 36 months have passed): undetermined on that day, so the forecast counts it
    // undetermined, not retained for good (a review: such devices were in no row). Not when the
    // version ends before that day and the next one does not ask.
    [Theory]
    [InlineData("2021-06-01", true)]
    [InlineData("2020-03-01", false)]
    public void RetainedNow_UndeterminedOnALaterDay_TheForecastCountsItUndetermined(string secondFrom, bool undetermined)
    {
        var smets1 = PolicyCatalog.Parse("""
            { "WorkflowName": "smets1-after", "Rules": [
              { "RuleName": "smets1", "Expression": "device.PendingFor(\"P36M\") && device.Generation == \"SMETS1\"", "SuccessEvent": "Remove" } ] }
            """).Versions[0].Policy;
        var hubs = PolicyCatalog.Parse("""
            { "WorkflowName": "hubs", "Rules": [ { "RuleName": "hubs", "Expression": "device.Type == \"CHF\"", "SuccessEvent": "Retain" } ] }
            """).Versions[0].Policy;
        var timeline = Timeline($$"""{ "TimelineName": "t", "Versions": [ { "Policy": "smets1-after" }, { "Policy": "hubs", "EffectiveFrom": "{{secondFrom}}" } ] }""", smets1, hubs);
        var compiled = CompiledPolicy.Compile(timeline);
        var from = new LocalDate(2019, 11, 7);
        var meter = new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2018, 1, 1)); // 36 months on 2021-01-01

        Assert.Equal((RetentionAction.Retain, (LocalDate?)null), (compiled.Evaluate(meter, from).Action, compiled.Evaluate(meter, from).DueDate));
        Assert.Equal(undetermined, compiled.Evaluate(meter, new LocalDate(2021, 1, 1)).Action == RetentionAction.Undetermined);
        var forecast = PolicyForecast.Run(compiled, [meter], from, 36);
        Assert.Equal((undetermined ? 1L : 0L, 0L, 0L), (forecast.Undetermined, forecast.RemovalsTotal, forecast.DueLater));
    }

    // A reviewer's case: the SEC's 12 months, then a version that removes every pending PPMID from
    // 1 March 2020, however long it has been pending (the case was an IHD's, which no policy may
    // remove now: a Type 2 device is never Pending).
    [Fact]
    public void LaterVersionRemovingATypeWhateverItsPeriod_ItsStartIsTheDueDate_AndTheForecastCountsIt()
    {
        var ppmid = PolicyCatalog.Parse("""
            { "WorkflowName": "ppmid", "Rules": [
              { "RuleName": "ppmid", "Expression": "device.Type == \"PPMID\" && device.Status == \"Pending\"", "SuccessEvent": "Remove" },
              { "RuleName": "rest", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """).Versions[0].Policy;
        var timeline = Timeline("""{ "TimelineName": "t", "Versions": [ { "Policy": "sec-ac72-v6.3" }, { "Policy": "ppmid", "EffectiveFrom": "2020-03-01" } ] }""", ppmid);
        var compiled = CompiledPolicy.Compile(timeline);
        var display = new DeviceRecord(new DeviceId(1), DeviceType.PPMID, SmiStatus.Pending, new LocalDate(2019, 10, 1));

        var decision = compiled.Evaluate(display, new LocalDate(2019, 11, 7));

        Assert.Equal((RetentionAction.Retain, new LocalDate(2020, 3, 1)), (decision.Action, decision.DueDate));
        var forecast = PolicyForecast.Run(compiled, [display], new LocalDate(2019, 11, 7), 6);
        Assert.Equal(1, forecast.Removals(3, DeviceType.PPMID)); // the month from 2020-02-07
        Assert.Equal(0, forecast.DueLater);
    }

    /// <summary>A timeline of <paramref name="json"/>, its versions named from <paramref name="own"/> or the built-in policies.</summary>
    private static RetentionTimeline Timeline(string json, params RetentionPolicy[] own) =>
        PolicyLoader.Load(System.Text.Encoding.UTF8.GetBytes(json), "t.json", name => own.FirstOrDefault(p => p.Name == name) ?? PolicyCatalog.LoadBuiltIn(name).Versions[0].Policy);
}
