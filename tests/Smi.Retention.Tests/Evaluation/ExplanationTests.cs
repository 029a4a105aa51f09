using NodaTime;
using static Smi.Retention.Tests.TestSupport.TestDevices;

namespace Smi.Retention.Tests.Evaluation;

/// <summary>Explanations of the SECMP0060 report's scenarios, pinned by golden files in Golden/Explanations.</summary>
public class ExplanationTests
{
    private static readonly DeviceId Id = DeviceId.Parse("88-73-84-57-00-2F-96-1E");

    public static TheoryData<string, string, string, SmiStatus, string, string, BoundaryMode, SmiStatus[]> Cases() => new()
    {
        { "v63-chf-removed", "sec-ac72-v6.3", "CHF", SmiStatus.Pending, "2017-06-01", "2019-11-07", BoundaryMode.OnCorrespondingDate, [] },
        { "secmp0060-chf-retained", "secmp0060", "CHF", SmiStatus.Pending, "2017-06-01", "2019-11-07", BoundaryMode.OnCorrespondingDate, [] },
        { "cr1022-gpf-excluded", "dcc-cr1022", "GPF", SmiStatus.Pending, "2015-01-01", "2019-11-07", BoundaryMode.OnCorrespondingDate, [] },
        { "cr1022-esme-removed", "dcc-cr1022", "ESME", SmiStatus.Pending, "2018-02-28", "2019-11-07", BoundaryMode.OnCorrespondingDate, [] },
        { "bryt-never-commissioned", "bryt-previously-commissioned", "ESME", SmiStatus.Pending, "2014-11-07", "2019-11-07", BoundaryMode.OnCorrespondingDate, [] },
        { "bryt-decommissioned-removed", "bryt-previously-commissioned", "ESME", SmiStatus.Pending, "2018-10-07", "2019-11-07", BoundaryMode.OnCorrespondingDate, [SmiStatus.Commissioned, SmiStatus.Decommissioned] },
        { "timeline-due-under-later-version", "sec-timeline", "CHF", SmiStatus.Pending, "2019-01-01", "2019-06-01", BoundaryMode.OnCorrespondingDate, [] },
        { "strict-boundary", "sec-ac72-v6.3", "ESME", SmiStatus.Pending, "2019-03-15", "2020-03-15", BoundaryMode.AfterCorrespondingDate, [] },
        { "leap-day-month-end", "secmp0060", "GSME", SmiStatus.Pending, "2020-02-29", "2023-02-28", BoundaryMode.OnCorrespondingDate, [] },
        { "commissioned-retained", "sec-ac72-v6.3", "GSME", SmiStatus.Commissioned, "2012-01-31", "2019-11-07", BoundaryMode.OnCorrespondingDate, [] },
        { "since-after-as-of", "sec-ac72-v6.3", "ESME", SmiStatus.Pending, "2019-11-08", "2019-11-07", BoundaryMode.OnCorrespondingDate, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Explain_SeedScenario_MatchesGoldenFile(string name, string policy, string type, SmiStatus status, string since, string asOf, BoundaryMode boundary, SmiStatus[] prior)
    {
        var device = new DeviceRecord(Id, DeviceTypes.Parse(type), status, Date(since), SmiStatusSet.Of(prior));
        var evaluator = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(policy), boundary).For(Date(asOf));

        var explanation = evaluator.Explain(device);

        Assert.Equal(evaluator.Evaluate(device), explanation.Decision);
        Golden.AssertMatches(Path.Combine(Golden.Folder("Explanations"), name + ".txt"), explanation.ToString());
    }

    [Fact]
    public void Explain_Rules_TraceEveryRuleInOrder()
    {
        var device = new DeviceRecord(Id, DeviceType.ESME, SmiStatus.Pending, new LocalDate(2018, 2, 28));
        var explanation = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("dcc-cr1022")).For(new LocalDate(2019, 11, 7)).Explain(device);

        Assert.Equal(
            ["exclude-communications-hubs", "esme-pending-12-months", "gsme-pending-12-months", "ppmid-pending-12-months", "hcalcs-pending-12-months"],
            explanation.Rules.Select(r => r.Rule.Name));
        Assert.Equal([false, true, false, false, false], explanation.Rules.Select(r => r.Matched));
    }
}
