namespace Smi.Retention.Rules;

/// <summary>
/// A rule's condition in the canonical, engine-neutral form: the finite vocabulary of
/// <see cref="DeviceFacts"/> combined with boolean logic. Built from a validated expression.
/// </summary>
internal abstract record Condition
{
    public static readonly Condition True = new ConstantCondition(true);
    public static readonly Condition False = new ConstantCondition(false);
}

internal sealed record ConstantCondition(bool Value) : Condition;

internal sealed record TypeIs(DeviceType Type) : Condition;

internal sealed record StatusIs(SmiStatus Status) : Condition;

/// <summary>The current status has been held for the period: the only way a date enters a rule.</summary>
internal sealed record HeldFor(RetentionPeriod Period) : Condition;

internal sealed record HeldBefore(SmiStatus Status) : Condition;

internal sealed record HeldBeforeOtherThan(SmiStatus Status) : Condition;

internal sealed record NotCondition(Condition Operand) : Condition;

internal sealed record AndCondition(Condition Left, Condition Right) : Condition;

internal sealed record OrCondition(Condition Left, Condition Right) : Condition;

internal sealed record IfCondition(Condition Test, Condition Then, Condition Else) : Condition;
