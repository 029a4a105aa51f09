using System.Text.Json;
using Json.Schema;

namespace Smi.Retention.Tests.Cli;

/// <summary>The tool's <c>run --evidence</c>: one JSON line per removal, in the evidence schema, and none for a refused run.</summary>
public sealed class RunEvidenceTests : IDisposable
{
    private static readonly string Root = Repository.Root();
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(Root, "schemas", "output", "evidence.schema.json"));
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void RunEvidence_OneLinePerRemovalWithThePolicyHash()
    {
        var evidence = _cli.PathOf("evidence.jsonl");
        var sample = Path.Combine(Root, "samples", "inventory.csv");

        var (exit, output, _) = _cli.Run("run", "--policy", "sec-timeline", "--inventory", sample, "--as-of", "2019-11-07", "--evidence", evidence);

        Assert.Equal(0, exit);
        Assert.Contains($"; evidence: {evidence}\n", output, StringComparison.Ordinal);
        var lines = File.ReadAllLines(evidence);
        var removed = int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"Remove (\d[\d,]*)").Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(removed, lines.Length);
        var hash = PolicyCatalog.Load("sec-timeline").ContentHash;
        Assert.All(lines, line =>
        {
            using var document = JsonDocument.Parse(line);
            Assert.True(Schema.Evaluate(document.RootElement).IsValid, line);
            Assert.Equal(hash, document.RootElement.GetProperty("policyHash").GetString());
        });
        Assert.Equal(lines.Length, lines.Distinct().Count());
    }

    [Fact]
    public void RunEvidence_RefusedRun_WritesNoEvidence()
    {
        var evidence = _cli.PathOf("evidence.jsonl");
        var sample = Path.Combine(Root, "samples", "inventory.csv");

        var (exit, _, _) = _cli.Run("run", "--policy", "sec-ac72-v6.3", "--inventory", sample, "--as-of", "2019-11-07", "--evidence", evidence, "--max-removals", "1");

        Assert.Equal(3, exit);
        Assert.False(File.Exists(evidence));
        Assert.Empty(_cli.Leftovers());
    }
}
