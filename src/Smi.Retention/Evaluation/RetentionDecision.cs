using NodaTime;
using Smi.Retention.Policies;

namespace Smi.Retention.Evaluation;

/// <summary>
/// What a policy decides for one device on one date: the action, the rule that decided it, the due
/// date, and the alert to send. An uninitialised decision is <see cref="RetentionAction.Undetermined"/>,
/// never a removal.
/// </summary>
/// <remarks>
/// 16 bytes, so a batch of decisions costs two thirds of the memory traffic of the records it
/// decides: one reference holds the rule, the rule with its alert (made once per rule when the
/// policy is compiled), or the problem, as a decision has at most one of an alert and a problem.
/// </remarks>
public readonly struct RetentionDecision : IEquatable<RetentionDecision>
{
    private readonly object? _reason; // RetentionRule, AlertedRemoval or the problem (string)
    private readonly LocalDate _due;
    private readonly RetentionAction _action;
    private readonly bool _hasDue;

    private RetentionDecision(RetentionAction action, object? reason, LocalDate? due)
    {
        _action = action;
        _reason = reason;
        _hasDue = due.HasValue;
        _due = due.GetValueOrDefault();
    }

    /// <summary>Remove, Retain, or Undetermined (which is never a removal).</summary>
    public RetentionAction Action => _action;

    /// <summary>The rule that matched, or null when no rule matched (retained by default) or the decision is undetermined.</summary>
    public RetentionRule? Rule => _reason as RetentionRule ?? (_reason as AlertedRemoval)?.Rule;

    /// <summary>
    /// The earliest date on which the policy removes the device if nothing about it changes: for a
    /// removal, the first day of the uninterrupted run of days up to the as-of date on which it was
    /// removable; otherwise the first later date it will be, or null if never.
    /// </summary>
    public LocalDate? DueDate => _hasDue ? _due : null;

    /// <summary>
    /// What the decision's rule, alert and problem are read from: the rule, the rule with its alert
    /// (one instance per rule and alert), the problem's text, or null. Two decisions of one action
    /// with the same reference have the same rule and alert.
    /// </summary>
    internal object? Reason => _reason;

    /// <summary>The alert to send for a removal (e.g. <c>N8</c>), or null.</summary>
    public string? Alert => _action == RetentionAction.Remove ? (_reason as AlertedRemoval)?.Alert : null;

    /// <summary>Why the decision is undetermined, or null when it is not.</summary>
    public string? Problem => _action == RetentionAction.Undetermined ? _reason as string ?? "The decision was never made." : null;

    /// <summary>Whether the device is to be removed.</summary>
    public bool IsRemoval => _action == RetentionAction.Remove;

    private RetentionDecision(RetentionAction action)
    {
        _action = action;
    }

    /// <summary>
    /// Retained by no rule, with no due date: the decision of most devices, made without a
    /// <see cref="Nullable{T}"/> due date, which the JIT kept in memory at each store (a store more per device).
    /// </summary>
    internal static RetentionDecision RetainedByNoRule => new(RetentionAction.Retain);

    /// <summary>A decision that sends no alert.</summary>
    internal static RetentionDecision Decided(RetentionAction action, RetentionRule? rule, LocalDate? due) => new(action, rule, due);

    /// <summary>A removal: <paramref name="reason"/> is the rule, or the rule with its alert (<see cref="CompiledVersion.RemovalBy"/>).</summary>
    internal static RetentionDecision Removed(object reason, LocalDate due) => new(RetentionAction.Remove, reason, due);

    internal static RetentionDecision Undetermined(string problem) => new(RetentionAction.Undetermined, problem, null);

    /// <inheritdoc />
    public bool Equals(RetentionDecision other) =>
        _action == other._action && ReferenceEquals(Rule, other.Rule) && DueDate == other.DueDate
        && string.Equals(Alert, other.Alert, StringComparison.Ordinal) && string.Equals(Problem, other.Problem, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RetentionDecision other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_action, Rule, DueDate, Alert, Problem);

    /// <summary>Whether two decisions are the same.</summary>
    /// <param name="left">The first decision.</param>
    /// <param name="right">The second decision.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(RetentionDecision left, RetentionDecision right) => left.Equals(right);

    /// <summary>Whether two decisions differ.</summary>
    /// <param name="left">The first decision.</param>
    /// <param name="right">The second decision.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(RetentionDecision left, RetentionDecision right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString()
    {
        var due = DueDate is { } d ? " due " + NodaTime.Text.LocalDatePattern.Iso.Format(d) : "";
        return _action switch
        {
            RetentionAction.Undetermined => "Undetermined: " + Problem,
            _ => $"{_action} by {(Rule?.Name ?? "default")}{due}{(Alert is { } a ? " alert " + a : "")}",
        };
    }
}

/// <summary>A Remove rule with the alert it sends for one kind of device; one per rule and kind, made when the policy is compiled.</summary>
internal sealed class AlertedRemoval(RetentionRule rule, string alert)
{
    public RetentionRule Rule { get; } = rule;

    public string Alert { get; } = alert;
}
