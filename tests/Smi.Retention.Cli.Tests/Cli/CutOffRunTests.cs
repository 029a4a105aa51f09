namespace Smi.Retention.Tests.Cli;

/// <summary>The tool's run over an input cut off part-way: its last row is a reject, never decided.</summary>
public sealed class CutOffRunTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Run_HistoryCutAfterItsFirstStatus_RejectedNotRemoved()
    {
        // Whole, the row says Commissioned then Decommissioned: the policy keeps it. Cut after
        // "Commissioned;", it would read as only Commissioned before, and be removed.
        var inventory = _cli.Write("cut.csv", Header + "\n88-73-84-57-00-00-00-01,ESME,Pending,2015-01-01,Commissioned;");
        var decisions = _cli.PathOf("decisions.csv");
        var rejects = _cli.PathOf("rejects.csv");

        var (exit, summary, _) = _cli.Run("run", "--policy", "bryt-previously-commissioned", "--inventory", inventory, "--as-of", "2019-11-07", "--out", decisions, "--rejects", rejects, "--max-reject-percent", "100");

        Assert.Equal(0, exit);
        Assert.Contains("Rows       1 read = 0 decided + 1 rejected", summary, StringComparison.Ordinal);
        Assert.Equal(["device_id,action,rule,due_date,alert"], File.ReadAllLines(decisions));
        var reject = File.ReadAllLines(rejects)[1];
        Assert.StartsWith("2,88-73-84-57-00-00-00-01,\"the last line has no line end, so the input may be cut off", reject, StringComparison.Ordinal);
    }
}
