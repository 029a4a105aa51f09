using NodaTime;

namespace Smi.Retention;

/// <summary>
/// What a policy decides for one device on one date: the action, the rule that decided it, the due
/// date, and the alert to send. An uninitialised decision is <see cref="RetentionAction.Undetermined"/>,
/// never a removal.
/// </summary>
/// <remarks>24 bytes: the alert and the problem share one field, as a decision has at most one of them.</remarks>
public readonly struct RetentionDecision : IEquatable<RetentionDecision>
{
    private readonly RetentionRule? _rule;
    private readonly string? _text;
    private readonly LocalDate _due;
    private readonly RetentionAction _action;
    private readonly bool _hasDue;

    private RetentionDecision(RetentionAction action, RetentionRule? rule, LocalDate? due, string? text)
    {
        _action = action;
        _rule = rule;
        _hasDue = due.HasValue;
        _due = due.GetValueOrDefault();
        _text = text;
    }

    /// <summary>Remove, Retain, or Undetermined (which is never a removal).</summary>
    public RetentionAction Action => _action;

    /// <summary>The rule that matched, or null when no rule matched (retained by default) or the decision is undetermined.</summary>
    public RetentionRule? Rule => _rule;

    /// <summary>
    /// The earliest date on which the policy removes the device if nothing about it changes: for a
    /// removal, the first day of the uninterrupted run of days up to the as-of date on which it was
    /// removable; otherwise the first later date it will be, or null if never.
    /// </summary>
    public LocalDate? DueDate => _hasDue ? _due : null;

    /// <summary>The alert to send for a removal (e.g. <c>N8</c>), or null.</summary>
    public string? Alert => _action == RetentionAction.Remove ? _text : null;

    /// <summary>Why the decision is undetermined, or null when it is not.</summary>
    public string? Problem => _action == RetentionAction.Undetermined ? _text ?? "The decision was never made." : null;

    /// <summary>Whether the device is to be removed.</summary>
    public bool IsRemoval => _action == RetentionAction.Remove;

    internal static RetentionDecision Decided(RetentionAction action, RetentionRule? rule, LocalDate? due, string? alert) =>
        new(action, rule, due, alert);

    internal static RetentionDecision Undetermined(string problem) => new(RetentionAction.Undetermined, null, null, problem);

    /// <inheritdoc />
    public bool Equals(RetentionDecision other) =>
        _action == other._action && ReferenceEquals(_rule, other._rule) && DueDate == other.DueDate && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RetentionDecision other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_action, _rule, DueDate, _text);

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
            _ => $"{_action} by {(_rule?.Name ?? "default")}{due}{(Alert is { } a ? " alert " + a : "")}",
        };
    }
}
