namespace Smi.Retention.Cli.Problems;

/// <summary>
/// A stable code for one class of failure: <c>SMI</c>, then the exit code it comes with, then a
/// number (<c>SMI2102</c>: exit 2, a policy problem). Listed in docs/tool.md with its meaning; a
/// code never changes meaning and is never reused.
/// </summary>
/// <param name="Id">The code, e.g. <c>SMI2102</c>.</param>
/// <param name="ExitCode">The exit code it comes with.</param>
/// <param name="Meaning">What it means, for the table in docs/tool.md.</param>
internal sealed record ProblemCode(string Id, int ExitCode, string Meaning);
