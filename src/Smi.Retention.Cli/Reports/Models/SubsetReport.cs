using System.Text.Json.Serialization;
using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary><c>subset</c>'s result: whether every removal by the candidate is a removal by the reference, on any date, and a counterexample when not.</summary>
/// <param name="Candidate">The policy that must remove only what the reference removes.</param>
/// <param name="Reference">The policy it is checked against.</param>
/// <param name="Boundary">The boundary mode both were decided with.</param>
/// <param name="IsSubset">The answer.</param>
/// <param name="Counterexample">A device and date the candidate removes and the reference does not, or null.</param>
internal sealed record SubsetReport(PolicyRef Candidate, PolicyRef Reference, BoundaryMode Boundary, bool IsSubset, SubsetReport.Example? Counterexample)
    : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "subset";

    /// <summary>The answer in words, as the library words it.</summary>
    [JsonIgnore]
    public string Answer { get; init; } = "";

    /// <summary>Builds the report of <paramref name="answer"/>.</summary>
    public static SubsetReport Of(CompiledPolicy candidate, CompiledPolicy reference, SubsetResult answer) =>
        new(PolicyRef.Of(candidate), PolicyRef.Of(reference), candidate.Boundary, answer.IsSubset,
            answer.Counterexample is { } e ? new Example(DeviceFacts.Of(e.Device), e.AsOf, DecisionFacts.Of(e.CandidateDecision), DecisionFacts.Of(e.ReferenceDecision)) : null)
        {
            Answer = answer.ToString(),
        };

    /// <inheritdoc/>
    public void WriteText(TextWriter output) => output.WriteLine(Answer);

    /// <summary>A device and date on which the two policies disagree about a removal.</summary>
    /// <param name="Device">The device.</param>
    /// <param name="AsOf">The date.</param>
    /// <param name="CandidateDecision">What the candidate decides.</param>
    /// <param name="ReferenceDecision">What the reference decides.</param>
    internal sealed record Example(DeviceFacts Device, LocalDate AsOf, DecisionFacts CandidateDecision, DecisionFacts ReferenceDecision);
}
