using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// Inventories as they arrive from a broken export or an attacker: stray and unterminated quotes,
/// values NodaTime cannot hold, repeated and empty header cells, lines of many megabytes, bytes that
/// are not UTF-8, files where every row is bad. Every line after the header is decided or rejected
/// with its line number (rows read = lines), the run never stops on one row, and nothing prints a
/// stack trace.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class HostileInventoryTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Row(int i, string status = "Pending", string since = "2017-06-01") =>
        FormattableString.Invariant($"88-73-84-57-{i >> 24 & 0xFF:X2}-{i >> 16 & 0xFF:X2}-{i >> 8 & 0xFF:X2}-{i & 0xFF:X2},ESME,{status},{since},");

    private (int Exit, string Summary, string Error, string[] Rejects, string[] Decisions) Run(string inventory, params string[] extra)
    {
        var decisions = _cli.PathOf("decisions.csv");
        var rejects = _cli.PathOf("rejects.csv");
        File.Delete(decisions);
        File.Delete(rejects);
        var (exit, summary, error) = _cli.Run(["run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07", "--out", decisions, "--rejects", rejects, "--max-removal-percent", "100", .. extra]);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        return (exit, summary, error, File.Exists(rejects) ? File.ReadAllLines(rejects) : [], File.Exists(decisions) ? File.ReadAllLines(decisions) : []);
    }

    [Theory]
    [InlineData("88-73-84-57-FF-FF-FF-03,ESME,Pen\"ding,2017-06-01,", "a quote appears inside the unquoted value in status (character 33)")]
    [InlineData("\"88-73-84-57-FF-FF-FF-03,ESME,Pending,2017-06-01,", "the quoted value in device_id (character 1) does not close before the line ends")]
    [InlineData("88-73-84-57-FF-FF-FF-03,\"ESME\"X,Pending,2017-06-01,", "the quoted value in device_type is followed by other characters (character 31)")]
    [InlineData("88-73-84-57-FF-FF-FF-03,ESME,Pending,2017-06-01,\"", "the quoted value in prior_statuses (character 49) does not close before the line ends")]
    public void Run_OneBrokenQuote_RejectsThatLineAndReadsEveryOther(string broken, string reason)
    {
        var lines = Enumerable.Range(0, 100_000).Select(i => Row(i, i % 2 == 0 ? "Pending" : "Commissioned")).ToArray();
        lines[1] = broken; // line 3 of the file, naming a device no other line lists
        var inventory = _cli.Write("inventory.csv", Header + "\n" + string.Join("\n", lines) + "\n");

        var (exit, summary, _, rejects, decisions) = Run(inventory);

        Assert.Equal(0, exit);
        Assert.Contains("Rows       100,000 read = 99,999 decided + 1 rejected", summary, StringComparison.Ordinal);
        Assert.Equal(2, rejects.Length);
        Assert.StartsWith("3,", rejects[1], StringComparison.Ordinal);
        Assert.Contains(reason, rejects[1], StringComparison.Ordinal);
        Assert.Equal(100_000, decisions.Length);
    }

    [Theory]
    [InlineData("2018-06-30T23:30:00+19:00", "cannot be a status date: its offset is beyond +/-18:00")]
    [InlineData("2018-06-30T23:30:00-25:00", "is not a date")]
    [InlineData("9999-12-31T23:30:00-05:00", "is an instant on 0001-01-01 or 9999-12-31")]
    [InlineData("9999-12-31T23:59:59-18:00", "is an instant on 0001-01-01 or 9999-12-31")]
    [InlineData("9999-12-31", "status_since 9999-12-31 is after the as-of date 2019-11-07")]
    [InlineData("0000-01-01", "is not a date")]
    [InlineData("99999-01-01", "is not a date")]
    public void Run_ValueNodaTimeCannotHold_RejectsThatRowOnly(string since, string reason)
    {
        var inventory = _cli.Write("inventory.csv", string.Join("\n", Header, Row(1), Row(2, since: since), Row(3)) + "\n");
        var (exit, summary, _, rejects, _) = Run(inventory, "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("Rows       3 read = 2 decided + 1 rejected", summary, StringComparison.Ordinal);
        Assert.Contains(reason, rejects[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AsOfAtTheEndOfTime_EveryRowDecided()
    {
        var inventory = _cli.Write("inventory.csv", string.Join("\n", Header, Row(1, since: "9999-12-31"), Row(2, since: "9999-01-01"), Row(3, "Commissioned", "9990-01-01"), Row(4, since: "0001-01-01")) + "\n");
        var (exit, summary, error) = _cli.Run("run", "--policy", "sec-timeline", "--inventory", inventory, "--as-of", "9999-12-31", "--max-removal-percent", "100", "--out", _cli.PathOf("late.csv"));
        Assert.True(exit == 0, error);
        Assert.Contains("Rows       4 read = 4 decided + 0 rejected", summary, StringComparison.Ordinal);
        // A period that would end past 9999-12-31 never ends on a date there is: retained with no due date
        // (undetermined before, with NodaTime's overflow message), never removed either way.
        Assert.Contains("Decisions  Remove 1, Retain 3, Undetermined 0", summary, StringComparison.Ordinal);
        var decisions = File.ReadAllLines(_cli.PathOf("late.csv"));
        Assert.Equal(2, decisions.Count(l => (l.StartsWith("88-73-84-57-00-00-00-01,", StringComparison.Ordinal) || l.StartsWith("88-73-84-57-00-00-00-02,", StringComparison.Ordinal)) && l.Contains(",Retain,", StringComparison.Ordinal)));
    }

    [Fact]
    public void Run_HeaderEndingInEmptyCells_EmptyCellsIgnored()
    {
        var inventory = _cli.Write("inventory.csv", Header + ",,\n" + Row(1) + ",,\n");
        var (exit, summary, _, _, _) = Run(inventory);
        Assert.Equal(0, exit);
        Assert.Contains("Rows       1 read = 1 decided + 0 rejected", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RequiredColumnTwice_ExitTwoNamingBoth()
    {
        var inventory = _cli.Write("inventory.csv", Header + ",Status\n" + Row(1) + ",Pending\n");
        var (exit, _, error, _, _) = Run(inventory);
        Assert.Equal(2, exit);
        Assert.Equal($"{inventory} names the column status twice (columns 3 and 6); keep one, so that it is clear which holds the value.\n", error);
    }

    [Fact]
    public void Run_HeaderInAnyCaseWithBomAndSpaces_Accepted()
    {
        var inventory = _cli.Write("inventory.csv", "\uFEFFDEVICE_ID, Device_Type ,STATUS,Status_Since,\"PRIOR_STATUSES\"\r\n" + Row(1) + "\r\n");
        var (exit, summary, _, _, _) = Run(inventory);
        Assert.Equal(0, exit);
        Assert.Contains("Rows       1 read = 1 decided + 0 rejected", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_LineOfSixteenMebibytes_RejectedAndTheNextLinesRead()
    {
        var inventory = _cli.PathOf("inventory.csv");
        using (var file = new StreamWriter(inventory))
        {
            file.Write(Header + "\n" + Row(1) + "\n");
            file.Write(Row(2).Replace(",ESME,", "," + new string('x', 16 << 20) + ",", StringComparison.Ordinal) + "\n");
            file.Write(Row(3) + "\n" + Row(4) + "\n");
        }

        var (exit, summary, _, rejects, _) = Run(inventory, "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("Rows       4 read = 3 decided + 1 rejected", summary, StringComparison.Ordinal);
        Assert.Equal("3,88-73-84-57-00-00-00-02,\"the line is 16,777,260 bytes long, over the limit of 1,048,576; a row of the inventory is one short line.\"", rejects[1]);
    }

    [Fact]
    public void Run_BytesThatAreNotUtf8_RejectTheirLine()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", Header, Row(1), Row(2), Row(3)) + "\n");
        bytes[Array.IndexOf(bytes, (byte)'\n', Header.Length + 1) + 30] = 0xFF; // inside line 3
        var (exit, summary, _, rejects, _) = Run(WriteBytes(bytes), "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("Rows       3 read = 2 decided + 1 rejected", summary, StringComparison.Ordinal);
        Assert.Equal("3,88-73-84-57-00-00-00-02,the line is not UTF-8 text (byte 30 of the line); save the inventory as UTF-8 CSV.", rejects[1]); // the device it names, though the line cannot be read
    }

    [Fact]
    public void Run_EmptyLines_EachRejected()
    {
        var (exit, summary, _, rejects, _) = Run(_cli.Write("inventory.csv", Header + "\n" + Row(1) + "\n\n\r\n" + Row(2) + "\n"), "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("Rows       4 read = 2 decided + 2 rejected", summary, StringComparison.Ordinal);
        Assert.Equal(["3,,the line is empty; remove it.", "4,,the line is empty; remove it."], rejects[1..]);
    }

    [Fact]
    public void Run_EveryRowRejected_ExitFourWithTheRejectsAndNoDecisions()
    {
        var inventory = _cli.Write("inventory.csv", Header + "\n" + string.Join("\n", Enumerable.Range(0, 50).Select(i => Row(i).Replace("ESME", "METER", StringComparison.Ordinal))) + "\n");
        var (exit, summary, error, rejects, decisions) = Run(inventory);
        Assert.Equal(4, exit);
        Assert.Empty(summary);
        Assert.Equal($"Refused: 50 of 50 rows were rejected (100.0 %), over the limit of 1% (--max-reject-percent, the default). No decisions were written; the rejects are in {_cli.PathOf("rejects.csv")}. Fix the inventory, or raise --max-reject-percent if the rejects are expected.\n", error);
        Assert.Equal(51, rejects.Length);
        Assert.Empty(decisions);
        Assert.Empty(_cli.Leftovers());
    }

    [Fact]
    public void Run_RejectsUpToTheLimit_Accepted()
    {
        var lines = Enumerable.Range(0, 200).Select(i => Row(i, "Commissioned")).ToArray();
        lines[7] = "bad";
        lines[8] = "bad";
        var inventory = _cli.Write("inventory.csv", Header + "\n" + string.Join("\n", lines) + "\n");
        Assert.Equal(0, Run(inventory).Exit); // 2 of 200 is 1%: not over the limit
        lines[9] = "bad";
        File.WriteAllText(inventory, Header + "\n" + string.Join("\n", lines) + "\n");
        Assert.Equal(4, Run(inventory).Exit);
        Assert.Equal(0, Run(inventory, "--max-reject-percent", "1.5").Exit);
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("+1+1")]
    [InlineData("-1+1")]
    [InlineData("@SUM(1)")]
    [InlineData("\t=1")]
    public void Run_CellThatASpreadsheetWouldRun_NeutralisedInTheRejects(string id)
    {
        var (_, _, _, rejects, _) = Run(_cli.Write("inventory.csv", Header + "\n" + Row(1) + "\n" + id + ",ESME,Pending,2017-06-01,\n"), "--max-reject-percent", "100");
        var cell = rejects[1].Split(',')[1];
        Assert.StartsWith("'", cell, StringComparison.Ordinal);
        Assert.Equal(Untrusted.Show(id.Trim()), cell[1..]); // the id is read trimmed, as every value
    }

    [Fact]
    public void Run_TerminalEscapesInACell_ShownEscaped()
    {
        var inventory = _cli.Write("inventory.csv", Header + "\n" + Row(1) + "\n\u001b[2J\u001b]0;owned\u0007,ESME,Pending,2017-06-01,\n");
        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07", "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.DoesNotContain('\u001b', error);
        Assert.Contains("Rejected line 3 (\\u{001B}[2J\\u{001B}]0;owned\\u{0007})", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InventoryFromStandardInput_Read()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(Header + "\n" + Row(1) + "\n" + Row(2, "Commissioned") + "\n"));
        var (exit, summary, _) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--max-removal-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("Rows       2 read = 2 decided + 0 rejected", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InventoryIsAFifo_ReadAsAStream()
    {
        var fifo = _cli.PathOf("inventory.fifo");
        Fifo.Make(fifo);
        var writer = Task.Run(() => File.WriteAllText(fifo, Header + "\n" + Row(1) + "\n"));
        var (exit, summary, _) = _cli.Run("run", "--policy", "secmp0060", "--inventory", fifo, "--as-of", "2019-11-07", "--max-removal-percent", "100");
        await writer;
        Assert.Equal(0, exit);
        Assert.Contains("Rows       1 read = 1 decided + 0 rejected", summary, StringComparison.Ordinal);
    }

    // The review's hang: a writer already waiting on the pipe is released by the tool's first open,
    // writes everything and closes before the tool reads; the rows are in the pipe, and the tool
    // must read them, not wait for another writer that never comes.
    [Fact]
    public async Task Run_InventoryFifoWhoseWriterFinishesAtOnce_ReadNotWaitedOnForEver()
    {
        var fifo = _cli.PathOf("inventory.fifo");
        Fifo.Make(fifo);
        var writer = Task.Run(() => File.WriteAllText(fifo, Header + "\n" + Row(1) + "\n"));
        await Task.Delay(300); // the writer is now waiting in its open for a reader

        var run = Task.Run(() => _cli.Run("run", "--policy", "secmp0060", "--inventory", fifo, "--as-of", "2019-11-07", "--max-removal-percent", "100"));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20))) == run;
        if (!finished)
        {
            // Release the stuck open so the test host is not left waiting, then fail.
            using var release = Task.Run(() => File.WriteAllText(fifo, ""));
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        Assert.True(finished, "the run waited for a second writer after the first had written and gone");
        await writer;
        var (exit, summary, _) = await run;
        Assert.Equal(0, exit);
        Assert.Contains("Rows       1 read = 1 decided + 0 rejected", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tmp", "/tmp is a directory; give the inventory CSV file, or - for standard input.")]
    [InlineData("/dev/zero", "/dev/zero does not start with a header line: its first line is longer than 1,048,576 bytes. Check it is an inventory CSV, whose header is device_id,device_type,status,status_since,prior_statuses.")]
    public void Run_InventoryThatIsNoFile_ExitTwoSayingWhat(string path, string message)
    {
        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", path, "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Equal(message + "\n", error);
    }

    [Theory]
    [InlineData("\"device_id,device_type,status,status_since,prior_statuses\n", "The header of {0} is not valid CSV: the quoted value in column 1 (character 1) does not close before the line ends")]
    [InlineData("device_id,device_type,st\u00e9tus,status_since,prior_statuses\n", "{0} has no column status")]
    public void Run_BrokenHeader_ExitTwoSayingWhy(string header, string message)
    {
        var inventory = _cli.Write("inventory.csv", header + Row(1) + "\n");
        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, inventory), error, StringComparison.Ordinal);
    }

    // ---- Fuzzing: any byte edit of a valid file

    private static readonly string Valid = Header + ",notifying_party\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i =>
        Row(i, i % 3 == 0 ? "Commissioned" : "Pending", i % 5 == 0 ? "2018-06-30T23:30:00Z" : "2016-02-29") + (i % 4 == 0 ? "\"Commissioned;Decommissioned\",\"Supplier \"\"A\"\"\"" : ",S" + i))) + "\n";

    public static Arbitrary<byte[]> MutatedInventory() => Arb.From(
        from count in Gen.Choose(1, 8)
        from edits in Gen.ListOf(
            from kind in Gen.Choose(0, 2)
            from at in Gen.Choose(0, 1 << 20)
            from value in Gen.OneOf(Gen.Elements<byte>((byte)'"', (byte)',', (byte)'\n', (byte)'\r', (byte)';', (byte)'-', (byte)'T', (byte)'+', 0, 0x1B, 0xFF, 0xC3, 0xE2, 0xEF), Gen.Choose(0, 255).Select(b => (byte)b))
            select (kind, at, value),
            count)
        select Mutate(Encoding.UTF8.GetBytes(Valid), edits));

    private static byte[] Mutate(byte[] bytes, IEnumerable<(int Kind, int At, byte Value)> edits)
    {
        var list = bytes.ToList();
        foreach (var (kind, at, value) in edits)
        {
            // Most edits land after the header, where the reconciliation must hold exactly.
            var index = list.Count == 0 ? 0 : at % 7 == 0 ? at % list.Count : Valid.IndexOf('\n', StringComparison.Ordinal) + 1 + (at % Math.Max(1, list.Count - Valid.IndexOf('\n', StringComparison.Ordinal) - 1));
            index = Math.Min(index, list.Count);
            switch (kind)
            {
                case 0 when index < list.Count: list[index] = value; break;
                case 1: list.Insert(index, value); break;
                case 2 when index < list.Count: list.RemoveAt(index); break;
            }
        }

        return [.. list];
    }

    private string WriteBytes(byte[] bytes)
    {
        var path = _cli.PathOf("inventory.csv");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Property(Arbitrary = [typeof(HostileInventoryTests)], MaxTest = 400, QuietOnSuccess = true)]
    public void Run_AnyByteEditOfAValidFile_EveryLineDecidedOrRejected(byte[] mutated)
    {
        var (exit, summary, error, rejects, decisions) = Run(WriteBytes(mutated), "--max-reject-percent", "100");
        var headerLine = Valid[..Valid.IndexOf('\n', StringComparison.Ordinal)];
        var firstNewline = Array.IndexOf(mutated, (byte)'\n');
        var headerIntact = firstNewline == headerLine.Length && Encoding.UTF8.GetString(mutated, 0, firstNewline) == headerLine;
        if (!headerIntact)
        {
            Assert.True(exit is 0 or 2, $"exit {exit}: {error}");
            return;
        }

        Assert.True(exit == 0, $"exit {exit}: {error}");

        // The physical lines after the header, counted here independently: '\n' ends a line; a
        // remainder after the last one is a line when it is not empty.
        var segments = Encoding.Latin1.GetString(mutated, firstNewline + 1, mutated.Length - firstNewline - 1).Split('\n');
        var lines = segments.Length - (segments[^1].Length == 0 ? 1 : 0);
        var read = long.Parse(System.Text.RegularExpressions.Regex.Match(summary, @"Rows +([\d,]+) read").Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(lines, read);
        Assert.Contains(FormattableString.Invariant($"Rows       {lines:N0} read = {decisions.Length - 1:N0} decided + {rejects.Length - 1:N0} rejected"), summary, StringComparison.Ordinal);
        Assert.All(rejects.Skip(1), r => Assert.Matches(@"^\d+,", r));
        Assert.Equal(rejects.Skip(1).Select(r => int.Parse(r[..r.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).Order(), rejects.Skip(1).Select(r => int.Parse(r[..r.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static Arbitrary<string> InstantText() => Arb.From(
        from year in Gen.Choose(-1, 100_000)
        from month in Gen.Choose(0, 13)
        from day in Gen.Choose(0, 32)
        from hour in Gen.Choose(0, 25)
        from offsetHours in Gen.Choose(-30, 30)
        from offsetMinutes in Gen.Elements(0, 30, 59, 60, 99)
        from zulu in Gen.Elements(true, false)
        select FormattableString.Invariant($"{year:0000}-{month:00}-{day:00}T{hour:00}:30:00") + (zulu ? "Z" : FormattableString.Invariant($"{(offsetHours < 0 ? '-' : '+')}{Math.Abs(offsetHours):00}:{offsetMinutes:00}")));

    /// <summary>
    /// Hour 24 (ISO 8601's end of a day, which NodaTime reads as the next midnight) is refused, as the
    /// schemas refuse it: found by the schema property on CI (9999-11-23T24:00:00Z, reader yes, schema no).
    /// </summary>
    [Theory]
    [InlineData("9999-11-23T24:00:00Z")]
    [InlineData("2019-11-06T24:00:00+01:00")]
    [InlineData("2019-11-06t24:00:00.000Z")]
    public void TryParseDateOrInstant_HourTwentyFour_Refused(string text)
    {
        Assert.False(LondonDates.TryParseDateOrInstant(text, out _, out var error));
        Assert.Contains("gives the hour 24; write 00:00 of the next day", error, StringComparison.Ordinal);
    }

    [Property(Arbitrary = [typeof(HostileInventoryTests)], MaxTest = 3000, QuietOnSuccess = true)]
    public void TryParseDateOrInstant_AnyInstantText_ParsedOrRefusedNeverThrown(string text)
    {
        if (!LondonDates.TryParseDateOrInstant(text, out _, out var error))
        {
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void Run_MoreValuesThanColumns_RejectedNotCutShort()
    {
        // A prior-status list written with ',' instead of ';': cutting the row at the header's width
        // would drop 'Commissioned' and remove a device the policy keeps.
        var inventory = _cli.Write("inventory.csv", Header + "\n" + Row(1) + "\n88-73-84-57-00-00-00-2C,ESME,Pending,2015-01-01,Pending,Commissioned\n" + Row(3) + ",,\n");
        var (exit, summary, _, rejects, decisions) = Run(inventory, "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("Rows       3 read = 2 decided + 1 rejected", summary, StringComparison.Ordinal);
        Assert.Equal("3,88-73-84-57-00-00-00-2C,the row has 6 values but the header names 5 columns; a value holding a comma must be in quotes (prior statuses are separated by ';').", rejects[1]);
        Assert.DoesNotContain(decisions, d => d.StartsWith("88-73-84-57-00-00-00-2C", StringComparison.Ordinal));
    }

    /// <summary>
    /// A history written with ',' spills its last statuses into the next column; when that column
    /// takes any text and the row leaves a trailing value out, the row still has as many values as
    /// columns. 'Commissioned,Withdrawn' read as history Commissioned and party Withdrawn removed a
    /// device the policy keeps (it held Withdrawn). A status in the column after the history is a
    /// reject, on the fast path and the general one alike; a party that is not a status is not.
    /// </summary>
    [Theory]
    [InlineData("notifying_party", "Withdrawn")]
    [InlineData("device_model", "withdrawn")]
    [InlineData("comment", "Withdrawn")]
    [InlineData("notifying_party", " Withdrawn ")] // spaces at the ends: the general path
    [InlineData("comment", "\"Withdrawn\"")] // quoted: the general path
    [InlineData("notifying_party,device_model", "Withdrawn")]
    [InlineData("notifying_party", "Withdrawn;Recovered")] // the rest of the history, written with ';'
    [InlineData("comment", "Withdrawn;")]
    [InlineData("comment", "Withdrawn\u200B")] // an invisible character: the general path
    [InlineData("comment", "With\u0001drawn")]
    public void Run_HistorySpilledIntoTheNextColumn_Rejected(string after, string spilled)
    {
        var policy = _cli.Write("withdrawn.json", """{ "WorkflowName": "w", "Rules": [ { "RuleName": "r0", "Expression": "device.HeldBefore(\"Withdrawn\")", "SuccessEvent": "Retain" }, { "RuleName": "r1", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }""");
        var inventory = _cli.Write("inventory.csv", Header + "," + after + "\n"
            + "88-73-84-57-00-00-00-01,ESME,Pending,2015-01-01,Commissioned," + spilled + "\n"
            + "88-73-84-57-00-00-00-02,ESME,Pending,2015-01-01,Commissioned,Supplier G\n"
            + "88-73-84-57-00-00-00-03,ESME,Pending,2015-01-01,Commissioned;Withdrawn,\n");
        var decisions = _cli.PathOf("decisions.csv");
        var rejects = _cli.PathOf("rejects.csv");

        var (exit, summary, error) = _cli.Run("run", "--policy", policy, "--inventory", inventory, "--as-of", "2019-11-07", "--out", decisions, "--rejects", rejects, "--max-removal-percent", "100", "--max-reject-percent", "100");

        Assert.True(exit == 0, error);
        Assert.Contains("Rows       3 read = 2 decided + 1 rejected", summary, StringComparison.Ordinal);
        Assert.Contains($"{after.Split(',')[0]} holds '", File.ReadAllLines(rejects)[1], StringComparison.Ordinal);
        Assert.Contains("', which reads as statuses, in the column after prior_statuses", File.ReadAllLines(rejects)[1], StringComparison.Ordinal);
        Assert.Equal(["88-73-84-57-00-00-00-02,Remove,r1,2016-01-01,N8", "88-73-84-57-00-00-00-03,Retain,r0,,"], File.ReadAllLines(decisions).Skip(1));
    }

    // A party or model that reads as a status beside no history cannot be a history's spill: kept.
    [Theory]
    [InlineData("Not Applicable")]
    [InlineData("Pending")]
    public void Run_StatusLikeValueAfterAnEmptyHistory_Kept(string party)
    {
        var inventory = _cli.Write("inventory.csv", Header + ",notifying_party\n88-73-84-57-00-00-00-01,IHD,NotApplicable,2017-01-01,," + party + "\n88-73-84-57-00-00-00-02,ESME,Pending,2017-01-01,Commissioned," + party + "\n");

        var (exit, summary, _, rejects, _) = Run(inventory, "--max-reject-percent", "100");

        Assert.Equal(0, exit);
        Assert.Contains(party == "Pending" ? "Rows       2 read = 1 decided + 1 rejected" : "Rows       2 read = 2 decided + 0 rejected", summary, StringComparison.Ordinal);
        Assert.All(rejects.Skip(1), r => Assert.StartsWith("3,", r, StringComparison.Ordinal)); // beside a history, a status is a spill
    }

    [Fact]
    public void Run_DeviceListedTwice_EveryRowOfItRejected()
    {
        var inventory = _cli.Write("inventory.csv", string.Join("\n", Header, Row(1), Row(2), Row(1, "Commissioned", "2019-01-01").Replace("88-73-84-57-00-00-00-01", "88-73-84-57-00-00-00-01".ToLowerInvariant(), StringComparison.Ordinal), Row(3)) + "\n");
        var (exit, summary, _, rejects, decisions) = Run(inventory, "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("Rows       4 read = 2 decided + 2 rejected", summary, StringComparison.Ordinal);
        Assert.Equal(["2", "4"], rejects.Skip(1).Select(r => r.Split(',')[0]));
        Assert.All(rejects.Skip(1), r => Assert.Contains("appears in more than one row of the inventory (as a device_id, or anywhere in a rejected row); which of them is right cannot be told, so none of them is decided", r, StringComparison.Ordinal));
        Assert.DoesNotContain(decisions, d => d.StartsWith("88-73-84-57-00-00-00-01", StringComparison.Ordinal));
        Assert.Equal(3, decisions.Length);
    }

    [Fact]
    public void Run_DeviceListedTwiceOnStandardInput_RefusedAsItCannotBeReadTwice()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", Header, Row(1), Row(1)) + "\n"));
        var (exit, output, error) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", _cli.PathOf("d.csv"));
        Assert.Equal(4, exit);
        Assert.Empty(output);
        Assert.Equal("Refused: 1 device is listed more than once in -, and every row of them must be rejected, which needs a second reading; - cannot be read twice. Give the inventory as a file. Nothing was written.\n", error);
        Assert.False(File.Exists(_cli.PathOf("d.csv")));
    }

    /// <summary>
    /// A device named only by rejected rows (two typos of one export line, say) has no decision to
    /// undo: it is no reason to read the inventory again, so standard input with it is decided (it
    /// was refused, exit 4), and a file is read once. Each reject keeps its own reason.
    /// </summary>
    [Fact]
    public void Run_DeviceNamedOnlyByRejects_ReadOnceEvenFromStandardInput()
    {
        var text = string.Join("\n", Header, Row(1, "Comissioned"), Row(2), Row(1, "Pending", "2099-01-01"), Row(3)) + "\n";
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var (exit, output, error) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--out", _cli.PathOf("d.csv"), "--rejects", _cli.PathOf("r.csv"), "--max-reject-percent", "100", "--max-removal-percent", "100");

        Assert.True(exit == 0, error);
        Assert.Contains("Rows       4 read = 2 decided + 2 rejected", output, StringComparison.Ordinal);
        Assert.Equal(["88-73-84-57-00-00-00-02", "88-73-84-57-00-00-00-03"], File.ReadAllLines(_cli.PathOf("d.csv")).Skip(1).Select(l => l.Split(',')[0]));
        var rejects = File.ReadAllLines(_cli.PathOf("r.csv")).Skip(1).ToArray();
        Assert.Equal(["2", "4"], rejects.Select(r => r.Split(',')[0]));
        Assert.DoesNotContain(rejects, r => r.Contains("more than one row", StringComparison.Ordinal));

        var readings = 0;
        DuplicateCheck.BetweenReadings.Value = _ => readings++;
        try
        {
            var (fromFile, _, fileError) = _cli.Run("run", "--policy", "secmp0060", "--inventory", _cli.Write("inventory.csv", text), "--as-of", "2019-11-07", "--max-reject-percent", "100", "--max-removal-percent", "100");
            Assert.True(fromFile == 0, fileError);
            Assert.Equal(0, readings);
        }
        finally
        {
            DuplicateCheck.BetweenReadings.Value = null;
        }
    }

    /// <summary>The same device with a valid row besides the two rejects is listed more than once: none of its rows is decided.</summary>
    [Fact]
    public void Run_DeviceNamedByRejectsAndAValidRow_NoneDecided()
    {
        var text = string.Join("\n", Header, Row(1, "Comissioned"), Row(2), Row(1, "Pending", "2099-01-01"), Row(1), Row(3)) + "\n";
        var (exit, summary, error, rejects, decisions) = Run(_cli.Write("inventory.csv", text), "--max-reject-percent", "100");

        Assert.True(exit == 0, error);
        Assert.Contains("Rows       5 read = 2 decided + 3 rejected", summary, StringComparison.Ordinal);
        Assert.DoesNotContain(decisions, d => d.StartsWith("88-73-84-57-00-00-00-01", StringComparison.Ordinal));
        Assert.Equal(["2", "4", "5"], rejects.Skip(1).Select(r => r.Split(',')[0]));
        Assert.Contains("more than one row", rejects[3], StringComparison.Ordinal);
    }

    /// <summary>
    /// Past the devices rejects name that are held in memory (256 Ki), their names are looked up
    /// among the valid rows' ids as they are: a device with a valid row is still listed twice,
    /// whether its reject came before that point or after; a device named only by rejects, on both
    /// sides of that point or twice after it, is still no reason for a second reading, so standard
    /// input with them is decided (the review's case: it was refused, exit 4).
    /// </summary>
    [Fact]
    public void Run_MoreDevicesNamedByRejectsThanHeld_ValidRowsOfThemNotDecided_RejectsAloneNoSecondReading()
    {
        const int Rejected = (1 << 18) + 1000;
        var lines = new List<string> { Header, Row(1 << 30, "Comissioned"), Row((1 << 30) + 4, "Comissioned") };
        lines.AddRange(Enumerable.Range(0, Rejected).Select(i => Row(i, "Comissioned")));
        lines.AddRange([Row((1 << 30) + 1, "Comissioned"), Row(1 << 30), Row((1 << 30) + 1), Row((1 << 30) + 2)]);
        lines.AddRange([Row((1 << 30) + 3, "Comissioned"), Row((1 << 30) + 3, "Pending", "2099-01-01"), Row((1 << 30) + 4, "Pending", "2099-01-01")]);
        var text = string.Join("\n", lines) + "\n";
        var readings = 0;
        DuplicateCheck.BetweenReadings.Value = _ => readings++;
        try
        {
            var (exit, summary, error, rejects, decisions) = Run(_cli.Write("inventory.csv", text), "--max-reject-percent", "100");

            Assert.True(exit == 0, error);
            Assert.Contains(FormattableString.Invariant($"read = 1 decided + {Rejected + 8:N0} rejected"), summary, StringComparison.Ordinal);
            Assert.Equal(["device_id,action,rule,due_date,alert", "88-73-84-57-40-00-00-02,Retain,,2020-06-01,"], decisions);
            Assert.Equal(2, rejects.Count(r => r.Contains("more than one row", StringComparison.Ordinal)));
            Assert.Equal(1, readings);
        }
        finally
        {
            DuplicateCheck.BetweenReadings.Value = null;
        }

        var withoutValid = string.Join("\n", lines.Where(l => !l.EndsWith(",Pending,2017-06-01,", StringComparison.Ordinal) || l.Contains("-40-00-00-02,", StringComparison.Ordinal))) + "\n";
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(withoutValid));
        var (piped, output, pipedError) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2019-11-07", "--max-reject-percent", "100", "--max-removal-percent", "100");
        Assert.True(piped == 0, pipedError);
        Assert.Contains(FormattableString.Invariant($"read = 1 decided + {Rejected + 6:N0} rejected"), output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("forecast")]
    public void Analysis_DeviceListedTwice_NeitherRowCounted(string command)
    {
        var inventory = _cli.Write("inventory.csv", string.Join("\n", Header, Row(1), Row(1, "Commissioned"), Row(2)) + "\n");
        string[] args = command == "diff"
            ? ["diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--max-reject-percent", "100"]
            : ["forecast", "--policy", "secmp0060", "--inventory", inventory, "--from", "2019-11-07", "--max-reject-percent", "100"];
        var (exit, output, error) = _cli.Run(args);
        Assert.Equal(0, exit);
        Assert.Contains("3 read = 1 ", output, StringComparison.Ordinal);
        Assert.Contains("+ 2 rejected", output, StringComparison.Ordinal);
        Assert.Equal(2, error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains("appears in more than one row of the inventory", StringComparison.Ordinal)));
    }

    /// <summary>
    /// diff writes each change as it finds it; a device listed twice is known only after the first
    /// reading, which wrote its change: the second reading's file replaces that one, so the device
    /// (rejected) is not in the changes, and the device listed once is, once.
    /// </summary>
    [Fact]
    public void Diff_DeviceListedTwice_ItsChangeFromTheFirstReadingNotWritten()
    {
        var inventory = _cli.Write("inventory.csv", string.Join("\n", Header, Row(1), Row(2), Row(1)) + "\n");
        var changes = _cli.PathOf("changes.csv");

        var (exit, output, error) = _cli.Run("diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--max-reject-percent", "100", "--out", changes);

        Assert.True(exit == 0, error);
        Assert.Contains("Changes    1: newly removed 0, newly retained 1", output, StringComparison.Ordinal);
        Assert.Equal(
            ["device_id,device_type,direction,action_against,rule_against,action_policy,rule_policy", "88-73-84-57-00-00-00-02,ESME,NewlyRetained,Remove,pending-12-months,Retain,"],
            File.ReadAllLines(changes));
        Assert.Empty(_cli.Leftovers());
    }

    [Fact]
    public void Explain_DeviceListedTwice_ExitTwoNamingTheLines()
    {
        var inventory = _cli.Write("inventory.csv", string.Join("\n", Header, Row(1), Row(2), Row(1, "Commissioned")) + "\n");
        var (exit, _, error) = _cli.Run("explain", "--policy", "secmp0060", "--inventory", inventory, "--device-id", "88-73-84-57-00-00-00-01", "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Equal("Device 88-73-84-57-00-00-00-01 appears on lines 2, 4; which row is right cannot be told, so no policy decides it. List each device once.\n", error);
    }
}
