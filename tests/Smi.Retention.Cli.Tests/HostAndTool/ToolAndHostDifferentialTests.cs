using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace Smi.Retention.Tests.HostAndTool;

/// <summary>
/// The tool and a service decide the same inventory the same way: <c>smi-retention run</c> and the
/// public library paths a DSP service uses (<see cref="HousekeepingService.RunInventory"/> over the
/// file, and <see cref="HousekeepingService.Run(IEnumerable{DeviceRecord}, HousekeepingRunOptions?, CancellationToken)"/>
/// over the reader's accepted records) give identical removals and their evidence, identical
/// rejects with their lines and reasons, identical undetermined devices, and identical counts by
/// action and type; the library's analysis path (<see cref="InventoryAnalysis"/>) counts exactly the
/// devices the tool decides, for inventories with bad rows, devices listed twice (in disagreement), a row
/// dated after the run and a last line cut off.
/// </summary>
public sealed class ToolAndHostDifferentialTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private static readonly LocalDate AsOf = new(2026, 11, 28);
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Property(MaxTest = 25)]
    public Property AnyInventory_ToolAndHostAgree() =>
        Prop.ForAll(
            Gen.Choose(0, int.MaxValue).SelectMany(seed => Gen.Choose(1, 400).Select(rows => (seed, rows))).ToArbitrary(),
            input =>
            {
                Compare(Inventory(input.rows, input.seed), "dcc-cr1022");
                return true;
            });

    [Theory]
    [InlineData("sec-timeline")]
    [InlineData("bryt-previously-commissioned")]
    public void ManyBlocks_ToolAndHostAgree(string policy) => Compare(Inventory(60_000, seed: 7), policy);

    /// <summary>
    /// A line whose values cannot be told apart names every identifier on it, another column's too:
    /// a meter's row with an unquoted comma in its model holds back the hub it names (fail closed:
    /// which value is its device_id cannot be told), and on standard input, which cannot be read
    /// twice, the run is refused. A rejected line holding more runs of 16 hex digits than are kept
    /// refuses the run: which devices it lists cannot be told.
    /// </summary>
    [Fact]
    public void LineThatCannotBeSplit_NamesEveryIdentifierOnIt_AndHexNoiseRefusesTheRun()
    {
        var text = "device_id,device_type,status,status_since,prior_statuses,device_model,chf_device_id\n"
            + "AA-00-00-00-00-00-00-01,CHF,Pending,2017-01-01,Commissioned,Hub,\n"
            + "AA-00-00-00-00-00-00-02,ESME,Pending,2017-01-01,Commissioned,Aldor E2,300,AA-00-00-00-00-00-00-01\n";
        var inventory = _cli.Write("inventory.csv", text);
        var decisions = _cli.PathOf("decisions.csv");

        var (exit, summary, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2024-01-01", "--out", decisions, "--max-reject-percent", "100", "--max-removal-percent", "100");
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var (piped, _, _) = _cli.RunWith(input, null, default, "run", "--policy", "secmp0060", "--inventory", "-", "--as-of", "2024-01-01", "--out", _cli.PathOf("piped.csv"), "--max-reject-percent", "100", "--max-removal-percent", "100");

        Assert.True(exit == 0, error);
        Assert.Contains("Rows       2 read = 0 decided + 2 rejected", summary, StringComparison.Ordinal);
        Assert.Equal(4, piped);

        var random = new Random(5);
        var noise = _cli.Write("noise.csv", Header + "\n11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,\n"
            + string.Concat(Enumerable.Range(0, 1100).Select(_ => "0123456789ABCDEF"[random.Next(16)])) + " 11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending\n");
        var (refused, _, why) = _cli.Run("run", "--policy", "secmp0060", "--inventory", noise, "--as-of", "2026-11-28", "--out", _cli.PathOf("noise-out.csv"), "--max-reject-percent", "100", "--max-removal-percent", "100");
        Assert.Equal(2, refused);
        Assert.StartsWith("Line 3, a reject, holds more than 1,024 runs of 16 hex digits", why, StringComparison.Ordinal);
        Assert.EndsWith("Remove the line or correct it. No output was written, and no temporary file is left behind.\n", why, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("noise-out.csv")));
        var (explained, _, explainWhy) = _cli.Run("explain", "--policy", "secmp0060", "--inventory", noise, "--device-id", "11-11-11-11-11-11-11-11", "--as-of", "2026-11-28");
        Assert.Equal(2, explained);
        Assert.StartsWith("Line 3, a reject, holds more than 1,024 runs of 16 hex digits", explainWhy, StringComparison.Ordinal);
        using var provider = Services("secmp0060");
        using var reader = InventoryReader.Open(noise, AsOf);
        var hostWhy = Assert.Throws<InventoryFormatException>(() => provider.GetRequiredService<HousekeepingService>().RunInventory(reader, new HousekeepingRunOptions { AsOf = AsOf }));
        Assert.EndsWith("Remove the line or correct it.", hostWhy.Message, StringComparison.Ordinal); // the host writes no file: no word of the tool's outputs
    }

    /// <summary>
    /// The review's case: a device with a valid row (Pending since 2020, removable) and a newer row
    /// rejected for a typo (Comissioned) is listed twice, so neither row is decided, in the tool
    /// and in the library alike; the rejected row keeps its own reason.
    /// </summary>
    [Theory]
    [InlineData("11-11-11-11-11-11-11-11,ESME,Comissioned,2026-11-01,Pending")]
    [InlineData("11-11-11-11-11-11-11-11,ESME,Commissioned,2027-01-01,Pending")]
    [InlineData("11-11-11-11-11-11-11-11,Toaster,Commissioned,2026-11-01,Pending")]
    [InlineData("11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending;Decommissioned")]
    [InlineData("11-11-11-11-11-11-11-11,ESME,\"Pending,2020-01-01,")] // a broken quote: the line cannot be split
    [InlineData("11-11-11-11-11-11-11-11,ESME,\"Pending\"x,2020-01-01,")]
    [InlineData("\"11-11-11-11-11-11-11-11\",ESME,Pen\"ding,2020-01-01,")]
    [InlineData("11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,\u00FF")] // written below as a byte that is not UTF-8
    [InlineData("11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,LONG")] // written below as a line over 1 MiB
    // The rejected row's device_id spoilt around the identifier: it still names the device.
    [InlineData("\"11-11-11-11-11-11-11-11\"x,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("11-11-11-11-11-11-11-11\u200B,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("11-11-11-11-11-11-11-11\u007F,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("11-11-11-11-11-11-11-11\u0000,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("\uFEFF11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("'11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("11-11-11-11-11-11-11-11\u00FF,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("an id of 50 characters before the identifier itself 11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("11:11:11:11:11:11:11:11,ESME,Commissioned,2026-11-01,Pending")] // another spelling of an EUI-64
    [InlineData("1111111111111111,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("11.11.11.11.11.11.11.11,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("\"11-11-11-11\"-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")] // split by a quote
    [InlineData("11-11-11-11\u200B-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")]
    [InlineData("\uFF11\uFF11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")] // fullwidth digits
    [InlineData("00-00-00-00-00-00-00-01 11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")] // two identifiers
    [InlineData("Acme,11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")] // too many values: the identifier shifted
    [InlineData("\"Acme, Ltd\",11-11-11-11-11-11-11-11,ESME,Comm\"issioned,2026-11-01,Pending")] // a broken quote after a quoted comma
    [InlineData("LONG11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")] // a line over 1 MiB, the identifier past its first MiB
    [InlineData("LONG,ESME,Pending,2020-01-01,,11-11-11-11-11-11-11-11")] // ... and in another column
    [InlineData("\"11-11-11-11,11-11-11-11\",ESME,Commissioned,2026-11-01,Pending")] // a comma inside the quoted value
    [InlineData("11-11-11-11,11-11-11-11,ESME,Commissioned,2026-11-01,Pending")] // ... unquoted: too many values
    [InlineData("11-11-11-11,11-11-11-11,ESME,Pending,2020-01-01,Pending;Installed Not Commissioned;Commissioned;Suspended;Decommissioned")] // ... beside a history whose words hold 16 hex digits
    [InlineData("11-11-11-11-11,11-11-11,ESME,Pending,2020-01-01")] // ... with as many values as columns
    [InlineData("DD-00-00-00-00-00-00-04,11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending")] // another identifier nearer the device_id column
    public void DeviceWithAValidRowAndARejectedOne_NeitherDecided(string other)
    {
        other = other.Replace("LONG", new string('x', 2 << 20), StringComparison.Ordinal);
        var text = Header + "\n11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,\n" + other + (other.EndsWith("Decommissioned", StringComparison.Ordinal) ? "" : "\n");
        if (other.Contains('\u00FF', StringComparison.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(text.Replace("\u00FF", "#", StringComparison.Ordinal));
            bytes[Array.LastIndexOf(bytes, (byte)'#')] = 0xFF;
            text = Encoding.Latin1.GetString(bytes); // written back byte for byte below
        }

        if (text.Contains('\u00FF', StringComparison.Ordinal))
        {
            CompareBytes(Encoding.Latin1.GetBytes(text), "secmp0060");
        }
        else
        {
            Compare(text, "secmp0060");
        }

        Compare(text, "secmp0060");

        using var provider = Services("secmp0060");
        using var reader = InventoryReader.Open(_cli.PathOf("inventory.csv"), AsOf);
        var (report, removals) = provider.GetRequiredService<HousekeepingService>().RunInventory(reader, new HousekeepingRunOptions { AsOf = AsOf });
        Assert.Empty(removals);
        Assert.Equal((2, 0, 2), (report.DevicesRead, report.Decided, report.Rejected));
        Assert.Equal([2L, 3L], report.Rejects.Select(r => r.Line!.Value));
        Assert.StartsWith("device_id 11-11-11-11-11-11-11-11 appears in more than one row", report.Rejects[0].Reason, StringComparison.Ordinal);

        // explain of the device in that inventory agrees: neither row explains it (the review's
        // case: it explained the valid row, "Remove", where run decides neither).
        var (exit, output, error) = _cli.Run("explain", "--policy", "secmp0060", "--inventory", _cli.PathOf("inventory.csv"), "--device-id", "11-11-11-11-11-11-11-11", "--as-of", "2026-11-28");
        Assert.True(exit == 2, output + error);
        Assert.Equal("Device 11-11-11-11-11-11-11-11 appears on lines 2, 3; which row is right cannot be told, so no policy decides it. List each device once.\n", error);
    }

    [Fact]
    public void RunInventory_OnAReaderAlreadyReadFrom_Refused()
    {
        var inventory = _cli.Write("inventory.csv", Inventory(50, seed: 1));
        using var provider = Services("secmp0060");
        var service = provider.GetRequiredService<HousekeepingService>();
        using var reader = InventoryReader.Open(inventory, AsOf);
        Assert.True(reader.Read(out _));

        var error = Assert.Throws<ArgumentException>(() => service.RunInventory(reader, new HousekeepingRunOptions { AsOf = AsOf }));
        Assert.Contains("has had rows read already", error.Message, StringComparison.Ordinal);

        using var fresh = InventoryReader.Open(inventory, AsOf);
        service.RunInventory(fresh, new HousekeepingRunOptions { AsOf = AsOf });
        Assert.Throws<ArgumentException>(() => service.RunInventory(fresh, new HousekeepingRunOptions { AsOf = AsOf })); // spent: not an ObjectDisposedException
    }

    // A reader opened without a date rejected no row dated after the run's (the device left
    // Undetermined where the tool rejects its row), and one opened as of another date rejected rows
    // by that date while the run decided the others on its own (a review's finding). A reader with
    // no date now reads as of the run's, as the tool does; one with another date is refused.
    [Fact]
    public void RunInventory_ReaderOpenedWithoutTheRunsDate_RejectsAsTheToolDoes_AndAnotherDateIsRefused()
    {
        var inventory = _cli.Write("inventory.csv", Header + "\n01-00-00-00-00-00-00-01,ESME,Pending,2015-01-01,Commissioned\n"
            + "01-00-00-00-00-00-00-02,ESME,Pending,2019-11-08,Commissioned\n01-00-00-00-00-00-00-03,ESME,Pending,2016-01-01,Commissioned\n");
        var asOf = new LocalDate(2019, 11, 7);
        using var provider = Services("sec-ac72-v6.3");
        var service = provider.GetRequiredService<HousekeepingService>();

        using (var reader = InventoryReader.Open(inventory))
        {
            var (report, removals) = service.RunInventory(reader, new HousekeepingRunOptions { AsOf = asOf });
            Assert.Equal((3, 2, 1), (report.DevicesRead, report.Decided, report.Rejected));
            Assert.Equal(3L, Assert.Single(report.Rejects).Line);
            Assert.Contains("after the as-of date 2019-11-07", report.Rejects[0].Reason, StringComparison.Ordinal);
            Assert.Equal(2, removals.Count);
        }

        var (exit, output, error) = _cli.Run("run", "--policy", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--max-reject-percent", "100", "--max-removals", "2");
        Assert.True(exit == 0, output + error);
        Assert.Contains("3 read = 2 decided + 1 rejected", output, StringComparison.Ordinal);

        foreach (var other in new[] { new LocalDate(2015, 6, 1), new LocalDate(2030, 1, 1) })
        {
            using var reader = InventoryReader.Open(inventory, other);
            var refused = Assert.Throws<ArgumentException>(() => service.RunInventory(reader, new HousekeepingRunOptions { AsOf = asOf }));
            Assert.Equal($"The inventory reader of {inventory} was opened as of {other:yyyy-MM-dd}, but the run is as of 2019-11-07: its rows would be checked against one date and decided on the other. Open the reader with the run's date, or with none (the run's is then taken). (Parameter 'inventory')", refused.Message);
        }
    }

    private void Compare(string text, string policy) => CompareBytes(Encoding.UTF8.GetBytes(text), policy);

    private void CompareBytes(byte[] bytes, string policy)
    {
        var inventory = _cli.PathOf("inventory.csv");
        File.WriteAllBytes(inventory, bytes);
        var decisions = _cli.PathOf("decisions.csv");
        var rejects = _cli.PathOf("rejects.csv");
        var evidence = _cli.PathOf("evidence.jsonl");
        foreach (var written in new[] { decisions, rejects, evidence })
        {
            File.Delete(written);
        }

        var (exit, output, error) = _cli.Run(
            "run", "--policy", policy, "--inventory", inventory, "--as-of", "2026-11-28", "--out", decisions, "--rejects", rejects,
            "--evidence", evidence, "--max-removal-percent", "100", "--max-reject-percent", "100", "--format", "json");
        Assert.True(exit == 0, error);
        using var summary = JsonDocument.Parse(output);
        var toolDecisions = File.ReadAllLines(decisions).Skip(1).Select(Csv).ToList();
        var toolRejects = File.ReadAllLines(rejects).Skip(1).Select(Csv).ToList();
        var toolEvidence = File.ReadAllLines(evidence);

        using var provider = Services(policy);
        var service = provider.GetRequiredService<HousekeepingService>();
        HousekeepingResult file;
        using (var reader = InventoryReader.Open(inventory, AsOf))
        {
            file = service.RunInventory(reader, new HousekeepingRunOptions { AsOf = AsOf });
        }

        // The whole file: every reject at its line, with the tool's reason (the report lists the first 1,000).
        Assert.Equal(Math.Min(toolRejects.Count, 1000), file.Report.Rejects.Count);
        Assert.Equal(toolRejects.Take(1000).Select(r => (long.Parse(r[0], CultureInfo.InvariantCulture), r[1], r[2])), file.Report.Rejects.Select(r => (r.Line!.Value, r.DeviceId, r.Reason)));
        Assert.Equal(toolRejects.Count, file.Report.Rejected);
        Assert.Equal(toolEvidence, EvidenceLines(file.Removals));
        Assert.Equal(toolDecisions.Where(d => d[1] == "Undetermined").Select(d => d[0]), file.Report.Undetermined.Select(u => u.Id.ToString()));
        AssertSameCounts(summary.RootElement, file.Report);

        // The library's analysis path (what diff, forecast and stock count): exactly the devices the
        // tool decides, in order, and the tool's rejects, the first kept with their lines and reasons.
        var analysis = InventoryAnalysis.Run(inventory, AsOf, devices => devices.Select(d => d.Id.ToString()).ToList());
        Assert.Equal(toolDecisions.Select(d => d[0]), analysis.Result);
        Assert.Equal((long)toolRejects.Count, analysis.RowsRejected);
        Assert.Equal((long)(toolRejects.Count + toolDecisions.Count), analysis.RowsRead);
        Assert.Equal(toolRejects.Take(InventoryAnalysis.RejectsKept).Select(r => (long.Parse(r[0], CultureInfo.InvariantCulture), r[1], r[2])), analysis.FirstRejected.Select(r => (r.Line, r.IdText!, r.Error!)));
        var compiled = CompiledPolicy.Compile(PolicyCatalog.Load(policy));
        Assert.Equal(toolDecisions.Count, InventoryAnalysis.Run(inventory, AsOf, devices => PolicyForecast.Run(compiled, devices, AsOf, 1).DevicesRead).Result); // the library's analysis, which refuses a device repeated among the records it is given

        // The records a service hands over (here the reader's accepted rows): the same decisions,
        // evidence and counts as the tool's on a file of exactly those records. (A row the service's
        // own reader rejects never reaches Run, so it cannot name a device there: RunInventory above
        // is the path that sees every row.)
        var accepted = new List<DeviceRecord>();
        using (var reader = InventoryReader.Open(inventory, AsOf))
        {
            while (reader.Read(out var row))
            {
                if (row.IsAccepted)
                {
                    accepted.Add(row.Record);
                }
            }
        }

        var records = service.Run(accepted, new HousekeepingRunOptions { AsOf = AsOf });
        var acceptedFile = _cli.Write("accepted.csv", Header + "\n" + string.Concat(accepted.Select(Line)));
        File.Delete(evidence);
        (exit, output, error) = _cli.Run(
            "run", "--policy", policy, "--inventory", acceptedFile, "--as-of", "2026-11-28", "--evidence", evidence,
            "--max-removal-percent", "100", "--max-reject-percent", "100", "--format", "json");
        Assert.True(exit == 0, error);
        using var acceptedSummary = JsonDocument.Parse(output);
        Assert.Equal(File.ReadAllLines(evidence), EvidenceLines(records.Removals));
        AssertSameCounts(acceptedSummary.RootElement, records.Report);
    }

    private static string Line(DeviceRecord device) =>
        FormattableString.Invariant($"{device.Id},{device.Type},{device.Status},{device.StatusSince:yyyy-MM-dd},{device.PriorStatuses}\n");

    private static void AssertSameCounts(JsonElement summary, HousekeepingReport report)
    {
        var rows = summary.GetProperty("rows");
        Assert.Equal(rows.GetProperty("read").GetInt64(), report.DevicesRead);
        Assert.Equal(rows.GetProperty("decided").GetInt64(), report.Decided);
        Assert.Equal(rows.GetProperty("rejected").GetInt64(), report.Rejected);
        foreach (var action in new[] { RetentionAction.Remove, RetentionAction.Retain, RetentionAction.Undetermined })
        {
            var counts = summary.GetProperty("decisions").GetProperty(action.ToString());
            Assert.Equal(counts.GetProperty("total").GetInt64(), report.Count(action));
            foreach (var type in DeviceTypes.All)
            {
                Assert.Equal(counts.GetProperty("byType").GetProperty(type.ToString()).GetInt64(), report.Count(action, type));
            }
        }
    }

    private static ServiceProvider Services(string policy)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 11, 28, 9, 0)));
        services.AddSmiRetention(o => { o.Policy = policy; o.MaxRemovalFraction = 1; });
        return services.BuildServiceProvider();
    }

    private static string[] EvidenceLines(IEnumerable<RemovalEvidence> removals)
    {
        using var stream = new MemoryStream();
        using (var writer = new EvidenceJsonLinesWriter(stream, leaveOpen: true))
        {
            foreach (var removal in removals)
            {
                writer.Write(removal);
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Synthetic devices with, at random, bad rows (an impossible date, an unknown type, a broken
    /// quote), devices listed again with another status, a row dated after the run, an empty line,
    /// and a last line cut off (no line end).
    /// </summary>
    private static string Inventory(int count, int seed)
    {
        var random = new Random(seed);
        var devices = SyntheticInventory.Generate(count, seed, AsOf).ToArray();
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < devices.Length; i++)
        {
            var device = devices[i];
            switch (random.Next(40))
            {
                case 0:
                    text.Append(device.Id).Append(",ESME,Pending,2019-02-30,\n");
                    continue;
                case 1:
                    text.Append(device.Id).Append(",Toaster,Pending,2019-02-01,\n");
                    continue;
                case 2:
                    text.Append('"').Append(device.Id).Append(",ESME,Pending,2019-02-01,\n");
                    continue;
                case 3 when i > 0:
                    var earlier = devices[random.Next(i)];
                    text.Append(earlier.Id).Append(",ESME,Pending,2010-01-01,\n"); // a second, disagreeing record
                    continue;
                case 4:
                    text.Append(device.Id).Append(",ESME,Pending,2027-01-01,\n"); // after the run's date
                    continue;
                case 5:
                    text.Append('\n');
                    continue;
                case 6 when i > 0:
                    var listed = devices[random.Next(i)];
                    text.Append(listed.Id).Append(",ESME,Comissioned,2026-11-01,Pending\n"); // a second row of it, rejected for a typo
                    continue;
            }

            text.Append(device.Id).Append(',').Append(device.Type).Append(',').Append(device.Status).Append(',')
                .Append(device.StatusSince.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',').Append(device.PriorStatuses).Append('\n');
        }

        if (random.Next(3) == 0)
        {
            text.Length--; // the last line cut off: no line end
        }

        return text.ToString();
    }

    /// <summary>The fields of one CSV line as the tool writes it (quotes doubled inside quoted fields).</summary>
    private static string[] Csv(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
