using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Smi.Retention.Cli.Reports;

namespace Smi.Retention.Tests.Reports;

/// <summary>
/// Each JSON document the tool writes from a report model has a schema in schemas/output/ that names
/// exactly the model's fields, at every level: the schema is derived from the model
/// (<see cref="JsonSchemaExporter"/>) and compared with the hand-written one, so a field added to,
/// renamed in or dropped from either fails here (besides <c>kind</c>, <c>version</c> and <c>notices</c>,
/// which the renderer gives every document); and every schema is a model's.
/// </summary>
public class ReportSchemaTests
{
    public static TheoryData<string> Kinds() => [.. Models().Select(m => m.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_NamesExactlyTheModelsFields(string kind)
    {
        var (type, options) = Models().Single(m => m.Kind == kind).Model;
        var derived = JsonSchemaExporter.GetJsonSchemaAsNode(options, type);
        var written = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root(), "schemas", "output", kind + ".schema.json")))!;
        var differences = new List<string>();

        Compare(derived, derived, written, written, "$", differences, root: kind != "evidence");

        Assert.Empty(differences);
    }

    [Fact]
    public void EverySchema_IsAModels()
    {
        var schemas = Directory.GetFiles(Path.Combine(Repository.Root(), "schemas", "output"), "*.schema.json")
            .Select(f => Path.GetFileName(f)[..^".schema.json".Length]).Order(StringComparer.Ordinal);

        Assert.Equal(schemas, Models().Select(m => m.Kind).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<(string Kind, (Type, JsonSerializerOptions) Model)> Models()
    {
        foreach (var type in typeof(ICommandReport).Assembly.GetTypes().Where(t => t.IsClass && typeof(ICommandReport).IsAssignableFrom(t)))
        {
            yield return ((string)type.GetProperty("Kind", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!, (type, ReportJson.Options));
        }

        // run --evidence's lines: the library's public model, written with its own options.
        yield return ("evidence", (typeof(Smi.Retention.Evaluation.RemovalEvidence), RetentionJson.Options));
    }

    private static void Compare(JsonNode derived, JsonNode derivedRoot, JsonNode written, JsonNode writtenRoot, string path, List<string> differences, bool root = false)
    {
        var (modelFields, modelItems) = Shape(derived, derivedRoot);
        var (schemaFields, schemaItems) = Shape(written, writtenRoot);
        if (modelFields is not null)
        {
            var expected = modelFields.Select(p => p.Key).Concat(root ? ["kind", "version", "notices"] : []).Order(StringComparer.Ordinal).ToList();
            var actual = schemaFields?.Select(p => p.Key).Order(StringComparer.Ordinal).ToList() ?? [];
            differences.AddRange(expected.Except(actual).Select(name => $"{path}.{name}: in the model, not in the schema"));
            differences.AddRange(actual.Except(expected).Select(name => $"{path}.{name}: in the schema, not in the model"));
            foreach (var (name, field) in modelFields)
            {
                if (schemaFields?[name] is { } other)
                {
                    Compare(field!, derivedRoot, other, writtenRoot, $"{path}.{name}", differences);
                }
            }
        }
        else if (modelItems is not null && schemaItems is not null)
        {
            Compare(modelItems, derivedRoot, schemaItems, writtenRoot, path + "[]", differences);
        }
    }

    /// <summary>An object's fields, or an array's items, through $ref and a nullable anyOf.</summary>
    private static (JsonObject? Fields, JsonNode? Items) Shape(JsonNode schema, JsonNode root)
    {
        if (schema is not JsonObject node)
        {
            return (null, null);
        }

        if (node["$ref"]?.GetValue<string>() is { } reference)
        {
            var at = root;
            foreach (var part in reference.TrimStart('#', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                at = at![part];
            }

            return Shape(at!, root);
        }

        foreach (var choice in new[] { "anyOf", "oneOf" })
        {
            if (node[choice] is JsonArray alternatives)
            {
                foreach (var alternative in alternatives)
                {
                    if (Shape(alternative!, root) is { } shape && (shape.Fields is not null || shape.Items is not null))
                    {
                        return shape;
                    }
                }
            }
        }

        return (node["properties"] as JsonObject, node["items"]);
    }
}
