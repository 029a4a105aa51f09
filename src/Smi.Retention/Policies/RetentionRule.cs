using Smi.Retention.Rules;

namespace Smi.Retention.Policies;

/// <summary>One validated rule of a <see cref="RetentionPolicy"/>: a condition and the action taken when it matches.</summary>
public sealed class RetentionRule
{
    /// <summary>The alert a Remove rule sends for a device other than a Communications Hub unless it says otherwise.</summary>
    public const string DefaultAlert = "N8";

    internal RetentionRule(
        int index, string name, string expression, RetentionAction action, bool enabled,
        string? alert, bool alertSet, string? hubAlert, string? description, Condition condition)
    {
        Index = index;
        Name = name;
        Expression = expression;
        Action = action;
        Enabled = enabled;
        OwnAlert = action == RetentionAction.Remove ? alert : null;
        HasOwnAlert = alertSet;
        HubAlert = hubAlert;
        Description = description;
        Condition = condition;
    }

    /// <summary>The rule's position in its policy file, from 0.</summary>
    public int Index { get; }

    /// <summary>The rule's name (<c>RuleName</c>), unique within its policy.</summary>
    public string Name { get; }

    /// <summary>The condition as written (<c>Expression</c>), e.g. <c>device.PendingFor("P36M")</c>.</summary>
    public string Expression { get; }

    /// <summary>The action when the condition matches (<c>SuccessEvent</c>): <see cref="RetentionAction.Remove"/> or <see cref="RetentionAction.Retain"/>.</summary>
    public RetentionAction Action { get; }

    /// <summary>Whether the rule takes part (<c>Enabled</c>); disabled rules are validated but never match.</summary>
    public bool Enabled { get; }

    /// <summary>
    /// The alert the rule sets itself (<c>Properties.Alert</c>) for a device other than a Communications
    /// Hub, when <see cref="HasOwnAlert"/>; otherwise the configured default applies, so ask
    /// <see cref="AlertFor"/> (or read <see cref="Evaluation.RetentionDecision.Alert"/>) for the alert actually sent.
    /// </summary>
    internal string? OwnAlert { get; }

    /// <summary>Whether the rule sets its alert itself (<c>Properties.Alert</c>, possibly null for none) rather than taking the configured default.</summary>
    public bool HasOwnAlert { get; }

    /// <summary>The alert sent when this rule removes a CHF or GPF (default none: the CSP notifies those).</summary>
    public string? HubAlert { get; }

    /// <summary>What the rule is for, from <c>Properties.Description</c>.</summary>
    public string? Description { get; }

    internal Condition Condition { get; }

    /// <summary>Where the rule's object starts in its file (1-based), for warnings.</summary>
    internal (int Line, int Column) Position { get; init; }

    /// <summary>The alert for a device of <paramref name="type"/> removed by this rule.</summary>
    /// <param name="type">The removed device's type.</param>
    /// <param name="defaultAlert">The alert when the rule sets none of its own: the compiled policy's <see cref="Evaluation.CompiledPolicy.DefaultAlert"/> (<see cref="DefaultAlert"/> unless configured).</param>
    /// <returns>The alert code, or null for none.</returns>
    public string? AlertFor(DeviceType type, string? defaultAlert) =>
        Action != RetentionAction.Remove ? null
        : type.IsCommunicationsHub() ? HubAlert
        : HasOwnAlert ? OwnAlert : defaultAlert;

    /// <inheritdoc />
    public override string ToString() => Name;
}
