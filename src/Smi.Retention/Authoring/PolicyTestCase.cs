using NodaTime;

namespace Smi.Retention.Authoring;

/// <summary>
/// One named case of a policy tests file: a device on a date, and what the policy must decide for
/// it. The action is always checked; the rule, due date and alert only when the case states them
/// (a stated null means "none").
/// </summary>
public sealed record PolicyTestCase
{
    /// <summary>The case's name, unique in its file.</summary>
    public required string Name { get; init; }

    /// <summary>Where the case starts in its file (1-based).</summary>
    public int Line { get; init; }

    /// <summary>The column of <see cref="Line"/> (1-based).</summary>
    public int Column { get; init; }

    /// <summary>The device (its id is all zeros: a case describes a kind of device, not one in an inventory).</summary>
    public required DeviceRecord Device { get; init; }

    /// <summary>The London date of the decision.</summary>
    public required LocalDate AsOf { get; init; }

    /// <summary>The boundary mode of the case, or null for the file's.</summary>
    public BoundaryMode? Boundary { get; init; }

    /// <summary>The action the policy must decide.</summary>
    public required RetentionAction ExpectedAction { get; init; }

    /// <summary>Whether the case states the deciding rule (<see cref="ExpectedRule"/>, null for "no rule").</summary>
    public bool ChecksRule { get; init; }

    /// <summary>The deciding rule's name the case expects, when <see cref="ChecksRule"/>.</summary>
    public string? ExpectedRule { get; init; }

    /// <summary>Whether the case states the due date (<see cref="ExpectedDueDate"/>, null for "none").</summary>
    public bool ChecksDueDate { get; init; }

    /// <summary>The due date the case expects, when <see cref="ChecksDueDate"/>.</summary>
    public LocalDate? ExpectedDueDate { get; init; }

    /// <summary>Whether the case states the alert (<see cref="ExpectedAlert"/>, null for "none").</summary>
    public bool ChecksAlert { get; init; }

    /// <summary>The alert the case expects, when <see cref="ChecksAlert"/>.</summary>
    public string? ExpectedAlert { get; init; }
}
