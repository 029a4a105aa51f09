using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Evaluation;
using Smi.Retention.Policies;
using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// The tool's machine-readable output (<c>--format json</c>): one JSON document per command, its
/// shape given by <c>schemas/output/&lt;command&gt;.schema.json</c> and named in the document
/// (<c>"kind"</c> and <c>"version"</c>; a version changes only when a field changes meaning or goes).
/// Dates are ISO strings (yyyy-MM-dd), device ids EUI-64 strings, absent values null.
/// </summary>
internal sealed class JsonReport : IDisposable
{
    /// <summary>The version of every shape below; schemas/output/*.schema.json say the same.</summary>
    public const int Version = 1;

    private readonly MemoryStream _buffer = new();
    private readonly TextWriter _output;

    private JsonReport(TextWriter output, string kind)
    {
        _output = output;
        // Relaxed escaping: quotes and && as written (the documents are for programs and people, never embedded in HTML).
        Writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Writer.WriteStartObject();
        Writer.WriteString("kind", kind);
        Writer.WriteNumber("version", Version);
    }

    /// <summary>The writer, inside the document's object.</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>Starts the document of <paramref name="kind"/> (the command's name).</summary>
    public static JsonReport Start(TextWriter output, string kind) => new(output, kind);

    /// <summary>Whether <c>--format</c> asks for JSON: <c>text</c> (the default) or <c>json</c>.</summary>
    public static bool IsJson(string? format) => format?.Trim().ToUpperInvariant() switch
    {
        null or "TEXT" => false,
        "JSON" => true,
        _ => throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadFormat(format)),
    };

    /// <summary>Ends the document and writes it, with a final newline.</summary>
    public void Dispose()
    {
        Writer.WriteEndObject();
        Writer.Flush();
        _output.Write(Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length));
        _output.WriteLine();
        Writer.Dispose();
        _buffer.Dispose();
    }

    public static void Date(Utf8JsonWriter json, string name, LocalDate? date)
    {
        if (date is { } d)
        {
            json.WriteString(name, LocalDatePattern.Iso.Format(d));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    public static void Policy(Utf8JsonWriter json, string name, CompiledPolicy policy) => Policy(json, name, policy.Timeline);

    public static void Policy(Utf8JsonWriter json, string name, RetentionTimeline timeline)
    {
        json.WriteStartObject(name);
        json.WriteString("name", timeline.Name);
        json.WriteString("sha256", timeline.ContentHash);
        json.WriteEndObject();
    }

    public static void Device(Utf8JsonWriter json, string name, DeviceRecord device)
    {
        json.WriteStartObject(name);
        json.WriteString("id", device.Id.ToString());
        json.WriteString("type", device.Type.ToString());
        json.WriteString("status", device.Status.ToString());
        Date(json, "since", device.StatusSince);
        Strings(json, "prior", SmiStatuses.All.ToArray().Where(device.PriorStatuses.Contains).Select(s => s.ToString()));
        json.WriteEndObject();
    }

    public static void Decision(Utf8JsonWriter json, string name, RetentionDecision decision)
    {
        json.WriteStartObject(name);
        json.WriteString("action", decision.Action.ToString());
        json.WriteString("rule", decision.Rule?.Name);
        Date(json, "dueDate", decision.DueDate);
        json.WriteString("alert", decision.Alert);
        json.WriteString("problem", decision.Problem);
        json.WriteEndObject();
    }

    /// <summary>Rows read, and how they split: read = <paramref name="usedName"/> + rejected.</summary>
    public static void Rows(Utf8JsonWriter json, long read, string usedName, long used, long rejected)
    {
        json.WriteStartObject("rows");
        json.WriteNumber("read", read);
        json.WriteNumber(usedName, used);
        json.WriteNumber("rejected", rejected);
        json.WriteEndObject();
    }

    /// <summary>A count for every device type, by name.</summary>
    public static void ByType(Utf8JsonWriter json, string name, Func<DeviceType, long> count, IEnumerable<DeviceType>? types = null)
    {
        json.WriteStartObject(name);
        foreach (var type in types ?? DeviceTypes.All.ToArray())
        {
            json.WriteNumber(type.ToString(), count(type));
        }

        json.WriteEndObject();
    }

    /// <summary>An array of strings (facts, failures, periods, reasons).</summary>
    public static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>Lint warnings, each placed as a problem is, with the policy it is about.</summary>
    public static void Warnings(Utf8JsonWriter json, IEnumerable<Impact.PolicyWarning> warnings)
    {
        json.WriteStartArray("warnings");
        foreach (var warning in warnings)
        {
            json.WriteStartObject();
            json.WriteString("code", Cli.Problems.ProblemCodes.PolicyWarning.Id);
            json.WriteString("source", warning.Source);
            json.WriteNumber("line", warning.Line);
            json.WriteNumber("column", warning.Column);
            json.WriteString("policy", warning.Policy);
            json.WriteString("rule", warning.Rule);
            json.WriteString("message", warning.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Problems, each with its code and its place (source "" and line 0 when it has none).</summary>
    public static void Problems(Utf8JsonWriter json, IEnumerable<PolicyProblem> problems, Problems.ProblemCode code)
    {
        json.WriteStartArray("problems");
        foreach (var problem in problems)
        {
            json.WriteStartObject();
            json.WriteString("code", code.Id);
            if (problem is { Source: "", Line: 0 })
            {
                json.WriteNull("source");
                json.WriteNull("line");
                json.WriteNull("column");
            }
            else
            {
                json.WriteString("source", problem.Source);
                json.WriteNumber("line", problem.Line);
                json.WriteNumber("column", problem.Column);
            }

            json.WriteString("rule", problem.Rule);
            json.WriteString("message", problem.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
