using System.Text;
using NodaTime;

namespace Smi.Retention.Tests.Inventory;

/// <summary>
/// The library's analysis over an inventory file (<see cref="InventoryAnalysis"/>) counts only the
/// devices that may be counted, as the tool's <c>diff</c>, <c>forecast</c> and <c>stock</c> do
/// (ToolAndHostDifferentialTests compares it with the tool's <c>run</c> over every kind of bad row),
/// and an analysis that would defeat the duplicate rule (reading the devices twice, stopping early,
/// or a stream with a device listed twice) is refused, never given a result.
/// </summary>
public sealed class InventoryAnalysisTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses\n";
    private static readonly LocalDate AsOf = new(2026, 11, 28);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-analysis-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_folder.FullName, "inventory.csv");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// A device with a valid row and a row rejected for a typo in its newer status is listed twice:
    /// read line by line and handed over, its valid row would be counted (the diff below would
    /// count it as removed by 12 months and kept by 36); through the analysis it is not, and both its rows are
    /// among the rejects, with why.
    /// </summary>
    [Fact]
    public void DeviceWithAValidRowAndARejectedOne_NotCounted_AndBothRowsRejected()
    {
        var path = Write(Header
            + "11-11-11-11-11-11-11-11,ESME,Pending,2025-01-01,\n"
            + "22-22-22-22-22-22-22-22,ESME,Pending,2025-01-01,\n"
            + "11-11-11-11-11-11-11-11,ESME,Comissioned,2026-11-01,Pending\n");
        var twelveMonths = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("sec-ac72-v6.3"));
        var secmp0060 = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("secmp0060"));

        var analysis = InventoryAnalysis.Run(path, AsOf, devices => PolicyDiff.Compare(twelveMonths, secmp0060, devices, AsOf));

        Assert.Equal([DeviceId.Parse("22-22-22-22-22-22-22-22")], analysis.Result.Changes.Select(c => c.Device.Id));
        Assert.Equal((3L, 2L), (analysis.RowsRead, analysis.RowsRejected));
        Assert.Equal([2L, 4L], analysis.FirstRejected.Select(r => r.Line));
        Assert.StartsWith("device_id 11-11-11-11-11-11-11-11 appears in more than one row", analysis.FirstRejected[0].Error, StringComparison.Ordinal);
        Assert.Equal("11-11-11-11-11-11-11-11", analysis.FirstRejected[0].IdText);
        Assert.Contains("Comissioned", analysis.FirstRejected[1].Error, StringComparison.Ordinal);

        // What a caller reading line by line sees: the reject names the device, for the rule.
        using var reader = InventoryReader.Open(path, AsOf);
        var rows = new List<InventoryRow>();
        while (reader.Read(out var row))
        {
            rows.Add(row);
        }

        Assert.Equal([DeviceId.Parse("11-11-11-11-11-11-11-11")], rows[2].GetNamedDevices());
        Assert.Empty(rows[0].GetNamedDevices());
        var handedOver = PolicyDiff.Compare(twelveMonths, secmp0060, rows.Where(r => r.IsAccepted).Select(r => r.Record), AsOf);
        Assert.Equal(2, handedOver.Changes.Count); // what the analysis is there to prevent
    }

    [Fact]
    public void ManyRejects_AllCounted_TheFirstKept()
    {
        var path = Write(Header + string.Concat(Enumerable.Range(0, 50).Select(i => $"bad-{i},ESME,Pending,2020-01-01,\n")) + "22-22-22-22-22-22-22-22,ESME,Pending,2020-01-01,\n");

        var analysis = InventoryAnalysis.Run(path, AsOf, devices => devices.Count());

        Assert.Equal((1, 51L, 50L), (analysis.Result, analysis.RowsRead, analysis.RowsRejected));
        Assert.Equal(Enumerable.Range(2, InventoryAnalysis.RejectsKept).Select(i => (long)i), analysis.FirstRejected.Select(r => r.Line));
    }

    [Fact]
    public void DevicesEnumeratedTwice_Refused()
    {
        var path = Write(Header + "22-22-22-22-22-22-22-22,ESME,Pending,2020-01-01,\n");

        var error = Assert.Throws<InvalidOperationException>(() => InventoryAnalysis.Run(path, AsOf, devices => devices.Count() + devices.Count()));

        Assert.StartsWith("The devices of an inventory analysis can be enumerated once", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An analysis that stops at the first device cannot know a later row lists it again: refused, not a result over a part.</summary>
    [Fact]
    public void AnalysisStoppingEarly_Refused()
    {
        var path = Write(Header
            + "11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,\n"
            + string.Concat(Enumerable.Range(0, 40_000).Select(i => FormattableString.Invariant($"22-22-22-22-{i >> 8:X2}-{i & 255:X2}-00-00,ESME,Pending,2020-01-01,\n")))
            + "11-11-11-11-11-11-11-11,ESME,Commissioned,2026-11-01,Pending\n");

        var error = Assert.Throws<InvalidOperationException>(() => InventoryAnalysis.Run(path, AsOf, devices => devices.First().Id));

        Assert.Contains("returned before it had enumerated every device", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A named pipe cannot be read twice, so it cannot be analysed: refused before any device is
    /// handed over, with or without a device listed twice, saying to give a file.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pipe_RefusedBeforeAnyDevice(bool repeated)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var pipe = Path.Combine(_folder.FullName, "pipe.csv");
        Fifo.Make(pipe);
        var writer = Task.Run(() => File.WriteAllBytes(pipe, Encoding.UTF8.GetBytes(Header
            + "11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,\n"
            + (repeated ? "11-11-11-11-11-11-11-11,ESME,Pending,2021-01-01,\n" : ""))));
        var seen = 0;

        var error = Assert.Throws<InventoryFormatException>(() => InventoryAnalysis.Run(pipe, AsOf, devices => seen += devices.Count()));
        await writer.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, seen);
        Assert.Contains("is not a file that can be read twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("Give the inventory as a file", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The analysis sees only the devices that may be counted, once: a device on two valid rows, and
    /// one with a valid row and a rejected one, never reach it, so a sink it writes to (here the
    /// devices it would remove) and the library's own analyses, which refuse a device repeated among
    /// the records they are given, see none of them.
    /// </summary>
    [Fact]
    public void RepeatedDevices_NeverReachTheAnalysis_WhichRunsOnce()
    {
        var path = Write(Header
            + "11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,\n"
            + "22-22-22-22-22-22-22-22,ESME,Pending,2020-01-01,\n"
            + "33-33-33-33-33-33-33-33,ESME,Pending,2020-01-01,\n"
            + "11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,\n"
            + "33-33-33-33-33-33-33-33,ESME,Pendng,2026-11-01,\n");
        var secmp0060 = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("secmp0060"));
        var evaluator = secmp0060.For(AsOf);
        var removals = new List<DeviceId>();
        var runs = 0;

        var analysis = InventoryAnalysis.Run(path, AsOf, devices =>
        {
            runs++;
            foreach (var device in devices)
            {
                if (evaluator.Evaluate(device).Action == RetentionAction.Remove)
                {
                    removals.Add(device.Id);
                }
            }

            return removals.Count;
        });

        Assert.Equal(1, runs);
        Assert.Equal([DeviceId.Parse("22-22-22-22-22-22-22-22")], removals);
        Assert.Equal((5L, 4L), (analysis.RowsRead, analysis.RowsRejected));
        Assert.Equal([2L, 4L, 5L, 6L], analysis.FirstRejected.Select(r => r.Line));
        Assert.All(analysis.FirstRejected, r => Assert.False(r.IsAccepted));
        Assert.Equal(["11-11-11-11-11-11-11-11", "33-33-33-33-33-33-33-33", "11-11-11-11-11-11-11-11", "33-33-33-33-33-33-33-33"], analysis.FirstRejected.Select(r => r.GetNamedDevices().Single().ToString()));

        Assert.Equal(1, InventoryAnalysis.Run(path, AsOf, devices => PolicyDiff.Compare(secmp0060, secmp0060, devices, AsOf).DevicesRead).Result);
        Assert.Equal(1, InventoryAnalysis.Run(path, AsOf, devices => PolicyForecast.Run(secmp0060, devices, AsOf, 12).DevicesRead).Result);
        Assert.Equal(1, InventoryAnalysis.Run(path, AsOf, devices => StockAgeing.Analyse(devices, AsOf).DevicesRead).Result);
    }

    /// <summary>
    /// A file changed between the two readings (appended to, or rewritten with the same length and
    /// its modification time put back) is refused before the analysis sees a device of it.
    /// </summary>
    [Theory]
    [InlineData("append")]
    [InlineData("same length, time put back")]
    [InlineData("replaced by a copy")]
    public void FileChangedBetweenReadings_RefusedBeforeAnyDevice(string change)
    {
        var path = Write(Header
            + "11-11-11-11-11-11-11-11,ESME,Pending,2020-01-01,\n"
            + "22-22-22-22-22-22-22-22,ESME,Pending,2020-01-01,\n");
        var seen = 0;
        DuplicateCheck.BetweenReadings.Value = file =>
        {
            var modified = File.GetLastWriteTimeUtc(file);
            switch (change)
            {
                case "append":
                    File.AppendAllText(file, "33-33-33-33-33-33-33-33,ESME,Pending,2020-01-01,\n");
                    break;
                case "same length, time put back":
                    File.WriteAllText(file, File.ReadAllText(file).Replace("2020-01-01", "2020-01-02", StringComparison.Ordinal));
                    File.SetLastWriteTimeUtc(file, modified);
                    break;
                default:
                    File.Copy(file, file + ".new");
                    File.Move(file + ".new", file, overwrite: true);
                    break;
            }
        };

        try
        {
            var error = Assert.Throws<InventoryChangedException>(() => InventoryAnalysis.Run(path, AsOf, devices => seen += devices.Count()));
            Assert.StartsWith($"The analysis of {path} is refused: the file changed between or during its two readings", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            DuplicateCheck.BetweenReadings.Value = null;
        }

        Assert.Equal(0, seen);
    }

    /// <summary>A cancelled analysis is cancelled, even when the analysis swallows the cancellation and returns.</summary>
    [Fact]
    public void CancellationSwallowedByTheAnalysis_StillCancelled()
    {
        var path = Write(Header + string.Concat(Enumerable.Range(0, 40_000).Select(i => FormattableString.Invariant($"22-22-22-22-{i >> 8:X2}-{i & 255:X2}-00-00,ESME,Pending,2020-01-01,\n"))));
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() => InventoryAnalysis.Run(
            path,
            AsOf,
            devices =>
            {
                try
                {
                    foreach (var _ in devices)
                    {
                        cancel.Cancel();
                    }
                }
                catch (OperationCanceledException)
                {
                }

                return 0;
            },
            cancel.Token));
    }

    [Fact]
    public void RejectNamingTooManyDevices_Refused()
    {
        var noise = string.Concat(Enumerable.Range(0, 1100).Select(i => FormattableString.Invariant($"{i:X16} ")));
        var path = Write(Header + "22-22-22-22-22-22-22-22,ESME,Pending,2020-01-01,\n" + noise + ",ESME,Pending,2020-01-01,\n");

        Assert.Throws<InventoryFormatException>(() => InventoryAnalysis.Run(path, AsOf, devices => devices.Count()));

        using var reader = InventoryReader.Open(path, AsOf);
        Assert.True(reader.Read(out _));
        Assert.True(reader.Read(out var row));
        Assert.Throws<InventoryFormatException>(() => row.GetNamedDevices());
        Assert.Contains("Line = 3", row.ToString(), StringComparison.Ordinal); // shown, as a log line would show it

    }
}
