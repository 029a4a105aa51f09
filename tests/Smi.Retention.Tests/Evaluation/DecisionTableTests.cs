namespace Smi.Retention.Tests.Evaluation;

/// <summary>
/// The shape of the compiled table: prior-status sets collapse to the classes the policy can tell
/// apart, and only rows whose decision depends on the date look at it. (That every entry is right
/// is the differential tests' job.)
/// </summary>
public class DecisionTableTests
{
    [Theory]
    [InlineData("secmp0060", 1)] // no 'held before' test: every prior set is alike
    [InlineData("dcc-cr1022", 1)]
    [InlineData("bryt-previously-commissioned", 2)] // held something other than Pending before, or not
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
        Assert.NotEqual(neverInService, table.PriorClass[SmiStatusSet.Of(SmiStatus.Commissioned).Bits]);
        Assert.NotEqual(neverInService, table.PriorClass[SmiStatusSet.Of(SmiStatus.Pending, SmiStatus.Decommissioned).Bits]);
    }

    [Fact]
    public void Secmp0060_OnlyPendingRowsLookAtTheDate()
    {
        var table = DecisionTable.Build(PolicyCatalog.LoadBuiltIn("secmp0060").Versions[0].Policy);
        var since = new NodaTime.LocalDate(2020, 1, 1);

        foreach (var type in new[] { DeviceType.ESME, DeviceType.GSME, DeviceType.CHF, DeviceType.PPMID })
        {
            foreach (var status in SmiStatuses.All.ToArray().Where(s => s != SmiStatus.NotApplicable))
            {
                var row = table.Row(new DeviceRecord(new DeviceId(1), type, status, since));
                var needsEpoch = (table.RowEntries[row] & DecisionTable.NeedsEpoch) != 0;
                Assert.True(needsEpoch == (status == SmiStatus.Pending), $"{type} {status}: needs the epoch {needsEpoch}");
            }
        }
    }

    [Fact]
    public void RemovalWhateverTheDate_StillWorksOutItsDueDateAndAlert()
    {
        var policy = CompiledPolicy.Compile(PolicyCatalog.Parse("""
            { "WorkflowName": "withdrawn-go", "Rules": [
              { "RuleName": "withdrawn", "Expression": "device.Status == \"Withdrawn\"", "SuccessEvent": "Remove" } ] }
            """));
        var device = new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Withdrawn, new NodaTime.LocalDate(2019, 3, 31));

        var decision = policy.Evaluate(device, new NodaTime.LocalDate(2019, 11, 7));

        Assert.Equal("Remove by withdrawn due 2019-03-31 alert N8", decision.ToString());
    }
}
