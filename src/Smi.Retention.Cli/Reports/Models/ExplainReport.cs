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
internal sealed record ExplainReport(
    PolicyRef Policy, string PolicyInForce, LocalDate AsOf, BoundaryMode Boundary, DeviceFacts Device, DecisionFacts Decision, IReadOnlyList<ExplainReport.RuleTrace> Rules)
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
            [.. explanation.Rules.Select(t => new RuleTrace(t.Rule.Name, t.Rule.Action, t.Rule.Expression, t.Rule.Enabled, t.Matched, t.Facts))])
        {
            Explanation = explanation.ToString(),
        };
    }

    /// <inheritdoc/>
    public void WriteText(TextWriter output) => output.Write(Explanation);

    /// <summary>A rule as the explanation traces it.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="Action">Remove or Retain.</param>
    /// <param name="Expression">Its expression, as written.</param>
    /// <param name="Enabled">Whether it is tried.</param>
    /// <param name="Matched">Whether it matched the device.</param>
    /// <param name="Facts">Each test it made, with the dates involved.</param>
    internal sealed record RuleTrace(string Name, RetentionAction Action, string Expression, bool Enabled, bool Matched, IReadOnlyList<string> Facts);
}
