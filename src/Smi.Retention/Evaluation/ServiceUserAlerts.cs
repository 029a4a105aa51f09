namespace Smi.Retention.Evaluation;

/// <summary>The alerts one Service User must receive.</summary>
/// <param name="ServiceUser">The notifying Service User, or null for the alerts of devices with none recorded (which cannot be sent until one is).</param>
/// <param name="Alerts">The removals, each with its alert, in inventory order.</param>
public sealed record ServiceUserAlerts(string? ServiceUser, IReadOnlyList<RemovalEvidence> Alerts);
