using NodaTime;

namespace Smi.Retention.Tests.Impact;

/// <summary>
/// The symbolic diff: its regions hold exactly the devices whose action changes, each with the
/// change the evaluator makes, checked on random policies, timelines, devices and dates inside and
/// outside every region; and the consultation's questions answered in few regions.
/// </summary>
public class SymbolicDiffTests
{
    private static RetentionTimeline Built(string name) => PolicyCatalog.LoadBuiltIn(name);

    /// <summary>Each device is in at most one region; in one exactly when the two policies decide it differently, and that region says how.</summary>
    private static bool RegionsAreExact(SymbolicDiffResult result, RetentionTimeline policy, RetentionTimeline against, DeviceOnDate[] batch, BoundaryMode boundary)
    {
        var proposed = CompiledPolicy.Compile(policy, boundary);
        var current = CompiledPolicy.Compile(against, boundary);
        foreach (var (device, asOf) in batch)
        {
            if (result.AsOf is { } date && date != asOf)
            {
                continue;
            }

            var before = current.Evaluate(device, asOf).Action;
            var after = proposed.Evaluate(device, asOf).Action;
            var holding = result.Regions.Where(r => r.Contains(device, asOf, boundary)).ToArray();
            var exact = before == after
                ? holding.Length == 0
                : holding.Length == 1 && holding[0].Before == before && holding[0].After == after;
            if (!exact)
            {
                throw new InvalidOperationException($"{device.Type} {device.Status} since {device.StatusSince} prior [{device.PriorStatuses}] as of {asOf}: {before} -> {after}, regions holding it: [{string.Join(" | ", holding.Select(r => r.ToString()))}]");
            }
        }

        return true;
    }

    [PolicyProperty(MaxTest = 100, Arbitrary = [typeof(TypesAndHistories)])]
    public bool RandomPolicies_RegionsHoldExactlyTheDevicesThatChange(GeneratedPolicy a, GeneratedPolicy b, DeviceOnDate[] batch, BoundaryMode boundary)
    {
        var policy = PolicyCatalog.Parse(a.Json, "a.json");
        var against = PolicyCatalog.Parse(b.Json, "b.json");

        return RegionsAreExact(SymbolicDiff.Compare(policy, against, boundary), policy, against, batch, boundary);
    }

    [PolicyProperty(MaxTest = 100, Arbitrary = [typeof(TypesAndHistories)])]
    public bool RandomPolicyAgainstTheTimeline_RegionsExactOnEveryDate(GeneratedPolicy a, DeviceOnDate[] batch, BoundaryMode boundary)
    {
        var policy = PolicyCatalog.Parse(a.Json, "a.json");
        var timeline = Built("sec-timeline");

        return RegionsAreExact(SymbolicDiff.Compare(timeline, policy, boundary), timeline, policy, batch, boundary)
            && RegionsAreExact(SymbolicDiff.Compare(policy, timeline, boundary), policy, timeline, batch, boundary);
    }

    [PolicyProperty(MaxTest = 100, Arbitrary = [typeof(TypesAndHistories)])]
    public bool WithAnAsOfDate_RegionsExactAndTheirStatusDatesHoldTheirDevices(GeneratedPolicy a, GeneratedPolicy b, DeviceOnDate sample, BoundaryMode boundary)
    {
        var policy = PolicyCatalog.Parse(a.Json, "a.json");
        var against = PolicyCatalog.Parse(b.Json, "b.json");
        var result = SymbolicDiff.Compare(policy, against, boundary, sample.AsOf);

        var region = result.RegionOf(sample.Device, sample.AsOf);
        var since = sample.Device.StatusSince;
        return RegionsAreExact(result, policy, against, [sample], boundary)
            && (region is null || ((region.SinceFrom is not { } first || first <= since) && region.SinceTo is { } last && since <= last));
    }

    [Theory]
    [InlineData("device.Generation == \"SMETS2\" && device.PendingFor(\"P24M\")")]
    [InlineData("device.Model in (\"E470-5394\") && device.PendingFor(\"P24M\")")]
    public void PolicyTestingGenerationOrModel_Refused_NamingTheDiffOverAnInventory(string expression)
    {
        var policy = PolicyCatalog.Parse(PolicyJson.OneRule(expression), "smets2.json");
        var e = Assert.Throws<NotSupportedException>(() => SymbolicDiff.Compare(policy, Built("secmp0060")));
        Assert.EndsWith("compare the two policies over an inventory instead.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--inventory", e.Message, StringComparison.Ordinal); // a library's message: the tool adds its own option
        Assert.Throws<NotSupportedException>(() => SymbolicDiff.Compare(Built("secmp0060"), policy));
    }

    [Fact]
    public void Secmp0060AgainstV63_OneRegion_PendingTwelveToThirtySixMonths_EveryTypeWithAStatus()
    {
        var result = SymbolicDiff.Compare(Built("secmp0060"), Built("sec-ac72-v6.3"));

        var region = Assert.Single(result.Regions);
        Assert.Equal(DeviceTypes.All.ToArray().Where(t => t.HasSmiStatus()), region.Types);
        Assert.Equal([SmiStatus.Pending], region.Statuses);
        Assert.Equal((12, (int?)36, HistoryConditionKind.Any), (region.FromMonths, region.ToMonths, region.History.Kind));
        Assert.Equal((RetentionAction.Remove, RetentionAction.Retain), (region.Before, region.After));
        Assert.Equal("Remove -> Retain: ESME, GSME, CHF, GPF, PPMID, HCALCS pending 12-36 months, any history", region.ToString());
    }

    [Fact]
    public void PreviouslyCommissionedOnly_TheHistoryInWords()
    {
        var result = SymbolicDiff.Compare(Built("bryt-previously-commissioned"), Built("sec-ac72-v6.3"));

        var region = Assert.Single(result.Regions);
        Assert.Equal(HistoryConditionKind.HeldNoneOf, region.History.Kind);
        Assert.Equal([SmiStatus.Commissioned, SmiStatus.Decommissioned], region.History.Statuses);
        Assert.Equal("Remove -> Retain: ESME, GSME, CHF, GPF, PPMID, HCALCS pending 12 months or more, never held Commissioned or Decommissioned before", region.ToString());
    }

    [Fact]
    public void WithAnAsOfDate_StatusDatesOfEachRegion()
    {
        var result = SymbolicDiff.Compare(Built("dcc-cr1022"), Built("secmp0060"), asOf: new LocalDate(2026, 12, 5));

        Assert.Equal(
            [
                "Retain -> Remove: ESME, GSME, PPMID, HCALCS pending 12-36 months, any history (status since 2023-12-06 to 2025-12-05)",
                "Remove -> Retain: CHF, GPF pending 36 months or more, any history (status since 2023-12-05 or earlier)",
            ],
            result.Regions.Select(r => r.ToString()));
    }

    [Fact]
    public void Timelines_RegionsByTheDatesTheirVersionsAreInForce()
    {
        var result = SymbolicDiff.Compare(Built("sec-timeline"), Built("dcc-cr1022"));

        Assert.Equal(
            [
                "Retain -> Remove: CHF, GPF pending 12 months or more, any history, as of any date before 2019-11-07",
                "Retain -> Remove: CHF, GPF pending 36 months or more, any history, as of 2019-11-07 onwards",
                "Remove -> Retain: ESME, GSME, PPMID, HCALCS pending 12-36 months, any history, as of 2019-11-07 onwards",
            ],
            result.Regions.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("9999-11-30")]
    [InlineData("9996-12-01")]
    [InlineData("-9997-01-15")]
    [InlineData("0001-01-01")] // regions of status dates before year 1, which no inventory holds (-0002-01-02)
    [InlineData("0004-02-01")]
    public void AsOfNearAnEndOfTheCalendar_RefusedRatherThanInexact(string date)
    {
        var asOf = TestDevices.Date(date);

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => SymbolicDiff.Compare(Built("secmp0060"), Built("sec-ac72-v6.3"), asOf: asOf));

        Assert.Contains("too near", refused.Message.Replace("is within 37 months of an end of the calendar", "too near", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void HeldBeforeOtherThan_SaidInTheLanguagesOwnWords()
    {
        var policy = PolicyCatalog.Parse(
            """{ "WorkflowName": "in-service", "Rules": [ { "RuleName": "r", "Expression": "device.PendingFor(\"P12M\") && !device.HeldBeforeOtherThan(\"Pending\")", "SuccessEvent": "Retain" }, { "RuleName": "s", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }""",
            "in-service.json");

        var region = Assert.Single(SymbolicDiff.Compare(Built("sec-ac72-v6.3"), policy).Regions);

        // A pending device that held no status other than Pending before held none: a history of
        // Pending alone cannot lie before a run of Pending, so the simplest words are these.
        Assert.Equal("Retain -> Remove: ESME, GSME, CHF, GPF, PPMID, HCALCS pending 12 months or more, no status held before", region.ToString());
        Assert.Equal("some status held before", Assert.Single(SymbolicDiff.Compare(policy, Built("secmp0060")).Regions, r => r.Before == RetentionAction.Retain).History.ToString());
    }

    [Fact]
    public void SamePolicy_NoRegion()
    {
        Assert.Empty(SymbolicDiff.Compare(Built("sec-timeline"), Built("sec-timeline")).Regions);
    }

    [Fact]
    public void HistoryWithNoSimpleForm_FewTermsOfStatusesHeldAndNeverHeld()
    {
        // Removed exactly when it held Commissioned or Withdrawn but not both: no one- to three-status form says that.
        var policy = PolicyCatalog.Parse(
            """{ "WorkflowName": "odd", "Rules": [ { "RuleName": "r", "Expression": "device.PendingFor(\"P12M\") && ((device.HeldBefore(\"Commissioned\") && !device.HeldBefore(\"Withdrawn\")) || (!device.HeldBefore(\"Commissioned\") && device.HeldBefore(\"Withdrawn\")))", "SuccessEvent": "Remove" } ] }""",
            "odd.json");
        var result = SymbolicDiff.Compare(policy, Built("sec-ac72-v6.3"));

        var region = Assert.Single(result.Regions, r => r.History.Kind == HistoryConditionKind.AnyOfTerms);
        // The law removes them all; 'odd' keeps those that held both or neither.
        Assert.Equal("never held Commissioned or Withdrawn before, or held Commissioned and Withdrawn before", region.History.ToString());
        Assert.Equal((RetentionAction.Remove, RetentionAction.Retain), (region.Before, region.After));
    }
}
