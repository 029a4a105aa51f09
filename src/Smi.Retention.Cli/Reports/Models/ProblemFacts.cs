using Smi.Retention.Cli.Problems;
using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary>A problem with its stable code, at its place when it has one (source, line and column null when not).</summary>
/// <param name="Code">The problem code (SMI...).</param>
/// <param name="Source">The file, or null.</param>
/// <param name="Line">The 1-based line, or null.</param>
/// <param name="Column">The 1-based column, or null.</param>
/// <param name="Rule">The rule it is about, or null.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
internal sealed record ProblemFacts(string Code, string? Source, int? Line, int? Column, string? Rule, string Message)
{
    /// <summary>The facts of <paramref name="problem"/> under <paramref name="code"/>; a problem with no place (source "" and line 0) has null ones.</summary>
    public static ProblemFacts Of(PolicyProblem problem, ProblemCode code) =>
        problem is { Source: "", Line: 0 }
            ? new(code.Id, null, null, null, problem.Rule, problem.Message)
            : new(code.Id, problem.Source, problem.Line, problem.Column, problem.Rule, problem.Message);
}
