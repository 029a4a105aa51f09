namespace Smi.Retention.Rules;

/// <summary>
/// One member of the rule language, defined once: its name and how it is written, the kind of its
/// argument, which facts it reads, what it means over a device's facts, the words an explanation
/// uses for it, and the text documentation and editors show. The reader, the decision table,
/// explanations, lint, the schemas' name lists and the authoring page's table (docs/authoring.md) all come from these entries
/// (<see cref="Vocabulary"/>).
/// </summary>
internal sealed class VocabularyMember
{
    /// <summary>The member's name after <c>device.</c>, exact in case.</summary>
    public required string Name { get; init; }

    /// <summary>How it is written: a flag, a value compared with names, or a call.</summary>
    public required MemberShape Shape { get; init; }

    /// <summary>What its literal names (compared values and calls); null for a flag.</summary>
    public ArgumentKind? Argument { get; init; }

    /// <summary>Which facts of the device it reads besides dates; a member with a period argument also reads whether the period has elapsed.</summary>
    public required DeviceFactKinds Reads { get; init; }

    /// <summary>
    /// What it means: whether it holds for a device in <c>state</c> (which has every fact the member
    /// reads), for one test of the member (its literal's <see cref="MemberTest.Argument"/> or
    /// <see cref="MemberTest.Text"/>) and, for a member with a period, <c>elapsed</c>: whether the
    /// current status has been held for that period on the as-of date.
    /// </summary>
    public required Func<DeviceState, MemberTest, bool, bool> Holds { get; init; }

    /// <summary>The words an explanation uses for one test of the member: "type is CHF".</summary>
    public required Func<MemberTest, string> Words { get; init; }

    /// <summary>What it means, for people: the authoring page's table, the schema and the workbench's completion.</summary>
    public required string Meaning { get; init; }

    /// <summary>The member written as in a rule, with an example argument: <c>device.PendingFor("P36M")</c>.</summary>
    public required string Example { get; init; }

    /// <summary>How lists of the vocabulary name it: <c>device.Type</c>, <c>device.PendingFor("P36M")</c>.</summary>
    public string Signature => Shape == MemberShape.Call ? Example : "device." + Name;

    /// <summary>Whether the member depends on dates: its argument is a period.</summary>
    public bool DependsOnDates => Argument == ArgumentKind.Period;

    /// <inheritdoc />
    public override string ToString() => Name;
}
