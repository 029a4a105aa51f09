using FsCheck.Xunit;
using static Smi.Retention.Tests.TestSupport.TestDevices;

namespace Smi.Retention.Tests.Evaluation;

/// <summary>
/// device.Generation and device.Model: a device whose record lacks a fact a rule tests is decided
/// only where every value it could have decides it alike (the same rule and action); elsewhere it is
/// Undetermined with the reason, never retained or removed by default (DOMAIN law 15, fail closed).
/// </summary>
public class LackingFactsTests
{
    private static readonly string Example = Path.Combine(Repository.Root(), "examples", "policies", "smets2-pending-24-months.json");

    private static PolicyEvaluator Evaluator(string json, string asOf = "2021-06-30") =>
        CompiledPolicy.Compile(PolicyCatalog.Parse(json, "p.json")).For(Date(asOf));

    private static DeviceRecord Meter(SmetsGeneration generation, string? model = null, string since = "2019-01-15", params SmiStatus[] prior) =>
        new(new DeviceId(0x88738457_00000001), DeviceType.ESME, SmiStatus.Pending, Date(since), SmiStatusSet.Of(prior), "Supplier A", generation, model);

    [Fact]
    public void ExamplePolicy_WithoutAGeneration_UndeterminedWithTheReason_WhereTheGenerationDecides()
    {
        var evaluator = CompiledPolicy.Compile(PolicyCatalog.LoadFile(Example)).For(Date("2021-06-30"));

        Assert.Equal(RetentionAction.Remove, evaluator.Evaluate(Meter(SmetsGeneration.SMETS2, prior: SmiStatus.Commissioned)).Action);
        Assert.Equal(RetentionAction.Retain, evaluator.Evaluate(Meter(SmetsGeneration.SMETS1, prior: SmiStatus.Commissioned)).Action);
        var lacking = evaluator.Evaluate(Meter(SmetsGeneration.Unknown, prior: SmiStatus.Commissioned));
        Assert.Equal(RetentionAction.Undetermined, lacking.Action);
        Assert.Contains("SMETS generation", lacking.Problem, StringComparison.Ordinal);
        Assert.Contains("smets_generation", lacking.Problem, StringComparison.Ordinal);

        // Where the generation cannot change the decision, it is made: never commissioned, or pending too short.
        Assert.Equal(RetentionAction.Retain, evaluator.Evaluate(Meter(SmetsGeneration.Unknown)).Action);
        Assert.Equal(RetentionAction.Retain, evaluator.Evaluate(Meter(SmetsGeneration.Unknown, since: "2021-01-01", prior: SmiStatus.Commissioned)).Action);
    }

    [Fact]
    public void EveryValueRemoves_ButByDifferentRules_Undetermined()
    {
        var evaluator = Evaluator("""
            { "WorkflowName": "by-generation", "Rules": [
              { "RuleName": "smets1", "Expression": "device.Generation == \"SMETS1\" && device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" },
              { "RuleName": "smets2", "Expression": "device.Generation == \"SMETS2\" && device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);

        Assert.Equal("smets1", evaluator.Evaluate(Meter(SmetsGeneration.SMETS1)).Rule!.Name);
        Assert.Equal("smets2", evaluator.Evaluate(Meter(SmetsGeneration.SMETS2)).Rule!.Name);
        Assert.Equal(RetentionAction.Undetermined, evaluator.Evaluate(Meter(SmetsGeneration.Unknown)).Action);
    }

    [Fact]
    public void EveryValueDecidedByTheSameRule_Decided()
    {
        var evaluator = Evaluator("""
            { "WorkflowName": "either", "Rules": [
              { "RuleName": "any-generation", "Expression": "(device.Generation == \"SMETS1\" || device.Generation == \"SMETS2\") && device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);

        var decision = evaluator.Evaluate(Meter(SmetsGeneration.Unknown));
        Assert.Equal(RetentionAction.Remove, decision.Action);
        Assert.Equal("any-generation", decision.Rule!.Name);
        Assert.Equal(Date("2020-01-15"), decision.DueDate);
    }

    [Fact]
    public void Model_ComparedExactly_AndWithoutOne_UndeterminedWhereItDecides()
    {
        var evaluator = Evaluator("""
            { "WorkflowName": "old-models", "Rules": [
              { "RuleName": "old-models", "Expression": "device.Model in (\"Aldor E1-100\", \"Brack E1-200\") && device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);

        Assert.Equal(RetentionAction.Remove, evaluator.Evaluate(Meter(SmetsGeneration.SMETS1, "Brack E1-200")).Action);
        Assert.Equal(RetentionAction.Retain, evaluator.Evaluate(Meter(SmetsGeneration.SMETS1, "brack e1-200")).Action); // another model: opaque text, exact case
        Assert.Equal(RetentionAction.Retain, evaluator.Evaluate(Meter(SmetsGeneration.SMETS1, "Corvin E2-520")).Action);
        var lacking = evaluator.Evaluate(Meter(SmetsGeneration.SMETS1, null));
        Assert.Equal(RetentionAction.Undetermined, lacking.Action);
        Assert.Contains("device model", lacking.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("SMETS generation", lacking.Problem, StringComparison.Ordinal); // the rules do not test the generation
        Assert.Equal(RetentionAction.Retain, evaluator.Evaluate(Meter(SmetsGeneration.SMETS1, null, since: "2021-01-01")).Action);
    }

    [Fact]
    public void EveryValueRetains_ByDifferentRules_Retained()
    {
        // An exclusion by model: a device with no model is kept by the exclusion as a named model, by default as any other.
        var evaluator = Evaluator("""
            { "WorkflowName": "keep-old-models", "Rules": [
              { "RuleName": "old-models-kept", "Expression": "device.Model in (\"Aldor E1-100\")", "SuccessEvent": "Retain" },
              { "RuleName": "pending-12-months", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);
        var display = new DeviceRecord(new DeviceId(9), DeviceType.IHD, SmiStatus.NotApplicable, Date("2015-01-01"));

        var decision = evaluator.Evaluate(display);
        Assert.Equal(RetentionAction.Retain, decision.Action);
        Assert.Null(decision.Rule);
        Assert.Contains("Decision: Retain (every device it could be is retained, not by one rule)", evaluator.Explain(display).ToString(), StringComparison.Ordinal);
        Assert.Equal(RetentionAction.Undetermined, evaluator.Evaluate(Meter(SmetsGeneration.SMETS1, null)).Action); // pending: removed as any other model
    }

    [Fact]
    public void Explain_RecordLackingAFact_ShowsEachDeviceItCouldBe()
    {
        var evaluator = CompiledPolicy.Compile(PolicyCatalog.LoadFile(Example)).For(Date("2021-06-30"));

        var text = evaluator.Explain(Meter(SmetsGeneration.Unknown, prior: SmiStatus.Commissioned)).ToString();

        Assert.Contains("generation: not recorded", text, StringComparison.Ordinal);
        Assert.Contains("generation is SMETS2: not recorded", text, StringComparison.Ordinal);
        Assert.Contains("matched as SMETS2, not as SMETS1", text, StringComparison.Ordinal);
        Assert.Contains("  as SMETS1: Retain (no rule matched)", text, StringComparison.Ordinal);
        Assert.Contains("  as SMETS2: Remove by rule 'smets2-meters-pending-24-months-previously-commissioned'", text, StringComparison.Ordinal);
        Assert.Contains("Decision: Undetermined: The rules need this device's SMETS generation", text, StringComparison.Ordinal);
    }

    // A policy that tests neither fact decides a device the same whatever its generation and model.
    [Property(Arbitrary = [typeof(TypesAndHistories)], MaxTest = 200, QuietOnSuccess = true)]
    public bool PolicyWithoutTheFacts_DecidesAlikeWhateverTheyAre(GeneratedPolicy generated, DeviceOnDate sample)
    {
        var compiled = CompiledPolicy.Compile(PolicyCatalog.Parse(generated.Json, "generated.json"));
        var d = sample.Device;
        var bare = new DeviceRecord(d.Id, d.Type, d.Status, d.StatusSince, d.PriorStatuses);
        return compiled.Evaluate(d, sample.AsOf) == compiled.Evaluate(bare, sample.AsOf);
    }

    // Fail closed: a record lacking a fact is removed only if every record it could be is removed by the same rule,
    // and retained only if every one is retained (by the same rule when it names one).
    [Property(Arbitrary = [typeof(PolicyArbitraries)], MaxTest = 300, QuietOnSuccess = true)]
    public bool Removal_OfARecordLackingAFact_IsTheRemovalOfEveryRecordItCouldBe(GeneratedPolicy generated, DeviceOnDate sample)
    {
        var compiled = CompiledPolicy.Compile(PolicyCatalog.Parse(generated.Json, "generated.json"));
        var d = sample.Device;
        var lacking = new DeviceRecord(d.Id, d.Type, d.Status, d.StatusSince, d.PriorStatuses);
        var decision = compiled.Evaluate(lacking, sample.AsOf);
        if (decision.Action == RetentionAction.Undetermined)
        {
            return true;
        }

        var models = new[] { "another" }.Concat(PolicyArbitraries.Models);
        return SmetsGenerations.Known.ToArray().All(g => models.All(m =>
        {
            var known = compiled.Evaluate(new DeviceRecord(d.Id, d.Type, d.Status, d.StatusSince, d.PriorStatuses, null, g, m), sample.AsOf);
            return known.Action == decision.Action && (ReferenceEquals(known.Rule, decision.Rule) || (decision.Action == RetentionAction.Retain && decision.Rule is null));
        }));
    }

    [Fact]
    public void Subset_OverGenerations_CounterexampleLacksOrHasTheOtherGeneration()
    {
        var smets2 = PolicyCatalog.Parse(PolicyJson.OneRule("device.Generation == \"SMETS2\" && device.PendingFor(\"P36M\")"), "smets2.json");
        var secmp0060 = PolicyCatalog.LoadBuiltIn("secmp0060");

        Assert.True(PolicySubset.Check(smets2, secmp0060).IsSubset);
        var no = PolicySubset.Check(secmp0060, smets2);
        Assert.False(no.IsSubset);
        Assert.NotEqual(SmetsGeneration.SMETS2, no.Counterexample!.Device.Generation);
    }

    [Fact]
    public void Generation_OnlyTheTwoNames_AnyCase()
    {
        Assert.True(SmetsGenerations.TryParse("smets2", out var g, out _));
        Assert.Equal(SmetsGeneration.SMETS2, g);
        foreach (var bad in new[] { "Unknown", "2", "SMETS 2", " SMETS1", "SMETS3", "", "smets1;smets2" })
        {
            Assert.False(SmetsGenerations.TryParse(bad, out _, out var error), bad);
            Assert.Contains("SMETS1 or SMETS2", error, StringComparison.Ordinal);
        }

        Assert.Null(ExpressionParser.Read("device.Generation == \"Unknown\"", out var problems));
        Assert.Contains("is not a SMETS generation", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" E470")]
    [InlineData("E470 ")]
    [InlineData("E4\u200B70")]
    [InlineData("E470\u202E")]
    [InlineData("E470\n")]
    public void Model_NotPlainVisibleText_RefusedInRulesAndRecords(string model)
    {
        Assert.Null(ExpressionParser.Read($"device.Model == {System.Text.Json.JsonSerializer.Serialize(model)}", out var problems));
        Assert.NotEmpty(problems);
        if (model.Length > 0)
        {
            Assert.Throws<ArgumentException>(() => new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, Date("2019-01-01"), default, null, SmetsGeneration.SMETS2, model));
        }
    }

    [Fact]
    public void Record_Facts_KeptIn24Bytes_AndComparedByValue()
    {
        var a = new DeviceRecord(new DeviceId(7), DeviceType.GSME, SmiStatus.Pending, Date("2019-01-01"), SmiStatusSet.Of(SmiStatus.Recovered), "Supplier A", SmetsGeneration.SMETS1, "Aldor G1-100");
        var b = new DeviceRecord(new DeviceId(7), DeviceType.GSME, SmiStatus.Pending, Date("2019-01-01"), SmiStatusSet.Of(SmiStatus.Recovered), "Supplier A", SmetsGeneration.SMETS1, new string("Aldor G1-100".ToCharArray()));

        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<DeviceRecord>());
        Assert.Equal(a, b);
        Assert.Equal((SmetsGeneration.SMETS1, "Aldor G1-100", "Supplier A"), (a.Generation, a.Model, a.NotifyingParty));
        Assert.Equal(SmiStatusSet.Of(SmiStatus.Recovered), a.PriorStatuses);
        Assert.NotEqual(a, new DeviceRecord(new DeviceId(7), DeviceType.GSME, SmiStatus.Pending, Date("2019-01-01"), SmiStatusSet.Of(SmiStatus.Recovered), "Supplier A", SmetsGeneration.SMETS2, "Aldor G1-100"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceRecord(new DeviceId(7), DeviceType.GSME, SmiStatus.Pending, Date("2019-01-01"), default, null, (SmetsGeneration)3));
    }
}
