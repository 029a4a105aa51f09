using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Problems;

/// <summary>
/// A failure the tool reports and exits on: its message (standard error), its code (and so its exit
/// code), the places it concerns (a policy's or a tests file's problems, each at its line and
/// column), and facts a program may want (counts, limits). <see cref="CliContext.Guarded"/> writes
/// it as text, or as the <c>error</c> JSON document under <c>--format json</c>.
/// </summary>
internal class CliFailure(ProblemCode code, string message, IReadOnlyList<PolicyProblem>? places = null, IReadOnlyDictionary<string, decimal>? facts = null)
    : Exception(message)
{
    /// <summary>The class of failure, with its exit code.</summary>
    public ProblemCode Code { get; } = code;

    /// <summary>The problems at their places (empty when the failure has no place in a file).</summary>
    public IReadOnlyList<PolicyProblem> Places { get; } = places ?? [];

    /// <summary>Numbers the message states, by name (e.g. <c>removals</c>, <c>limit</c>).</summary>
    public IReadOnlyDictionary<string, decimal> Facts { get; } = facts ?? new Dictionary<string, decimal>();
}
