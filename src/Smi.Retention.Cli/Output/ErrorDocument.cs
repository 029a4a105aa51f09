using Smi.Retention.Cli.Problems;
using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// The <c>error</c> document (schemas/output/error.schema.json): what any command writes to standard
/// output under <c>--format json</c> when it fails, so a program always gets one JSON document.
/// </summary>
internal static class ErrorDocument
{
    /// <summary>Writes the document: the command, exit code, message, each problem with its code (at its place when it has one), the facts, and the outputs written before the failure.</summary>
    public static void Write(
        TextWriter output, string command, ProblemCode code, string message, IReadOnlyList<PolicyProblem> places,
        IReadOnlyDictionary<string, decimal>? facts, IReadOnlyList<Written> written)
    {
        using var report = JsonReport.Start(output, "error");
        var json = report.Writer;
        json.WriteString("command", command);
        json.WriteNumber("exitCode", code.ExitCode);
        json.WriteString("code", code.Id);
        json.WriteString("message", message);
        if (places.Count > 0)
        {
            JsonReport.Problems(json, places, code);
        }
        else
        {
            JsonReport.Problems(json, [new PolicyProblem("", 0, 0, null, message)], code);
        }

        json.WriteStartObject("facts");
        foreach (var (name, value) in facts ?? new Dictionary<string, decimal>())
        {
            json.WriteNumber(name, value);
        }

        json.WriteEndObject();
        json.WriteStartArray("written");
        foreach (var done in written)
        {
            json.WriteStartObject();
            json.WriteString("option", done.Option);
            json.WriteString("path", done.Destination);
            json.WriteBoolean("complete", done.Reached is null);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
