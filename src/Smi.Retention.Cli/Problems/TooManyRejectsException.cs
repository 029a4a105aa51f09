namespace Smi.Retention.Cli.Problems;

/// <summary>More rows were rejected than <c>--max-reject-percent</c> allows (or repeated devices cannot be rejected): exit 4 with this message.</summary>
internal sealed class TooManyRejectsException(ProblemCode code, string message, IReadOnlyDictionary<string, decimal>? facts = null)
    : CliFailure(code, message, facts: facts)
{
    /// <summary>The numbers of a refusal for too many rejects, for the JSON document.</summary>
    public static Dictionary<string, decimal> RejectFacts(long rejected, long read, decimal maxRejectPercent) =>
        new() { ["rejected"] = rejected, ["read"] = read, ["maxRejectPercent"] = maxRejectPercent };
}
