using NodaTime;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary>A decision as a report shows it.</summary>
/// <param name="Action">Remove, Retain or Undetermined.</param>
/// <param name="Rule">The deciding rule, or null when none matched.</param>
/// <param name="DueDate">When it is (or was) removable, or null.</param>
/// <param name="Alert">The alert to send, or null.</param>
/// <param name="Problem">Why it could not be decided, or null.</param>
internal sealed record DecisionFacts(RetentionAction Action, string? Rule, LocalDate? DueDate, string? Alert, string? Problem)
{
    /// <summary>The facts of <paramref name="decision"/>.</summary>
    public static DecisionFacts Of(RetentionDecision decision) =>
        new(decision.Action, decision.Rule?.Name, decision.DueDate, decision.Alert, decision.Problem);
}
