using System.Text;

namespace Smi.Retention.Tests.Inventory;

/// <summary>
/// An inventory read twice (to reject every row of a device listed twice) must be the same bytes
/// both times, and a file must not change while it is read: an export still being appended to, or
/// replaced with <c>mv</c>, would have devices decided twice (one Remove, one Retain) and a device
/// listed once rejected as repeated. Each change is made at a fixed point (between the readings, or
/// after the first rows), not by timing. (The reader's own checks, without the tool: the core's
/// InventoryChangeTests.)
/// </summary>
public sealed class InventorySnapshotTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private readonly CliRunner _cli = new();

    public void Dispose()
    {
        DuplicateCheck.BetweenReadings.Value = null;
        _cli.Dispose();
    }

    private static string Rows(params string[] rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    private const string Repeated = "88-73-84-57-00-00-00-01,ESME,Pending,2010-01-01,";
    private const string RepeatedAgain = "88-73-84-57-00-00-00-01,ESME,Commissioned,2019-01-01,Pending";
    private const string Other = "88-73-84-57-00-00-00-02,ESME,Pending,2010-01-01,";

    [Theory]
    [InlineData("replaced", "the path names another file than at the first reading")]
    [InlineData("replaced-by-noise", "the path names another file than at the first reading")] // told as the change it is, not as the replacement's own fault
    [InlineData("appended", "its length changed from")]
    [InlineData("truncated", "its length changed from")]
    [InlineData("touched", "it was modified since the first reading")]
    [InlineData("rewritten-same-length-and-time", "it was modified since the first reading")] // its status-change time, which no one can put back, is checked on the second reading's handle before a row (its bytes compared at the end only where that time is not known)
    public void Run_InventoryChangedBetweenItsTwoReadings_RefusedNothingWritten(string change, string reason)
    {
        var inventory = _cli.Write("inventory.csv", Rows(Repeated, Other, RepeatedAgain));
        File.SetLastWriteTimeUtc(inventory, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)); // a time the rewrite can put back exactly
        var decisions = _cli.PathOf("decisions.csv");
        DuplicateCheck.BetweenReadings.Value = path => Change(path, change);

        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07", "--out", decisions, "--max-reject-percent", "100", "--max-removal-percent", "100");

        Assert.Equal(2, exit);
        Assert.Contains($"Refused: the inventory {inventory} changed while it was read (", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.EndsWith("Run again on a complete file that nothing is writing. No output was written, and no temporary file is left behind.\n", error, StringComparison.Ordinal);
        Assert.False(File.Exists(decisions));
        Assert.Empty(_cli.Leftovers());
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("forecast")]
    public void Analysis_InventoryReplacedBetweenItsTwoReadings_Refused(string command)
    {
        var inventory = _cli.Write("inventory.csv", Rows(Repeated, Other, RepeatedAgain));
        DuplicateCheck.BetweenReadings.Value = path => Change(path, "replaced");
        string[] args = command == "diff"
            ? ["diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--max-reject-percent", "100"]
            : ["forecast", "--policy", "secmp0060", "--inventory", inventory, "--from", "2019-11-07", "--max-reject-percent", "100"];

        var (exit, _, error) = _cli.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains("changed while it was read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InventoryUnchangedBetweenItsReadings_RepeatedDeviceRejected()
    {
        var inventory = _cli.Write("inventory.csv", Rows(Repeated, Other, RepeatedAgain));
        var decisions = _cli.PathOf("decisions.csv");
        var readings = 0;
        DuplicateCheck.BetweenReadings.Value = _ => readings++;

        var (exit, output, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07", "--out", decisions, "--max-reject-percent", "100", "--max-removal-percent", "100");

        Assert.True(exit == 0, error);
        Assert.Equal(1, readings);
        Assert.Contains("Rows       3 read = 1 decided + 2 rejected", output, StringComparison.Ordinal);
        Assert.Equal(["device_id,action,rule,due_date,alert", "88-73-84-57-00-00-00-02,Remove,pending-36-months,2013-01-01,N8"], File.ReadAllLines(decisions));
    }

    private static void Change(string path, string change)
    {
        var info = new FileInfo(path);
        var modified = info.LastWriteTimeUtc;
        switch (change)
        {
            case "replaced":
                // Another file renamed over the path, as an export job does with mv.
                var next = path + ".next";
                File.WriteAllText(next, Rows(Repeated, Other));
                File.Move(next, path, overwrite: true);
                break;
            case "replaced-by-noise":
                // Another file, whose first row is one that refuses any reading of it (a reject of too many identifiers).
                var noise = path + ".noise";
                var random = new Random(7);
                File.WriteAllText(noise, Rows(string.Concat(Enumerable.Range(0, 16 * 1100).Select(_ => "0123456789ABCDEF"[random.Next(16)])), Repeated, Other));
                File.Move(noise, path, overwrite: true);
                break;
            case "appended":
                File.AppendAllText(path, Other.Replace("02,", "03,", StringComparison.Ordinal) + "\n");
                break;
            case "rewritten-same-length-and-time":
                var bytes = File.ReadAllBytes(path);
                var at = Encoding.ASCII.GetString(bytes).IndexOf("2010", StringComparison.Ordinal);
                bytes[at + 3] = (byte)'1';
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    file.Write(bytes);
                }

                File.SetLastWriteTimeUtc(path, modified);
                break;
            case "touched":
                File.SetLastWriteTimeUtc(path, modified.AddSeconds(1));
                break;
            case "truncated":
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    file.SetLength(file.Length - 10);
                }

                break;
        }
    }
}
