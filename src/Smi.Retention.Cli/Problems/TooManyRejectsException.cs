namespace Smi.Retention.Cli.Problems;

/// <summary>More rows were rejected than <c>--max-reject-percent</c> allows (or repeated devices cannot be rejected): exit 4 with this message.</summary>
internal sealed class TooManyRejectsException(ProblemCode code, string message, IReadOnlyDictionary<string, decimal>? facts = null)
    : CliFailure(code, message, facts: facts);
