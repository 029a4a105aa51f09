using System.Globalization;
using System.Text;
using NodaTime;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// The tool's pass over an inventory of many blocks (parsed on several threads, taken back in
/// order), held to an oracle that reads the same file line by line and decides each device alone:
/// the same decisions in input order, the same rejects with their line numbers, every row of a
/// device listed twice rejected however far apart its rows are.
/// </summary>
public sealed class ManyChunkRunTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private static readonly LocalDate AsOf = new(2026, 11, 28);
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    // 300,000 rows: decisions of about 13 MB, past the 8 MiB a file is written through the page
    // cache before it is written past it (DirectWrites), several buffers and a last part-block.
    [Theory]
    [InlineData(false, 150_000)]
    [InlineData(true, 150_000)]
    [InlineData(true, 300_000)]
    public void Run_ManyBlocksWithRejectsAndRepeatsFarApart_SameAsReadingLineByLine(bool repeats, int rows)
    {
        var inventory = _cli.Write("inventory.csv", Inventory(rows, repeats));
        var decisions = _cli.PathOf("decisions.csv");
        var rejects = _cli.PathOf("rejects.csv");
        var evidence = _cli.PathOf("evidence.jsonl");
        var (exit, summary, error) = _cli.Run("run", "--policy", "dcc-cr1022", "--inventory", inventory, "--as-of", "2026-11-28", "--out", decisions, "--rejects", rejects, "--evidence", evidence, "--max-removal-percent", "100");
        Assert.True(exit == 0, error);

        var (expectedDecisions, expectedRejects, removals) = Oracle(inventory);
        Assert.Equal(expectedDecisions, File.ReadAllLines(decisions).Skip(1));
        Assert.Equal(expectedRejects, File.ReadAllLines(rejects).Skip(1));
        Assert.Equal(removals, File.ReadAllLines(evidence).Select(l => l[(l.IndexOf("\"deviceId\":\"", StringComparison.Ordinal) + 12)..][..23]));
        Assert.Contains(FormattableString.Invariant($"Rows       {expectedDecisions.Count + expectedRejects.Count:N0} read = {expectedDecisions.Count:N0} decided + {expectedRejects.Count:N0} rejected"), summary, StringComparison.Ordinal);
        Assert.Equal(repeats, expectedRejects.Any(r => r.Contains("appears in more than one row of the inventory", StringComparison.Ordinal)));
    }

    [Fact]
    public void DiffAndForecast_ManyBlocksWithRepeats_CountEveryRowOnce()
    {
        var inventory = _cli.Write("inventory.csv", Inventory(150_000, repeats: true));
        var (_, expectedRejects, _) = Oracle(inventory);
        var rows = File.ReadAllLines(inventory).Length - 1;

        var (exit, output, error) = _cli.Run("diff", "--policy", "dcc-cr1022", "--against", "secmp0060", "--inventory", inventory, "--as-of", "2026-11-28");
        Assert.True(exit == 0, error);
        Assert.Contains(FormattableString.Invariant($"Rows       {rows:N0} read = {rows - expectedRejects.Count:N0} compared + {expectedRejects.Count:N0} rejected"), output, StringComparison.Ordinal);

        (exit, output, error) = _cli.Run("forecast", "--policy", "dcc-cr1022", "--inventory", inventory, "--from", "2026-11-28", "--months", "3");
        Assert.True(exit == 0, error);
        Assert.Contains(FormattableString.Invariant($"{rows:N0} read"), output, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"{expectedRejects.Count:N0} rejected"), output, StringComparison.Ordinal);
    }

    // diff, forecast and stock take the pass's chunks a batch at a time: a block with no reject whole, any
    // other row by row, in a first reading and in a second (devices listed twice). What they write
    // is what the public API writes over the devices the line-by-line oracle accepts, in order.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Analyses_CleanAndRejectingBlocks_SameAsThePublicApiOverTheAcceptedDevices(bool repeats)
    {
        var inventory = _cli.Write("inventory.csv", Inventory(150_000, repeats, badRows: (60_000, 90_000)));
        var accepted = Accepted(inventory);
        var proposed = CompiledPolicy.Compile(PolicyCatalog.Load("dcc-cr1022"));
        var current = CompiledPolicy.Compile(PolicyCatalog.Load("secmp0060"));

        var changes = new List<string>();
        var diff = PolicyDiff.Compare(proposed, current, accepted, AsOf, c => changes.Add(string.Join(",", c.Device.Id, c.Device.Type, c.Direction, c.Against.Action, c.Against.Rule?.Name, c.Proposed.Action, c.Proposed.Rule?.Name)));
        var (exit, output, error) = _cli.Run("diff", "--policy", "dcc-cr1022", "--against", "secmp0060", "--inventory", inventory, "--as-of", "2026-11-28", "--out", _cli.PathOf("changes.csv"));
        Assert.True(exit == 0, error);
        Assert.True(changes.Count > 1000);
        Assert.Equal(changes, File.ReadAllLines(_cli.PathOf("changes.csv")).Skip(1));
        Assert.Contains(FormattableString.Invariant($"read = {diff.DevicesRead:N0} compared + {150_000 - accepted.Count:N0} rejected"), output, StringComparison.Ordinal);

        var forecast = PolicyForecast.Run(proposed, accepted, AsOf, 12);
        (exit, output, error) = _cli.Run("forecast", "--policy", "dcc-cr1022", "--inventory", inventory, "--from", "2026-11-28", "--months", "12", "--out", _cli.PathOf("months.csv"));
        Assert.True(exit == 0, error);
        string[] months =
        [
            FormattableString.Invariant($"now,{string.Join(",", DeviceTypes.All.ToArray().Select(forecast.Backlog))},{forecast.BacklogTotal},,"),
            .. Enumerable.Range(0, forecast.MonthStarts.Count).Select(m => FormattableString.Invariant(
                $"{forecast.MonthStarts[m]:yyyy-MM-dd},{string.Join(",", DeviceTypes.All.ToArray().Select(t => forecast.Removals(m, t)))},{forecast.Removals(m)},,")),
            FormattableString.Invariant($"later,{string.Join(",", DeviceTypes.All.ToArray().Select(forecast.DueLaterOf))},{forecast.DueLater},,"),
            FormattableString.Invariant($"undetermined,{string.Join(",", DeviceTypes.All.ToArray().Select(forecast.UndeterminedOf))},{forecast.Undetermined},,"),
        ];
        Assert.Equal(months, File.ReadAllLines(_cli.PathOf("months.csv")).Skip(1));
        Assert.Contains(FormattableString.Invariant($"Backlog    {forecast.BacklogTotal:N0} devices"), output, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"{forecast.RemovalsTotal:N0} become removable in the window; {forecast.DueLater:N0} later; {forecast.Undetermined:N0} undetermined"), output, StringComparison.Ordinal);

        var stock = StockAgeing.Analyse(accepted, AsOf);
        (exit, _, error) = _cli.Run("stock", "--inventory", inventory, "--as-of", "2026-11-28", "--out", _cli.PathOf("stock.csv"));
        Assert.True(exit == 0, error);
        Assert.True(stock.Models.Count > 3);
        var bands = StockAgeing.BandStarts.Count;
        Assert.Equal(
            stock.Models.Select(m => FormattableString.Invariant($"{m.Type},{m.Devices},{m.Pending},{string.Join(",", m.ByBand)},{m.OldestPendingSince:yyyy-MM-dd}")),
            File.ReadAllLines(_cli.PathOf("stock.csv")).Skip(1).Select(l => l.Split(',')).Select(f => string.Join(",", [f[0], f[3], f[4], .. f[6..(6 + bands)], f[7 + bands]])));
    }

    [Fact]
    public void Explain_DeviceInTheLastBlock_FoundAtItsLine()
    {
        var inventory = _cli.Write("inventory.csv", Inventory(150_000, repeats: false));
        var last = File.ReadLines(inventory).Last();
        var (exit, output, error) = _cli.Run("explain", "--policy", "dcc-cr1022", "--inventory", inventory, "--device-id", last[..23], "--as-of", "2026-11-28");
        Assert.True(exit == 0, error);
        Assert.Contains(last[..23], output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RepeatsOnStandardInputAcrossBlocks_RefusedWithNothingWritten()
    {
        var text = Inventory(150_000, repeats: true);
        var decisions = _cli.PathOf("decisions.csv");
        var (exit, _, error) = _cli.RunWith(new MemoryStream(Encoding.UTF8.GetBytes(text)), null, default, "run", "--policy", "dcc-cr1022", "--inventory", "-", "--as-of", "2026-11-28", "--out", decisions);
        Assert.Equal(4, exit);
        Assert.Contains("cannot be read twice", error, StringComparison.Ordinal);
        Assert.False(File.Exists(decisions));
        Assert.Empty(_cli.Leftovers());
    }

    /// <summary>
    /// Rows from the synthetic generator, with a bad row every 9,973 lines (some at block ends; only
    /// among the rows <paramref name="badRows"/> spans when given, so the other blocks have none) and,
    /// when <paramref name="repeats"/>, devices listed again tens of thousands of lines later.
    /// </summary>
    private static string Inventory(int count, bool repeats, (int From, int To)? badRows = null)
    {
        var devices = SyntheticInventory.Generate(count, seed: 42, AsOf).ToArray();
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < devices.Length; i++)
        {
            var device = devices[i];
            if (i % 9_973 == 5 && (badRows is not { } span || (i >= span.From && i < span.To)))
            {
                text.Append(device.Id).Append(",ESME,Pending,2019-02-30,\n"); // no such date
                continue;
            }

            if (repeats && i % 20_011 == 19_000)
            {
                device = devices[i - 17_000]; // the same device, about a block and a half later
            }

            text.Append(device.Id).Append(',').Append(device.Type).Append(',').Append(device.Status).Append(',')
                .Append(device.StatusSince.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',').Append(device.PriorStatuses).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The devices of the file read line by line, in order, that a pass decides: valid, and listed once.</summary>
    private static List<DeviceRecord> Accepted(string path)
    {
        var rows = new List<InventoryRow>();
        using (var reader = InventoryReader.Open(path, AsOf))
        {
            while (reader.Read(out var row))
            {
                rows.Add(row);
            }
        }

        var repeated = rows.Where(r => r.IsAccepted).GroupBy(r => r.Record.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        return [.. rows.Where(r => r.IsAccepted && !repeated.Contains(r.Record.Id)).Select(r => r.Record)];
    }

    /// <summary>The file read line by line, each valid device decided alone; every row of a repeated device rejected.</summary>
    private static (List<string> Decisions, List<string> Rejects, List<string> Removals) Oracle(string path)
    {
        var rows = new List<InventoryRow>();
        using (var reader = InventoryReader.Open(path, AsOf))
        {
            while (reader.Read(out var row))
            {
                rows.Add(row);
            }
        }

        var repeated = rows.Where(r => r.IsAccepted).GroupBy(r => r.Record.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var evaluator = CompiledPolicy.Compile(PolicyCatalog.Load("dcc-cr1022")).For(AsOf);
        var decisions = new List<string>();
        var rejects = new List<string>();
        var removals = new List<string>();
        foreach (var row in rows)
        {
            if (!row.IsAccepted)
            {
                rejects.Add(FormattableString.Invariant($"{row.Line},{row.IdText},{Quoted(row.Error!)}"));
            }
            else if (repeated.Contains(row.Record.Id))
            {
                rejects.Add(FormattableString.Invariant($"{row.Line},{row.Record.Id},{Quoted($"device_id {row.Record.Id} appears in more than one row of the inventory (as a device_id, or anywhere in a rejected row); which of them is right cannot be told, so none of them is decided. List each device once, and correct the rejected rows.")}"));
            }
            else
            {
                var decision = evaluator.Evaluate(row.Record);
                decisions.Add(string.Join(",", row.Record.Id, decision.Action, decision.Rule?.Name, decision.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), decision.Alert));
                if (decision.IsRemoval)
                {
                    removals.Add(row.Record.Id.ToString());
                }
            }
        }

        return (decisions, rejects, removals);
    }

    private static string Quoted(string text) => text.AsSpan().IndexOfAny(",\"") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
