using System.IO.Compression;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// A gzip-compressed export (<c>.csv.gz</c>) is read as its CSV, from a file or standard input; a
/// corrupt or truncated one is refused whole (exit 2, nothing written), never decided in part.
/// </summary>
public sealed class CompressedInventoryTests : IDisposable
{
    private static readonly string Sample = Path.Combine(Repository.Root(), "samples", "inventory.csv");
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private byte[] Gzipped()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(File.ReadAllBytes(Sample));
        }

        return buffer.ToArray();
    }

    [Fact]
    public void Gzipped_DecidedExactlyAsThePlainFile()
    {
        var gz = _cli.PathOf("inventory.csv.gz");
        File.WriteAllBytes(gz, Gzipped());

        Assert.Equal(0, _cli.Run("run", "--policy", "sec-timeline", "--inventory", gz, "--as-of", "2019-11-07", "--out", _cli.PathOf("gz.csv")).Exit);
        Assert.Equal(0, _cli.Run("run", "--policy", "sec-timeline", "--inventory", Sample, "--as-of", "2019-11-07", "--out", _cli.PathOf("plain.csv")).Exit);

        Assert.Equal(File.ReadAllBytes(_cli.PathOf("plain.csv")), File.ReadAllBytes(_cli.PathOf("gz.csv")));
    }

    [Fact]
    public void GzippedOnStandardInput_ReadToo()
    {
        using var input = new MemoryStream(Gzipped());

        var (exit, output, _) = _cli.RunWith(input, null, default, "run", "--policy", "sec-timeline", "--inventory", "-", "--as-of", "2019-11-07");

        Assert.Equal(0, exit);
        Assert.Contains("Rows       10,000 read = 10,000 decided + 0 rejected", output, StringComparison.Ordinal);
    }

    // .NET's decompressor ends a cut-short stream quietly: the rows after the cut would be lost.
    [Theory]
    [InlineData(3000)]
    [InlineData(100)]
    [InlineData(-4)]
    public void Truncated_RefusedWholeNothingWritten(int keep)
    {
        var bytes = Gzipped();
        var gz = _cli.PathOf("cut.csv.gz");
        File.WriteAllBytes(gz, bytes[..(keep > 0 ? keep : bytes.Length + keep)]);
        var output = _cli.PathOf("out.csv");

        var (exit, _, error) = _cli.Run("run", "--policy", "sec-timeline", "--inventory", gz, "--as-of", "2019-11-07", "--out", output);

        Assert.Equal(2, exit);
        Assert.Contains("starts as a gzip file but cannot be decompressed", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(_cli.Leftovers());
    }

    // Several members one after another (cat a.gz b.gz) are not read as one inventory: refused, saying so, by every command.
    [Theory]
    [InlineData("run")]
    [InlineData("forecast")]
    [InlineData("explain")]
    public void TwoMembers_RefusedByEveryCommandWithExitTwo(string command)
    {
        var gz = _cli.PathOf("two.csv.gz");
        File.WriteAllBytes(gz, [.. Gzipped(), .. Gzipped()]);
        string[] args = command switch
        {
            "run" => ["run", "--policy", "sec-timeline", "--inventory", gz, "--as-of", "2019-11-07"],
            "forecast" => ["forecast", "--policy", "sec-timeline", "--inventory", gz, "--from", "2019-11-07", "--months", "2"],
            _ => ["explain", "--policy", "sec-timeline", "--inventory", gz, "--device-id", "88-73-84-57-00-2F-96-1E", "--as-of", "2019-11-07"],
        };

        var (exit, _, error) = _cli.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains("several gzip members one after another", error, StringComparison.Ordinal);
    }

    // A byte changed in the data, the checksum or the recorded length: damaged, said as such (not .NET's "unsupported compression method").
    [Theory]
    [InlineData(-1)]
    [InlineData(-5)]
    [InlineData(-8)]
    [InlineData(40)]
    public void ByteChanged_RefusedAsDamaged(int at)
    {
        var bytes = Gzipped();
        bytes[at < 0 ? bytes.Length + at : at] ^= 0xFF;
        var gz = _cli.PathOf("changed.csv.gz");
        File.WriteAllBytes(gz, bytes);

        var (exit, _, error) = _cli.Run("run", "--policy", "sec-timeline", "--inventory", gz, "--as-of", "2019-11-07", "--out", _cli.PathOf("out.csv"));

        Assert.Equal(2, exit);
        Assert.StartsWith($"{gz} starts as a gzip file but cannot be decompressed (", error, StringComparison.Ordinal);
        Assert.DoesNotContain("unsupported compression method", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("out.csv")));
    }

    [Fact]
    public void GzipMagicThenGarbage_RefusedAsDamaged()
    {
        var gz = _cli.PathOf("garbage.csv.gz");
        File.WriteAllBytes(gz, [0x1F, 0x8B, .. "garbage, not deflate"u8.ToArray()]);

        var (exit, _, error) = _cli.Run("run", "--policy", "sec-timeline", "--inventory", gz, "--as-of", "2019-11-07");

        Assert.Equal(2, exit);
        // Damaged input (SMI2202), said as such: not "cannot be read", which is for a missing file or header.
        Assert.StartsWith($"{gz} starts as a gzip file but cannot be decompressed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
