using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Problems;

/// <summary>A problem with what the user gave (arguments, files): exit 2 with this message and its code.</summary>
internal sealed class UsageException(ProblemCode code, string message, IReadOnlyList<PolicyProblem>? places = null)
    : CliFailure(code, message, places);
