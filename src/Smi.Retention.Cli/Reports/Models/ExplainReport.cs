using NodaTime;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary><c>explain</c>'s result: one device's decision, and every rule in order with each test it made.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="PolicyInForce">The version in force on the as-of date.</param>
/// <param name="AsOf">The as-of date.</param>
/// <param name="Boundary">The boundary mode.</param>
/// <param name="Device">The device.</param>
/// <param name="Decision">The decision.</param>
/// <param name="Rules">Every rule of the version in force, in order.</param>
/// <param name="PossibleDevices">When the record lacks a fact a rule tests, each device it could be, with its decision; empty otherwise.</param>
/// <param name="RemovedWhateverItLacksOn">For an undetermined device that a later period or version removes whatever the fact it lacks, that date; null otherwise.</param>
internal sealed record ExplainReport(
    PolicyRef Policy, string PolicyInForce, LocalDate AsOf, BoundaryMode Boundary, DeviceFacts Device, DecisionFacts Decision, IReadOnlyList<ExplainReport.RuleTrace> Rules,
    IReadOnlyList<ExplainReport.Possible> PossibleDevices, LocalDate? RemovedWhateverItLacksOn)
    : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "explain";

    /// <summary>The explanation as the library words it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Explanation { get; init; } = "";

    /// <summary>The report of <paramref name="device"/> under <paramref name="evaluator"/>.</summary>
    public static ExplainReport Of(PolicyEvaluator evaluator, in DeviceRecord device)
    {
        var explanation = evaluator.Explain(device);
        return new(PolicyRef.Of(evaluator.Policy), evaluator.PolicyInForce.Name, evaluator.AsOf, evaluator.Policy.Boundary, DeviceFacts.Of(device), DecisionFacts.Of(explanation.Decision),
            [.. explanation.Rules.Select(t => new RuleTrace(t.Rule.Name, t.Rule.Action, t.Rule.Expression, t.Rule.Enabled, t.Matched, t.Facts))],
            [.. explanation.PossibleDevices.Select(p => new Possible(p.Device.Generation == SmetsGeneration.Unknown ? null : p.Device.Generation, p.Device.Model, DecisionFacts.Of(p.Decision)))],
            explanation.RemovedWhateverItLacksOn)
        {
            Explanation = explanation.ToString(),
        };
    }

    /// <inheritdoc/>
    public void WriteText(TextWriter output) => output.Write(Explanation);

    /// <summary>A device the record could be.</summary>
    /// <param name="Generation">Its generation (null where the record has none and no rule tests it).</param>
    /// <param name="Model">Its model ("another model" for one the rules do not name; null where the record has none and no rule tests it).</param>
    /// <param name="Decision">Its decision.</param>
    internal sealed record Possible(SmetsGeneration? Generation, string? Model, DecisionFacts Decision);

    /// <summary>A rule as the explanation traces it.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="Action">Remove or Retain.</param>
    /// <param name="Expression">Its expression, as written.</param>
    /// <param name="Enabled">Whether it is tried.</param>
    /// <param name="Matched">Whether it matched the device.</param>
    /// <param name="Facts">Each test it made, with the dates involved.</param>
    internal sealed record RuleTrace(string Name, RetentionAction Action, string Expression, bool Enabled, bool Matched, IReadOnlyList<string> Facts);
}
