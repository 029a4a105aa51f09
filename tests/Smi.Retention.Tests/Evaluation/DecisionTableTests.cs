namespace Smi.Retention.Tests.Evaluation;

/// <summary>
/// The shape of the compiled table: prior-status sets collapse to the classes the policy can tell
/// apart, and only the decisions that depend on the date change with it. (That every entry is
/// right is the differential tests' job.)
/// </summary>
public class DecisionTableTests
{
    [Theory]
    [InlineData("secmp0060", 1)] // no 'held before' test: every prior set is alike
    [InlineData("dcc-cr1022", 1)]
    [InlineData("bryt-previously-commissioned", 4)] // held Commissioned before or not, times held Decommissioned before or not
    public void PriorSets_CollapseToTheClassesThePolicyTellsApart(string name, int classes)
    {
        var table = DecisionTable.Build(PolicyCatalog.LoadBuiltIn(name).Versions[0].Policy);

        Assert.Equal(classes, table.Classes);
        Assert.Equal(DecisionTable.PriorSlots, table.PriorClass.Length);
        Assert.All(table.PriorClass, c => Assert.InRange(c, 0, classes - 1));
    }

    [Fact]
    public void Bryt_PriorClassesFollowTheHeldBeforeTest()
    {
        var table = DecisionTable.Build(PolicyCatalog.LoadBuiltIn("bryt-previously-commissioned").Versions[0].Policy);
        var neverInService = table.PriorClass[SmiStatusSet.Of(SmiStatus.Pending).Bits];

        Assert.Equal(neverInService, table.PriorClass[SmiStatusSet.Empty.Bits]);
        Assert.Equal(neverInService, table.PriorClass[SmiStatusSet.Of(SmiStatus.Pending, SmiStatus.Whitelisted, SmiStatus.InstalledNotCommissioned, SmiStatus.Withdrawn).Bits]);
        Assert.NotEqual(neverInService, table.PriorClass[SmiStatusSet.Of(SmiStatus.Commissioned).Bits]);
        Assert.NotEqual(neverInService, table.PriorClass[SmiStatusSet.Of(SmiStatus.Pending, SmiStatus.Decommissioned).Bits]);
    }

    // What the table's date flag is for, seen from outside: under secmp0060 only a pending device's
    // decision changes with its status date; every other state decides alike 1 day or 50 years on.
    [Fact]
    public void Secmp0060_OnlyPendingDecisionsDependOnTheDate()
    {
        var evaluator = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("secmp0060")).For(new NodaTime.LocalDate(2026, 1, 15));
        var today = evaluator.AsOf;
        var longAgo = today.PlusYears(-50);

        foreach (var type in new[] { DeviceType.ESME, DeviceType.GSME, DeviceType.CHF, DeviceType.PPMID })
        {
            foreach (var status in SmiStatuses.All.ToArray().Where(s => s != SmiStatus.NotApplicable))
            {
                var recent = evaluator.Evaluate(new DeviceRecord(new DeviceId(1), type, status, today));
                var old = evaluator.Evaluate(new DeviceRecord(new DeviceId(1), type, status, longAgo));
                Assert.True((recent.Action != old.Action) == (status == SmiStatus.Pending), $"{type} {status}: {recent} then {old}");
            }
        }
    }

    [Fact]
    public void RemovalWhateverTheDate_StillWorksOutItsDueDateAndAlert()
    {
        var policy = CompiledPolicy.Compile(PolicyCatalog.Parse("""
            { "WorkflowName": "pending-go", "Rules": [
              { "RuleName": "pending", "Expression": "device.Status == \"Pending\"", "SuccessEvent": "Remove" } ] }
            """));
        var device = new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, new NodaTime.LocalDate(2019, 3, 31));

        var decision = policy.Evaluate(device, new NodaTime.LocalDate(2019, 11, 7));

        Assert.Equal("Remove by pending due 2019-03-31 alert N8", decision.ToString());
    }
}
