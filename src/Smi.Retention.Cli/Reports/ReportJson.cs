using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Smi.Retention.Cli.Output;

namespace Smi.Retention.Cli.Reports;

/// <summary>
/// The JSON renderer of every <see cref="ICommandReport"/>: <c>kind</c> and <c>version</c>, then the
/// model's properties in their order, then the command's <c>notices</c>, camelCase, enums by name, dates as ISO strings, absent values
/// <c>null</c> (<see cref="RetentionJson"/>), indented, quotes and <c>&amp;&amp;</c> as written.
/// </summary>
internal static class ReportJson
{
    /// <summary>The options every document is written with.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Writes <paramref name="report"/> as one document, with a final newline; last, the command's <paramref name="notices"/> (<see cref="CliContext.Notice"/>).</summary>
    public static void Write<T>(TextWriter output, T report, IReadOnlyList<string> notices)
        where T : ICommandReport
    {
        var document = new JsonObject { ["kind"] = T.Kind, ["version"] = JsonReport.Version };
        var shape = (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
        foreach (var (name, value) in JsonSerializer.SerializeToNode(report, shape)!.AsObject().ToArray())
        {
            document[name] = value?.DeepClone();
        }

        document["notices"] = new JsonArray([.. notices.Select(n => (JsonNode?)JsonValue.Create(n))]);

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
        options.TypeInfoResolver = ReportJsonContext.Default; // generated: no reflection, the same under Native AOT
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>The generated descriptions of every command's report (<see cref="ReportJson.Options"/> binds them to the library's converters).</summary>
[JsonSerializable(typeof(Models.DiffTotals))]
[JsonSerializable(typeof(Models.ErrorReport))]
[JsonSerializable(typeof(Models.ExplainReport))]
[JsonSerializable(typeof(Models.ForecastTable))]
[JsonSerializable(typeof(Models.RunReport))]
[JsonSerializable(typeof(Models.StockTable))]
[JsonSerializable(typeof(Models.SubsetReport))]
[JsonSerializable(typeof(Models.SymbolicDiffReport))]
[JsonSerializable(typeof(Models.TestReport))]
[JsonSerializable(typeof(Models.ValidateReport))]
[JsonSerializable(typeof(Models.DiffTotals.RowCounts), TypeInfoPropertyName = "DiffRowCounts")] // nested types of one name, told apart
[JsonSerializable(typeof(Models.ForecastTable.RowCounts), TypeInfoPropertyName = "ForecastRowCounts")]
[JsonSerializable(typeof(Models.ForecastTable.Band), TypeInfoPropertyName = "ForecastBand")]
[JsonSerializable(typeof(Models.RunReport.RowCounts), TypeInfoPropertyName = "RunRowCounts")]
[JsonSerializable(typeof(Models.StockTable.RowCounts), TypeInfoPropertyName = "StockRowCounts")]
[JsonSerializable(typeof(Models.StockTable.Band), TypeInfoPropertyName = "StockBand")]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
