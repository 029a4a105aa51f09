namespace Smi.Retention.Rules;

/// <summary>
/// A rule's condition in the canonical, engine-neutral form: tests of the <see cref="Vocabulary"/>'s
/// members combined with boolean logic. Built by <see cref="ExpressionParser"/> from a rule's text.
/// </summary>
internal abstract record Condition
{
    public static readonly Condition True = new ConstantCondition(true);
    public static readonly Condition False = new ConstantCondition(false);
}

internal sealed record ConstantCondition(bool Value) : Condition;

/// <summary>One use of a vocabulary member: <c>device.Type == "CHF"</c> is the member Type with the argument CHF.</summary>
/// <param name="Member">The member.</param>
/// <param name="Argument">Its literal's value: an enum value, a period's months, or 0 for a flag or a text literal.</param>
/// <param name="Text">The literal itself, for a member compared with text (a device model); null otherwise.</param>
internal sealed record MemberTest(VocabularyMember Member, int Argument, string? Text = null) : Condition
{
    /// <summary>The period the test waits for, when its member takes one: the only way a date enters a rule.</summary>
    public RetentionPeriod? Period => Member.DependsOnDates ? RetentionPeriod.FromMonths(Argument) : null;

    /// <summary>Whether the test holds for a device in <paramref name="state"/>, given whether its period (if any) has elapsed.</summary>
    /// <remarks>The state must have every fact the member reads (<see cref="DeviceState.Lacks"/>): a missing one is decided before a test is asked.</remarks>
    public bool Holds(DeviceState state, bool elapsed) => Member.Holds(state, this, elapsed);

    /// <summary>The literal as a rule writes it: <c>CHF</c>, <c>P36M</c>, a model.</summary>
    public string Literal => Text ?? Member.Argument?.Format(Argument) ?? "";

    /// <summary>The explanation's words for the test: "type is CHF".</summary>
    public string Words => Member.Words(this);

    /// <inheritdoc />
    public override string ToString() => Member.Argument is not null ? $"{Member.Name}({Literal})" : Member.Name;
}

internal sealed record NotCondition(Condition Operand) : Condition;

internal sealed record AndCondition(Condition Left, Condition Right) : Condition;

internal sealed record OrCondition(Condition Left, Condition Right) : Condition;

internal sealed record IfCondition(Condition Test, Condition Then, Condition Else) : Condition;
