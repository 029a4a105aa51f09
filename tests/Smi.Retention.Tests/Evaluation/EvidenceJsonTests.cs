using System.Text.Json;
using Json.Schema;
using NodaTime;

namespace Smi.Retention.Tests.Evaluation;

/// <summary>
/// Evidence and ids in JSON as an auditor reads them: EUI-64 strings, ISO dates, names for enums;
/// round trips; the JSON Lines writer (the tool's <c>run --evidence</c> is RunEvidenceTests').
/// </summary>
public sealed class EvidenceJsonTests
{
    private static readonly string Root = Repository.Root();
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(Root, "schemas", "output", "evidence.schema.json"));
    private static readonly LocalDate AsOf = new(2019, 11, 7);
    private static RemovalEvidence[] Removals()
    {
        var evaluator = CompiledPolicy.Compile(PolicyCatalog.Load("sec-timeline")).For(AsOf);
        return SyntheticInventory.Generate(20_000, 5, AsOf)
            .Select(d => (Device: d, Decision: evaluator.Evaluate(d)))
            .Where(x => x.Decision.IsRemoval)
            .Select(x => RemovalEvidence.Of(evaluator, x.Device, x.Decision))
            .ToArray();
    }

    [Fact]
    public void Evidence_RoundTripsThroughJson()
    {
        var removals = Removals();
        Assert.NotEmpty(removals);

        foreach (var evidence in removals)
        {
            var json = JsonSerializer.Serialize(evidence, RetentionJson.Options);
            Assert.Equal(evidence, JsonSerializer.Deserialize<RemovalEvidence>(json, RetentionJson.Options));
        }
    }

    [Fact]
    public void Evidence_ShapeIsStringsAndDatesNotNumbersAndObjects()
    {
        var evidence = Removals()[0];
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(evidence, RetentionJson.Options));
        var root = document.RootElement;

        Assert.Equal(evidence.DeviceId.ToString(), root.GetProperty("deviceId").GetString());
        Assert.Equal(NodaTime.Text.LocalDatePattern.Iso.Format(evidence.StatusSince), root.GetProperty("statusSince").GetString());
        Assert.Equal(evidence.DeviceType.ToString(), root.GetProperty("deviceType").GetString());
        Assert.True(Schema.Evaluate(root).IsValid);
    }

    // The id's converter is on the type: plain System.Text.Json writes the EUI-64 too, never a number.
    [Fact]
    public void DeviceId_DefaultSerializer_Eui64StringBothWays()
    {
        var id = DeviceId.Parse("88-73-84-57-00-2F-96-1E");

        Assert.Equal("\"88-73-84-57-00-2F-96-1E\"", JsonSerializer.Serialize(id));
        Assert.Equal(id, JsonSerializer.Deserialize<DeviceId>("\"88-73-84-57-00-2f-96-1e\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DeviceId>("42"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DeviceId>("\"88-73\""));
    }

    // An enum is its name in the documented shape: a number is refused when evidence is read back.
    [Fact]
    public void Evidence_EnumAsNumber_Refused()
    {
        var json = JsonSerializer.Serialize(Removals()[0], RetentionJson.Options);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RemovalEvidence>(json.Replace("\"deviceType\":\"", "\"deviceType\":42,\"x\":\"", StringComparison.Ordinal).Replace(",\"x\":\"", ",\"ignored\":\"", StringComparison.Ordinal), RetentionJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<BoundaryMode>("1", RetentionJson.Options));
    }

    [Fact]
    public void JsonLinesWriter_OneObjectPerLine()
    {
        var removals = Removals();
        using var stream = new MemoryStream();
        using (var writer = new EvidenceJsonLinesWriter(stream, leaveOpen: true))
        {
            foreach (var evidence in removals)
            {
                writer.Write(evidence);
            }

            Assert.Equal(removals.Length, writer.Count);
        }

        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(removals, lines.Select(l => JsonSerializer.Deserialize<RemovalEvidence>(l, RetentionJson.Options)));
    }
}
