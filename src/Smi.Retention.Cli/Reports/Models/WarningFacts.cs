using Smi.Retention.Cli.Problems;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary>A lint warning, placed as a problem is, with the policy it is about.</summary>
/// <param name="Code">Always the warning code (SMI1002).</param>
/// <param name="Source">The file.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
/// <param name="Policy">The policy (a timeline's version) it is about.</param>
/// <param name="Rule">The rule it is about, or null.</param>
/// <param name="Message">What the warning says.</param>
internal sealed record WarningFacts(string Code, string Source, int Line, int Column, string Policy, string? Rule, string Message)
{
    /// <summary>The warning as the text shows it, worded once by the library.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Shown { get; init; } = "";

    /// <summary>The facts of <paramref name="warning"/>.</summary>
    public static WarningFacts Of(PolicyWarning warning) =>
        new(ProblemCodes.PolicyWarning.Id, warning.Source, warning.Line, warning.Column, warning.Policy, warning.Rule, warning.Message) { Shown = warning.ToString() };
}
