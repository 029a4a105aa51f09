namespace Smi.Retention.Rules;

/// <summary>
/// The rule language: every member an expression may name after <c>device.</c>, each defined once
/// here. A new member is an entry in <see cref="Members"/> and the C# member of the same name in
/// <see cref="DeviceFacts"/> (which RulesEngine runs, and which the differential tests hold to
/// this meaning); every reader of the language asks this list.
/// </summary>
internal static class Vocabulary
{
    /// <summary><c>device.Type</c>, compared with device type names.</summary>
    public static readonly VocabularyMember Type = new()
    {
        Name = nameof(DeviceFacts.Type),
        Shape = MemberShape.Compared,
        Argument = ArgumentKind.DeviceType,
        Reads = DeviceFactKinds.Type,
        Holds = static (device, type, _) => (int)device.Type == type,
        Words = static type => "type is " + ArgumentKind.DeviceType.Format(type),
        Meaning = "the device type: " + string.Join(", ", ArgumentKind.DeviceType.Names!) + "; compare with ==, != or in (\"CHF\", \"GPF\")",
        Example = "device.Type == \"CHF\"",
    };

    /// <summary><c>device.Status</c>, compared with status names.</summary>
    public static readonly VocabularyMember Status = new()
    {
        Name = nameof(DeviceFacts.Status),
        Shape = MemberShape.Compared,
        Argument = ArgumentKind.Status,
        Reads = DeviceFactKinds.Status,
        Holds = static (device, status, _) => (int)device.Status == status,
        Words = static status => "status is " + ArgumentKind.Status.Format(status),
        Meaning = "the current SMI status: " + string.Join(", ", ArgumentKind.Status.Names!),
        Example = "device.Status == \"Pending\"",
    };

    /// <summary><c>device.IsCommunicationsHub</c>: a CHF or a GPF.</summary>
    public static readonly VocabularyMember IsCommunicationsHub = new()
    {
        Name = nameof(DeviceFacts.IsCommunicationsHub),
        Shape = MemberShape.Flag,
        Reads = DeviceFactKinds.Type,
        Holds = static (device, _, _) => device.Type.IsCommunicationsHub(),
        Words = static _ => "is a Communications Hub (CHF or GPF)",
        Meaning = "the device is a CHF or a GPF, the two halves of a Communications Hub",
        Example = "device.IsCommunicationsHub",
    };

    /// <summary><c>device.HeldFor("P12M")</c>: the current status has been held for the period.</summary>
    public static readonly VocabularyMember HeldFor = new()
    {
        Name = nameof(DeviceFacts.HeldFor),
        Shape = MemberShape.Call,
        Argument = ArgumentKind.Period,
        Reads = DeviceFactKinds.None,
        Holds = static (_, _, elapsed) => elapsed,
        Words = static months => "status held for " + ArgumentKind.Period.Format(months),
        Meaning = "the current status has been held for the period on the as-of date (the legal calendar)",
        Example = "device.HeldFor(\"P12M\")",
    };

    /// <summary><c>device.PendingFor("P36M")</c>: Pending, and for the period.</summary>
    public static readonly VocabularyMember PendingFor = new()
    {
        Name = nameof(DeviceFacts.PendingFor),
        Shape = MemberShape.Call,
        Argument = ArgumentKind.Period,
        Reads = DeviceFactKinds.Status,
        Holds = static (device, _, elapsed) => device.Status == SmiStatus.Pending && elapsed,
        Words = static months => "pending for " + ArgumentKind.Period.Format(months),
        Meaning = "the device is Pending and has been for the period",
        Example = "device.PendingFor(\"P36M\")",
    };

    /// <summary><c>device.HeldBefore("Commissioned")</c>: the status is among those held before.</summary>
    public static readonly VocabularyMember HeldBefore = new()
    {
        Name = nameof(DeviceFacts.HeldBefore),
        Shape = MemberShape.Call,
        Argument = ArgumentKind.Status,
        Reads = DeviceFactKinds.Prior,
        Holds = static (device, status, _) => device.Prior.Contains((SmiStatus)status),
        Words = static status => "held " + ArgumentKind.Status.Format(status) + " before",
        Meaning = "the device held that status before its current status run",
        Example = "device.HeldBefore(\"Commissioned\")",
    };

    /// <summary><c>device.HeldBeforeOtherThan("Pending")</c>: some other status was held before.</summary>
    public static readonly VocabularyMember HeldBeforeOtherThan = new()
    {
        Name = nameof(DeviceFacts.HeldBeforeOtherThan),
        Shape = MemberShape.Call,
        Argument = ArgumentKind.Status,
        Reads = DeviceFactKinds.Prior,
        Holds = static (device, status, _) => device.Prior.ContainsOtherThan((SmiStatus)status),
        Words = static status => "held a status other than " + ArgumentKind.Status.Format(status) + " before",
        Meaning = "the device held some status other than that one before its current status run",
        Example = "device.HeldBeforeOtherThan(\"Pending\")",
    };

    /// <summary>Every member, in the order documentation lists them.</summary>
    public static readonly IReadOnlyList<VocabularyMember> Members = [Type, Status, IsCommunicationsHub, HeldFor, PendingFor, HeldBefore, HeldBeforeOtherThan];

    /// <summary>The facts type's members that hold dates, which a rule may not use: dates enter only through periods.</summary>
    public static readonly IReadOnlyList<string> DateMembers = [nameof(DeviceFacts.Since), nameof(DeviceFacts.AsOf), nameof(DeviceFacts.Boundary)];

    /// <summary>The operators and keywords that combine members, as listed to authors.</summary>
    public const string Operators = "==, !=, in, &&, ||, ! and ? :";

    /// <summary>The one-sentence summary every message about the language ends with.</summary>
    public static readonly string Summary =
        "A rule may use " + string.Join(", ", Members.Take(Members.Count - 1).Select(m => m.Signature)) + " and " + Members[^1].Signature + ", with " + Operators + ".";

    /// <summary>The member called <paramref name="name"/> (exact case), or null.</summary>
    public static VocabularyMember? Find(string name)
    {
        foreach (var member in Members)
        {
            if (member.Name == name)
            {
                return member;
            }
        }

        return null;
    }
}
