using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Smi.Retention.Evaluation;

/// <summary>
/// The audit record of one removal, fit for a regulator's question "why was this device removed?":
/// the device, the rule and the policy text (by hash) that removed it, and the dates involved.
/// </summary>
public sealed record RemovalEvidence
{
    /// <summary>The audit record of a removal decided by <paramref name="evaluator"/>.</summary>
    /// <param name="evaluator">The evaluator that decided it.</param>
    /// <param name="device">The removed device.</param>
    /// <param name="decision">Its decision, from <see cref="PolicyEvaluator.Evaluate(in DeviceRecord)"/>.</param>
    /// <returns>The evidence: device, rule, policy and hash, dates, alert.</returns>
    /// <exception cref="ArgumentException">The decision is not a removal, or not the evaluator's decision for the device.</exception>
    public static RemovalEvidence Of(PolicyEvaluator evaluator, in DeviceRecord device, RetentionDecision decision)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        if (!decision.IsRemoval || decision.Rule is null)
        {
            throw new ArgumentException(Messages.EvidenceNotRemoval(decision.Action), nameof(decision));
        }

        // Evidence is a claim that this policy removed this device on this date: it is made only for
        // the evaluator's own decision, so it can never name a rule or a policy that did not remove it.
        if (evaluator.Evaluate(device) != decision)
        {
            throw new ArgumentException(Messages.EvidenceNotTheDecision(device.Id, evaluator.Policy.Name), nameof(decision));
        }

        return new RemovalEvidence
        {
            DeviceId = device.Id,
            DeviceType = device.Type,
            Generation = device.Generation == SmetsGeneration.Unknown ? null : device.Generation,
            Model = device.Model,
            NotifyingParty = device.NotifyingParty,
            Rule = decision.Rule.Name,
            Expression = decision.Rule.Expression,
            PolicyName = evaluator.Policy.Name,
            PolicyHash = evaluator.Policy.ContentHash,
            PolicyInForce = evaluator.PolicyInForce.Name,
            StatusSince = device.StatusSince,
            DueDate = decision.DueDate,
            AsOf = evaluator.AsOf,
            Boundary = evaluator.Policy.Boundary,
            Alert = decision.Alert,
        };
    }

    /// <summary>The removed device.</summary>
    public required DeviceId DeviceId { get; init; }

    /// <summary>Its type.</summary>
    public required DeviceType DeviceType { get; init; }

    /// <summary>Its SMETS generation, if recorded.</summary>
    public SmetsGeneration? Generation { get; init; }

    /// <summary>Its device model, if recorded.</summary>
    public string? Model { get; init; }

    /// <summary>The Service User to notify, if recorded.</summary>
    public string? NotifyingParty { get; init; }

    /// <summary>The rule that removed it.</summary>
    public required string Rule { get; init; }

    /// <summary>The rule's condition as written.</summary>
    public required string Expression { get; init; }

    /// <summary>The policy (or timeline) run.</summary>
    public required string PolicyName { get; init; }

    /// <summary>The SHA-256 of the policy text run, lower-case hex.</summary>
    public required string PolicyHash { get; init; }

    /// <summary>The policy version in force on the as-of date (the policy itself unless a timeline).</summary>
    public required string PolicyInForce { get; init; }

    /// <summary>The date its current status applied from.</summary>
    public required LocalDate StatusSince { get; init; }

    /// <summary>The date from which it was removable.</summary>
    public LocalDate? DueDate { get; init; }

    /// <summary>The date of the run.</summary>
    public required LocalDate AsOf { get; init; }

    /// <summary>How the period's end was counted.</summary>
    public required BoundaryMode Boundary { get; init; }

    /// <summary>The alert to send, if any.</summary>
    public string? Alert { get; init; }

    /// <summary>The evidence as one sentence.</summary>
    /// <returns>The sentence.</returns>
    public override string ToString()
    {
        var date = LocalDatePattern.Iso;
        var due = DueDate is { } d ? ", removable since " + date.Format(d) : "";
        var alert = Alert is null ? "no alert" : "alert " + Alert + (NotifyingParty is null ? "" : " to " + NotifyingParty);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{DeviceId} ({DeviceType}) removed as of {date.Format(AsOf)} by rule '{Rule}' [{Expression}] of {PolicyInForce} in {PolicyName} (sha256 {PolicyHash}): status since {date.Format(StatusSince)}{due} ({Boundary}); {alert}.");
    }
}
