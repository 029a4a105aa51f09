using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Smi.Retention.Cli.Output;

namespace Smi.Retention.Cli.Reports;

/// <summary>
/// The JSON renderer of every <see cref="ICommandReport"/>: <c>kind</c> and <c>version</c>, then the
/// model's properties in their order, camelCase, enums by name, dates as ISO strings, absent values
/// <c>null</c> (<see cref="RetentionJson"/>), indented, quotes and <c>&amp;&amp;</c> as written.
/// </summary>
internal static class ReportJson
{
    /// <summary>The options every document is written with.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Writes <paramref name="report"/> as one document, with a final newline.</summary>
    public static void Write<T>(TextWriter output, T report)
        where T : ICommandReport
    {
        var document = new JsonObject { ["kind"] = T.Kind, ["version"] = JsonReport.Version };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(report, Options)!.AsObject().ToArray())
        {
            document[name] = value?.DeepClone();
        }

        output.Write(document.ToJsonString(Options));
        output.WriteLine();
    }

    private static JsonSerializerOptions Create()
    {
        var options = RetentionJson.Configure(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
        });
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
