using static Smi.Retention.Tests.TestSupport.TestDevices;

namespace Smi.Retention.Tests.Policies;

/// <summary>The built-in policies on the scenarios of the SECMP0060 Modification Report.</summary>
public class BuiltInPolicyTests
{
    [Fact]
    public void BuiltInNames_AreExactlyTheFivePolicies() =>
        Assert.Equal(["sec-ac72-v6.3", "secmp0060", "dcc-cr1022", "bryt-previously-commissioned", "sec-timeline"], PolicyCatalog.BuiltInNames);

    [Theory]
    [InlineData("sec-ac72-v6.3")]
    [InlineData("secmp0060")]
    [InlineData("dcc-cr1022")]
    [InlineData("bryt-previously-commissioned")]
    [InlineData("sec-timeline")]
    public void LoadBuiltIn_EachName_LoadsWithItsNameAndHash(string name)
    {
        var timeline = PolicyCatalog.LoadBuiltIn(name);
        Assert.Equal(name, timeline.Name);
        Assert.Matches("^[0-9a-f]{64}$", timeline.ContentHash);
    }

    [Theory]
    [InlineData("sec-ac72-v6.3")]
    [InlineData("secmp0060")]
    [InlineData("dcc-cr1022")]
    [InlineData("bryt-previously-commissioned")]
    [InlineData("sec-timeline")]
    public void BuiltInText_IsTheJsonFileInTheRepository(string name)
    {
        var file = Path.Combine(Repository.Root(), "src", "Smi.Retention", "Policies", "BuiltIn", name + ".json");
        Assert.Equal(File.ReadAllText(file), PolicyCatalog.BuiltInText(name));
    }

    [Fact]
    public void Chf_PendingSinceJune2017_RemovedUnderV63_RetainedUnderSecmp0060UntilJune2020_NeverUnderCr1022()
    {
        var chf = Pending(DeviceType.CHF, "2017-06-01");

        var v63 = Decide("sec-ac72-v6.3", chf, "2019-11-07");
        Assert.Equal(RetentionAction.Remove, v63.Action);
        Assert.Equal("pending-12-months", v63.Rule?.Name);
        Assert.Equal(Date("2018-06-01"), v63.DueDate);
        Assert.Null(v63.Alert);

        var secmp = Decide("secmp0060", chf, "2019-11-07");
        Assert.Equal(RetentionAction.Retain, secmp.Action);
        Assert.Null(secmp.Rule);
        Assert.Equal(Date("2020-06-01"), secmp.DueDate);
        Assert.Equal(RetentionAction.Retain, Decide("secmp0060", chf, "2020-05-31").Action);
        Assert.Equal(RetentionAction.Remove, Decide("secmp0060", chf, "2020-06-01").Action);

        var cr1022 = Decide("dcc-cr1022", chf, "2019-11-07");
        Assert.Equal(RetentionAction.Retain, cr1022.Action);
        Assert.Equal("exclude-communications-hubs", cr1022.Rule?.Name);
        Assert.Null(cr1022.DueDate);
        Assert.Equal(RetentionAction.Retain, Decide("dcc-cr1022", chf, "2040-01-01").Action);
    }

    [Fact]
    public void Gpf_UnderCr1022_ExcludedWithItsChf()
    {
        var gpf = Pending(DeviceType.GPF, "2015-01-01");
        Assert.Equal("exclude-communications-hubs", Decide("dcc-cr1022", gpf, "2019-11-07").Rule?.Name);
        Assert.Equal(RetentionAction.Retain, Decide("dcc-cr1022", gpf, "2019-11-07").Action);
    }

    [Theory]
    [InlineData(DeviceType.ESME, "esme-pending-12-months")]
    [InlineData(DeviceType.GSME, "gsme-pending-12-months")]
    [InlineData(DeviceType.PPMID, "ppmid-pending-12-months")]
    [InlineData(DeviceType.HCALCS, "hcalcs-pending-12-months")]
    public void OtherTypes_UnderCr1022_RemovedAfterTwelveMonthsWithN8(DeviceType type, string rule)
    {
        var device = Pending(type, "2018-11-07");
        var decision = Decide("dcc-cr1022", device, "2019-11-07");
        Assert.Equal(RetentionAction.Remove, decision.Action);
        Assert.Equal(rule, decision.Rule?.Name);
        Assert.Equal("N8", decision.Alert);
        Assert.Equal(RetentionAction.Retain, Decide("dcc-cr1022", device, "2019-11-06").Action);
    }

    [Fact]
    public void Ihd_HasNoStatus_NeverRemoved()
    {
        var ihd = Make(DeviceType.IHD, SmiStatus.NotApplicable, "2010-01-01");
        foreach (var name in PolicyCatalog.BuiltInNames)
        {
            var decision = Decide(name, ihd, "2026-01-01");
            Assert.Equal(RetentionAction.Retain, decision.Action);
            Assert.Null(decision.DueDate);
        }
    }

    [Fact]
    public void Bryt_NeverCommissionedEsmePendingFiveYears_Retained()
    {
        var esme = Pending(DeviceType.ESME, "2014-11-07");
        var decision = Decide("bryt-previously-commissioned", esme, "2019-11-07");
        Assert.Equal(RetentionAction.Retain, decision.Action);
        Assert.Null(decision.DueDate);
        Assert.Equal(RetentionAction.Remove, Decide("sec-ac72-v6.3", esme, "2019-11-07").Action);
    }

    [Fact]
    public void Bryt_DecommissionedThenPendingThirteenMonths_RemovedWithN8()
    {
        var esme = Pending(DeviceType.ESME, "2018-10-07", SmiStatus.Pending, SmiStatus.Commissioned, SmiStatus.Decommissioned);
        var decision = Decide("bryt-previously-commissioned", esme, "2019-11-07");
        Assert.Equal(RetentionAction.Remove, decision.Action);
        Assert.Equal("previously-commissioned-pending-12-months", decision.Rule?.Name);
        Assert.Equal(Date("2019-10-07"), decision.DueDate);
        Assert.Equal("N8", decision.Alert);
    }

    [Fact]
    public void Bryt_PendingAndInstalledBeforeButNeverCommissioned_Retained()
    {
        var esme = Pending(DeviceType.ESME, "2015-01-01", SmiStatus.Pending, SmiStatus.InstalledNotCommissioned);
        Assert.Equal(RetentionAction.Retain, Decide("bryt-previously-commissioned", esme, "2019-11-07").Action);
    }

    [Fact]
    public void Timeline_BeforeSecmp0060_AppliesV63()
    {
        var chf = Pending(DeviceType.CHF, "2017-06-01");
        var before = Decide("sec-timeline", chf, "2019-11-06");
        Assert.Equal(RetentionAction.Remove, before.Action);
        Assert.Equal("pending-12-months", before.Rule?.Name);

        var after = Decide("sec-timeline", chf, "2019-11-07");
        Assert.Equal(RetentionAction.Retain, after.Action);
        Assert.Equal(Date("2020-06-01"), after.DueDate);
    }

    [Fact]
    public void Timeline_DueDateUnderTheLaterVersion_WhenTheChangeComesFirst()
    {
        // v6.3 alone would remove on 2020-01-01, but SECMP0060 is in force by then: 36 months.
        var chf = Pending(DeviceType.CHF, "2019-01-01");
        var decision = Decide("sec-timeline", chf, "2019-06-01");
        Assert.Equal(RetentionAction.Retain, decision.Action);
        Assert.Equal(Date("2022-01-01"), decision.DueDate);
    }

    [Fact]
    public void Timeline_DueDateUnderTheVersionInForce_WhenItComesFirst()
    {
        var chf = Pending(DeviceType.CHF, "2018-09-01");
        Assert.Equal(Date("2019-09-01"), Decide("sec-timeline", chf, "2019-06-01").DueDate);
    }

    [Fact]
    public void Timeline_RemovableUnderBothVersions_RemovableSinceTheFirst()
    {
        // Removable under v6.3 from 2015-11-07 and under SECMP0060 from 2017-11-07: never a gap.
        var esme = Pending(DeviceType.ESME, "2014-11-07");
        var decision = Decide("sec-timeline", esme, "2019-11-07");
        Assert.Equal(RetentionAction.Remove, decision.Action);
        Assert.Equal(Date("2015-11-07"), decision.DueDate);
    }

    /// <summary>
    /// A run of removal under the version in force that begins on the very day it came into force
    /// (36 months from 2016-11-07 end on 2019-11-07) goes on from the version before, which removed
    /// the device the day before (12 months ended on 2017-11-07): removable since then. The pass's
    /// dated entries hold only the version in force's dates, so this device must take the path that
    /// looks into the versions before (a run begun after the day stays the version's own).
    /// </summary>
    [Theory]
    [InlineData("2016-11-07", "2017-11-07")] // 36 months end on the day SECMP0060 came into force
    [InlineData("2016-11-06", "2017-11-06")] // ... the day before
    [InlineData("2016-11-08", "2019-11-08")] // ... the day after: under 12 months too, but v6.3 was no longer in force on 2019-11-07
    public void Timeline_RunBeginningOnTheDayTheVersionCameIntoForce_RemovableSinceTheVersionBefore(string since, string due)
    {
        var decision = Decide("sec-timeline", Pending(DeviceType.ESME, since), "2020-01-01");
        Assert.Equal(RetentionAction.Remove, decision.Action);
        Assert.Equal(Date(due), decision.DueDate);
    }

    [Fact]
    public void Timeline_RemovableOnlyUnderTheLaterVersion_RemovableSinceItsStart()
    {
        // 36 months would end on 2022-05-01; the revert to 12 months makes the device removable from
        // the revert date, not from its 12-month date 2020-05-01, when 36 months were in force.
        var revert = CompiledPolicy.Compile(PolicyCatalog.Parse("""
            { "TimelineName": "t", "Versions": [ { "Policy": "secmp0060" }, { "Policy": "sec-ac72-v6.3", "EffectiveFrom": "2021-01-01" } ] }
            """));
        var esme = Pending(DeviceType.ESME, "2019-05-01");
        Assert.Equal(Date("2021-01-01"), revert.Evaluate(esme, Date("2021-03-01")).DueDate);
    }

    [Fact]
    public void Timeline_RevertToTwelveMonths_DueOnTheRevertDate()
    {
        // The Security Sub-Committee's wish: back to 12 months once the backlog clears.
        var json = """
            {
              "TimelineName": "revert",
              "Versions": [
                { "Policy": "sec-ac72-v6.3" },
                { "Policy": "secmp0060", "EffectiveFrom": "2019-11-07" },
                { "Policy": "sec-ac72-v6.3", "EffectiveFrom": "2021-01-01" }
              ]
            }
            """;
        var policy = CompiledPolicy.Compile(PolicyCatalog.Parse(json, "revert.json"));
        var esme = Pending(DeviceType.ESME, "2019-05-01");

        var asOf2020 = policy.Evaluate(esme, Date("2020-06-01"));
        Assert.Equal(RetentionAction.Retain, asOf2020.Action);
        Assert.Equal(Date("2021-01-01"), asOf2020.DueDate);

        var asOf2021 = policy.Evaluate(esme, Date("2021-01-01"));
        Assert.Equal(RetentionAction.Remove, asOf2021.Action);
        Assert.Equal(Date("2021-01-01"), asOf2021.DueDate);
    }

    [Fact]
    public void StrictBoundary_RemovesTheDayAfter()
    {
        var esme = Pending(DeviceType.ESME, "2019-03-15");
        Assert.Equal(RetentionAction.Remove, Decide("sec-ac72-v6.3", esme, "2020-03-15").Action);
        Assert.Equal(RetentionAction.Retain, Decide("sec-ac72-v6.3", esme, "2020-03-15", BoundaryMode.AfterCorrespondingDate).Action);
        var strict = Decide("sec-ac72-v6.3", esme, "2020-03-16", BoundaryMode.AfterCorrespondingDate);
        Assert.Equal(RetentionAction.Remove, strict.Action);
        Assert.Equal(Date("2020-03-16"), strict.DueDate);
    }
}
