using NodaTime;

namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// The public API under values a careless or hostile caller passes: uninitialised records, dates at
/// the ends of NodaTime's range, decisions that are not the evaluator's, and the test package's
/// reference evaluator held to the library's fail-closed rules.
/// </summary>
[Trait("Category", "Hostile")]
public class HostileApiTests
{
    private static readonly LocalDate AsOf = new(2019, 11, 7);

    [Fact]
    public void DefaultRecord_ReadsAndPrintsWithoutThrowing()
    {
        var record = default(DeviceRecord);

        Assert.Equal(default, record.StatusSince);
        Assert.Contains("StatusSince = Monday, 01 January 0001", record.ToString(), StringComparison.Ordinal);
        Assert.Equal(RetentionAction.Undetermined, CompiledPolicy.Compile(PolicyCatalog.Load("sec-timeline")).For(AsOf).Evaluate(record).Action);
    }

    // Evidence says "this policy removed this device": it is refused for any decision the evaluator did not make for the device.
    [Fact]
    public void RemovalEvidence_ForADecisionTheEvaluatorDidNotMake_Refused()
    {
        var v63 = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("sec-ac72-v6.3")).For(AsOf);
        var cr1022 = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("dcc-cr1022")).For(AsOf);
        var hub = new DeviceRecord(new DeviceId(1), DeviceType.CHF, SmiStatus.Pending, new LocalDate(2015, 1, 1));
        var meter = new DeviceRecord(new DeviceId(2), DeviceType.ESME, SmiStatus.Commissioned, new LocalDate(2015, 1, 1));
        var removal = v63.Evaluate(hub);
        Assert.True(removal.IsRemoval);

        Assert.Equal("pending-12-months", RemovalEvidence.Of(v63, hub, removal).Rule);
        Assert.Throws<ArgumentException>(() => RemovalEvidence.Of(cr1022, hub, removal)); // cr1022 keeps hubs
        Assert.Throws<ArgumentException>(() => RemovalEvidence.Of(v63, meter, removal)); // a commissioned meter is not removed
        Assert.Throws<ArgumentException>(() => RemovalEvidence.Of(v63, default, removal));
        Assert.Throws<ArgumentException>(() => RemovalEvidence.Of(v63, hub, v63.Evaluate(meter)));
    }

    // Cutoffs go back from the as-of date: the first day there is has none (documented), the last day has them.
    [Fact]
    public void For_DatesAtTheEndsOfTheRange_Decided()
    {
        var policy = CompiledPolicy.Compile(PolicyCatalog.Load("sec-timeline"));

        // On the first date of the calendar no period can have elapsed: no cutoff, and every device is kept.
        var first = policy.For(LocalDate.MinIsoValue);
        Assert.Equal([null], first.Cutoffs);
        Assert.Equal(RetentionAction.Retain, first.Evaluate(new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, LocalDate.MinIsoValue)).Action);
        var last = policy.For(LocalDate.MaxIsoValue);
        Assert.True(last.Evaluate(new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2019, 1, 1))).IsRemoval);
    }

    [Fact]
    public async Task ReferenceEvaluator_FailsClosedAsTheLibraryDoes()
    {
        var timeline = PolicyCatalog.Parse("""{ "WorkflowName": "w", "Rules": [ { "RuleName": "r", "Expression": "device.Status == \"Pending\" && !device.IsCommunicationsHub", "SuccessEvent": "Remove" } ] }""");
        var reference = new ReferenceEvaluator(timeline);
        var later = new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, AsOf.PlusDays(1));

        Assert.Equal((RetentionAction.Undetermined, (string?)null), await reference.EvaluateAsync(default, AsOf));
        Assert.Equal((RetentionAction.Undetermined, (string?)null), await reference.EvaluateAsync(later, AsOf));
        Assert.Equal(RetentionAction.Undetermined, CompiledPolicy.Compile(timeline).For(AsOf).Evaluate(later).Action);
        Assert.Throws<ArgumentNullException>(() => new ReferenceEvaluator(null!));
    }

    // A review's case: a loaded policy's Rules was the loader's List, so a caller's cast could swap
    // two rules under the compiled table (a decision then named the other rule, its alert lost).
    // Every list the policy model, the evaluator and the vocabulary hand out refuses a write through a cast.
    [Fact]
    public void PolicyModelEvaluatorAndVocabularyLists_RefuseAWriteThroughACast()
    {
        var timeline = PolicyCatalog.LoadBuiltIn("sec-timeline");
        var compiled = CompiledPolicy.Compile(timeline);
        object[] objects =
        [
            timeline, .. timeline.Versions, .. timeline.Versions.Select(v => v.Policy), .. timeline.Versions.SelectMany(v => v.Policy.Rules),
            compiled, compiled.For(AsOf), .. Smi.Retention.Rules.Vocabulary.Members, .. Smi.Retention.Rules.Vocabulary.Members.Select(m => m.Argument).OfType<object>(),
        ];
        var lists = 0;
        foreach (var owner in objects)
        {
            foreach (var property in owner.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0 && property.GetValue(owner) is System.Collections.IList { Count: > 0 } list)
                {
                    lists++;
                    var first = list[0];
                    Assert.True(list.IsReadOnly || list.IsFixedSize, $"{owner.GetType().Name}.{property.Name}");
                    Assert.Throws<NotSupportedException>(() => list[0] = first);
                }
            }
        }

        Assert.True(lists >= 6, $"{lists} lists checked");
        Assert.Throws<NotSupportedException>(() => ((System.Collections.IList)Smi.Retention.Rules.Vocabulary.Members)[0] = Smi.Retention.Rules.Vocabulary.Members[1]);
    }

    // Exhaustive checks (subset, lint) see every prior-status set a record can have: each subset of the
    // statuses that fit the type, counted here from the enum itself, so a new status cannot leave sets
    // unchecked; but for the current status alone, which no history can be (a run ends in another status),
    // so a Type 2 device, whose status never changes, has the empty history only.
    [Fact]
    public void VocabularyStates_CoverEveryPriorStatusSetThatFitsTheType()
    {
        var pendingMeters = VocabularyStates.OfType(DeviceType.ESME).Where(s => s.Status == SmiStatus.Pending).Select(s => s.Prior).ToList();
        var commissionedMeters = VocabularyStates.OfType(DeviceType.ESME).Where(s => s.Status == SmiStatus.Commissioned).Select(s => s.Prior).ToList();
        var displays = VocabularyStates.OfType(DeviceType.IHD).Select(s => s.Prior).ToList();

        Assert.Equal((1 << Enum.GetValues<SmiStatus>().Count(s => s != SmiStatus.NotApplicable)) - 1, pendingMeters.Distinct().Count());
        Assert.Equal(pendingMeters.Count, pendingMeters.Distinct().Count());
        Assert.All(pendingMeters, p => Assert.True(DeviceType.ESME.Fits(p)));
        Assert.DoesNotContain(SmiStatusSet.Of(SmiStatus.Pending), pendingMeters);
        Assert.Contains(SmiStatusSet.Of(SmiStatus.Pending), commissionedMeters);
        Assert.Contains(SmiStatusSet.Of(SmiStatus.Pending, SmiStatus.Commissioned), pendingMeters);
        Assert.Equal([SmiStatusSet.Empty], displays);
    }

    [Fact]
    public void Forecast_MonthTotal_IsTheSumOverEveryType()
    {
        var asOf = new LocalDate(2026, 1, 15);
        var report = PolicyForecast.Run(CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("sec-ac72-v6.3")), SyntheticInventory.Generate(20_000, 3, asOf), asOf, 12);

        for (var month = 0; month < 12; month++)
        {
            Assert.Equal(DeviceTypes.All.ToArray().Sum(t => report.Removals(month, t)), report.Removals(month));
        }

        Assert.True(report.RemovalsTotal > 0);
    }

    // The later and the undetermined were totals alone; by type now, an uninitialised record
    // counted in the total (it has no type), and an undeclared type refused, not read past the array.
    [Fact]
    public void Forecast_LaterAndUndeterminedByType_AddUp_AnUninitialisedRecordInTheTotalAlone()
    {
        var asOf = new LocalDate(2026, 1, 15);
        DeviceRecord[] inventory = [.. SyntheticInventory.Generate(20_000, 3, asOf), default];
        var policy = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("sec-ac72-v6.3"));
        var report = PolicyForecast.Run(policy, inventory, asOf, 3);
        var evaluator = policy.For(asOf);

        Assert.True(report.DueLater > 0);
        Assert.Equal(report.DueLater, DeviceTypes.All.ToArray().Sum(report.DueLaterOf));
        Assert.Equal(report.Undetermined - 1, DeviceTypes.All.ToArray().Sum(report.UndeterminedOf));
        Assert.Equal(
            report.DevicesRead,
            report.BacklogTotal + report.RemovalsTotal + report.DueLater + report.Undetermined
                + inventory.Count(d => d.IsInitialized && evaluator.Evaluate(d) is { Action: RetentionAction.Retain, DueDate: null }));
        Assert.Throws<ArgumentOutOfRangeException>(() => report.UndeterminedOf((DeviceType)0));
        Assert.Throws<ArgumentOutOfRangeException>(() => report.DueLaterOf((DeviceType)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => report.Backlog((DeviceType)99));
        foreach (var month in new[] { -1, 3, 99, int.MinValue })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => report.Removals(month, DeviceType.ESME)); // IndexOutOfRangeException before
            Assert.Throws<ArgumentOutOfRangeException>(() => report.Removals(month));
            Assert.Throws<ArgumentOutOfRangeException>(() => report.Cost(month));
        }
    }
}
