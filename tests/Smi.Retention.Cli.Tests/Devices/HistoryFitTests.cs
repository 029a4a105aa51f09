using System.Net.Http.Json;
using Smi.Retention.Cli.Workbench;
using Smi.Retention.Tests.Workbench;

namespace Smi.Retention.Tests.Devices;

/// <summary>
/// A history is held to the same rule as the current status: a prior status the type cannot hold
/// (NotApplicable for a meter, Commissioned for an In-Home Display) makes the device a record that
/// cannot be, refused with a message wherever a device is described: the record itself, an
/// inventory row, explain --prior, a tests file and the workbench. Before, such a device was
/// decided (an ESME with a prior NotApplicable was removed by the looser 'previously in service').
/// So is a history of the current status alone (a pending ESME that held Pending before and nothing
/// else, an IHD that held NotApplicable before): a run of a status ends only in another status, and
/// a Type 2 device's never changes. Before, such a device was decided too, and differently from the
/// same device with no history (a rule on HeldBefore("Pending") removed it).
/// </summary>
public sealed class HistoryFitTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData(DeviceType.ESME, SmiStatus.Pending, SmiStatus.NotApplicable)]
    [InlineData(DeviceType.CHF, SmiStatus.Commissioned, SmiStatus.NotApplicable)]
    [InlineData(DeviceType.IHD, SmiStatus.NotApplicable, SmiStatus.Commissioned)]
    [InlineData(DeviceType.CAD, SmiStatus.NotApplicable, SmiStatus.Pending)]
    public void Record_PriorStatusTheTypeCannotHold_Refused(DeviceType type, SmiStatus status, SmiStatus prior)
    {
        var history = SmiStatusSet.Of(prior);
        var thrown = Assert.Throws<ArgumentException>(() => new DeviceRecord(new DeviceId(1), type, status, new NodaTime.LocalDate(2019, 1, 1), history));
        Assert.Equal("priorStatuses", thrown.ParamName);
        Assert.False(DeviceRecord.TryCreate(new DeviceId(1), type, status, new NodaTime.LocalDate(2019, 1, 1), history, null, out _, out var error));
        Assert.Contains($"cannot have held {prior} before", error, StringComparison.Ordinal);
        Assert.False(type.Fits(history));
    }

    [Theory]
    [InlineData(DeviceType.ESME, SmiStatus.Pending, "the prior statuses are Pending alone, the current status")]
    [InlineData(DeviceType.CHF, SmiStatus.Commissioned, "the prior statuses are Commissioned alone, the current status")]
    [InlineData(DeviceType.IHD, SmiStatus.NotApplicable, "IHD devices are Type 2 devices whose status never changes, so their history is empty, not NotApplicable")]
    [InlineData(DeviceType.CAD, SmiStatus.NotApplicable, "CAD devices are Type 2 devices whose status never changes, so their history is empty, not NotApplicable")]
    public void Record_HistoryOfTheCurrentStatusAlone_Refused(DeviceType type, SmiStatus status, string message)
    {
        var history = SmiStatusSet.Of(status);
        var thrown = Assert.Throws<ArgumentException>(() => new DeviceRecord(new DeviceId(1), type, status, new NodaTime.LocalDate(2019, 1, 1), history));
        Assert.Equal("priorStatuses", thrown.ParamName);
        Assert.False(DeviceRecord.TryCreate(new DeviceId(1), type, status, new NodaTime.LocalDate(2019, 1, 1), history, null, out _, out var error));
        Assert.StartsWith(message, error, StringComparison.Ordinal);

        // The same status beside another is a history that can be.
        var other = type.HasSmiStatus() ? history.Add(status == SmiStatus.Pending ? SmiStatus.Commissioned : SmiStatus.Pending) : SmiStatusSet.Empty;
        Assert.True(DeviceRecord.TryCreate(new DeviceId(1), type, status, new NodaTime.LocalDate(2019, 1, 1), other, null, out _, out _));
    }

    [Fact]
    public void Fits_EveryHistoryOfFittingStatuses_AndNoOther()
    {
        foreach (var type in DeviceTypes.All.ToArray())
        {
            foreach (var status in SmiStatuses.All.ToArray())
            {
                Assert.Equal(type.Fits(status), type.Fits(SmiStatusSet.Of(status)));
                Assert.True(type.Fits(SmiStatusSet.Empty));
            }
        }
    }

    [Fact]
    public void Run_RowWithAHistoryThatCannotBe_RejectedNeverDecided()
    {
        var inventory = _cli.Write("inventory.csv", Header + "\n00-00-00-00-00-00-00-01,ESME,Pending,2010-01-01,NotApplicable\n00-00-00-00-00-00-00-02,IHD,NotApplicable,2010-01-01,Commissioned\n00-00-00-00-00-00-00-03,ESME,Pending,2010-01-01,Commissioned\n"
            + "00-00-00-00-00-00-00-04,ESME,Pending,2010-01-01,Pending\n00-00-00-00-00-00-00-05,IHD,NotApplicable,2010-01-01,NotApplicable\n00-00-00-00-00-00-00-06,CHF,Commissioned,2010-01-01,commissioned\n");
        var rejects = _cli.PathOf("rejects.csv");

        var (exit, summary, _) = _cli.Run("run", "--policy", "bryt-previously-commissioned", "--inventory", inventory, "--as-of", "2019-11-07", "--max-removal-percent", "100", "--max-reject-percent", "100", "--out", _cli.PathOf("out.csv"), "--rejects", rejects);

        Assert.Equal(0, exit);
        Assert.Contains("Rows       6 read = 1 decided + 5 rejected", summary, StringComparison.Ordinal);
        var lines = File.ReadAllLines(rejects);
        Assert.Contains("ESME devices have an SMI status, so they cannot have held NotApplicable before", lines[1], StringComparison.Ordinal);
        Assert.Contains("IHD devices are Type 2 devices with no SMI status, so they cannot have held Commissioned before", lines[2], StringComparison.Ordinal);
        Assert.Contains("the prior statuses are Pending alone, the current status", lines[3], StringComparison.Ordinal);
        Assert.Contains("IHD devices are Type 2 devices whose status never changes, so their history is empty, not NotApplicable", lines[4], StringComparison.Ordinal);
        Assert.Contains("the prior statuses are Commissioned alone, the current status", lines[5], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NotApplicable", "ESME devices have an SMI status, so they cannot have held NotApplicable before")]
    [InlineData("Pending", "the prior statuses are Pending alone, the current status")]
    [InlineData("pending;Pending", "the prior statuses are Pending alone, the current status")]
    public void Explain_PriorThatCannotBe_ExitTwoWithTheReason(string prior, string message)
    {
        var (exit, output, error) = _cli.Run("explain", "--policy", "bryt-previously-commissioned", "--type", "ESME", "--status", "Pending", "--since", "2017-01-01", "--prior", prior, "--as-of", "2019-11-07");

        Assert.Equal((2, ""), (exit, output));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    // Refused at the value that does not fit (the prior status, or the status), not at the case.
    [Theory]
    [InlineData("\"Type\": \"IHD\", \"Status\": \"NotApplicable\", \"Prior\": [\"NotApplicable\", \"Commissioned\"]", "\"Commissioned\"]", "IHD devices are Type 2 devices with no SMI status, so they cannot have held Commissioned before")]
    [InlineData("\"Type\": \"CHF\", \"Status\": \"Pending\", \"Prior\": [\"NotApplicable\"]", "\"NotApplicable\"]", "CHF devices have an SMI status, so they cannot have held NotApplicable before")]
    [InlineData("\"Type\": \"IHD\", \"Status\": \"Pending\"", "\"Pending\"", "IHD devices are Type 2 devices with no SMI status, so the status must be NotApplicable")]
    [InlineData("\"Type\": \"ESME\", \"Status\": \"Pending\", \"Prior\": [\"Pending\"]", "[\"Pending\"]", "the prior statuses are Pending alone, the current status")]
    [InlineData("\"Type\": \"CAD\", \"Status\": \"NotApplicable\", \"Prior\": [\"notapplicable\"]", "[\"notapplicable\"]", "CAD devices are Type 2 devices whose status never changes")]
    public void TestsFile_CaseThatCannotBe_RefusedAtTheValue(string device, string at, string message)
    {
        var json = "{ \"Policy\": \"bryt-previously-commissioned\", \"Cases\": [\n  { \"Name\": \"a\", " + device + ", \"Since\": \"2017-01-01\", \"AsOf\": \"2019-11-07\", \"Expect\": { \"Action\": \"Retain\" } } ] }";
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyTestSuite.Parse(json)).Problems);

        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.StartsWith(at, json.Split('\n')[problem.Line - 1][(problem.Column - 1)..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NotApplicable", "cannot have held NotApplicable before")]
    [InlineData("Pending", "the prior statuses are Pending alone, the current status")]
    public async Task Workbench_ExplainADeviceWithAHistoryThatCannotBe_AnErrorNotADecision(string prior, string message)
    {
        await using var bench = await WorkbenchHarness.StartAsync(devices: 100);
        var response = await bench.PostAsync("/api/explain", new { text = bench.PolicyText, device = new { type = "ESME", status = "Pending", since = "2017-01-01", prior, asOf = "2019-11-07" } });
        var explanation = (await response.Content.ReadFromJsonAsync<WorkbenchExplanation>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))!;

        Assert.Null(explanation.Text);
        Assert.Contains(message, explanation.Error, StringComparison.Ordinal);
    }
}
