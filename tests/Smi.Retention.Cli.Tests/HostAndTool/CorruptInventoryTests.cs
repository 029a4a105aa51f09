using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace Smi.Retention.Tests.HostAndTool;

/// <summary>
/// A damaged input is one type wherever it is met: a gzip cut short or corrupt is a
/// <see cref="CorruptInventoryException"/> (an <see cref="IOException"/>) from the reader, from a path,
/// from the host's run, and the tool's SMI2202; a host tells it from a failing disk by type.
/// </summary>
public sealed class CorruptInventoryTests
{
    /// <summary>Any inventory will do: the repository's sample.</summary>
    private static readonly string Csv = File.ReadAllText(Path.Combine(Repository.Root(), "samples", "inventory.csv"));

    // Cut before its header line is whole (the review's case): the same type, from a stream, from a
    // path, and the tool's code for a damaged input, never "cannot be read as one".
    [Fact]
    public void Gzipped_CutInItsHeader_CorruptInventoryException_FromStreamPathAndTool()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Csv));
        }

        var cut = compressed.ToArray()[..30];
        Assert.Throws<CorruptInventoryException>(() => InventoryReader.FromStream(new MemoryStream(cut), "cut.gz", new LocalDate(2019, 11, 7)));

        var folder = Directory.CreateTempSubdirectory("smi-cut-").FullName;
        try
        {
            var path = Path.Combine(folder, "cut.csv.gz");
            File.WriteAllBytes(path, cut);
            Assert.Throws<CorruptInventoryException>(() => InventoryReader.Open(path, new LocalDate(2019, 11, 7)));

            var output = new StringWriter();
            var exit = Smi.Retention.Cli.SmiRetentionCli.Run(["run", "--policy", "sec-timeline", "--inventory", path, "--as-of", "2019-11-07", "--format", "json"], output, TextWriter.Null, interactive: false);
            Assert.Equal(2, exit);
            Assert.Contains("\"code\": \"SMI2202\"", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // A host can tell bad input from a failing disk by type: a gzip cut short is a
    // CorruptInventoryException (an IOException, as before), from the reader and from the host's run.
    [Fact]
    public void Gzipped_CutShort_CorruptInventoryException_FromTheReaderAndTheHost()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Csv));
        }

        var cut = compressed.ToArray()[..^6];
        using var reader = InventoryReader.FromStream(new MemoryStream(cut), "cut.gz", new LocalDate(2019, 11, 7));
        var error = Assert.Throws<CorruptInventoryException>(() =>
        {
            while (reader.Read(out _))
            {
            }
        });
        Assert.IsAssignableFrom<IOException>(error);
        Assert.Contains("cut.gz", error.Message, StringComparison.Ordinal);

        var services = new ServiceCollection();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2019, 11, 7, 12, 0)));
        services.AddSmiRetention(options => options.Policy = "sec-timeline");
        using var provider = services.BuildServiceProvider();
        var housekeeping = provider.GetRequiredService<HousekeepingService>();
        using var again = InventoryReader.FromStream(new MemoryStream(cut), "cut.gz", new LocalDate(2019, 11, 7));
        Assert.Throws<CorruptInventoryException>(() => housekeeping.RunInventory(again));
    }
}
