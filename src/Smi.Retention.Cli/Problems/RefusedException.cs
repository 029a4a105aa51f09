namespace Smi.Retention.Cli.Problems;

/// <summary>The blast-radius guard refused the run: exit 3 with this message, nothing written.</summary>
internal sealed class RefusedException(string message, IReadOnlyDictionary<string, decimal> facts)
    : CliFailure(ProblemCodes.TooManyRemovals, message, facts: facts);
