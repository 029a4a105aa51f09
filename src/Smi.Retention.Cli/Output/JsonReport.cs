using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// The tool's machine-readable output (<c>--format json</c>): one JSON document per command, written
/// from the command's report model (<see cref="Reports.ReportJson"/>), its shape given by
/// <c>schemas/output/&lt;kind&gt;.schema.json</c> and named in the document (<c>"kind"</c> and
/// <c>"version"</c>; a version changes only when a field changes meaning or goes).
/// </summary>
internal static class JsonReport
{
    /// <summary>The version of every shape; schemas/output/*.schema.json say the same.</summary>
    public const int Version = 1;

    /// <summary>Whether <c>--format</c> asks for JSON: <c>text</c> (the default) or <c>json</c>.</summary>
    public static bool IsJson(string? format) => format?.Trim().ToUpperInvariant() switch
    {
        null or "TEXT" => false,
        "JSON" => true,
        _ => throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadFormat(format)),
    };
}
