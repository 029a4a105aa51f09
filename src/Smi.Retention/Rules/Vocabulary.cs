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
        Holds = static (device, test, _) => (int)device.Type == test.Argument,
        Words = static test => "type is " + test.Literal,
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
        Holds = static (device, test, _) => (int)device.Status == test.Argument,
        Words = static test => "status is " + test.Literal,
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
        Words = static test => "status held for " + test.Literal,
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
        Words = static test => "pending for " + test.Literal,
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
        Holds = static (device, test, _) => device.Prior.Contains((SmiStatus)test.Argument),
        Words = static test => "held " + test.Literal + " before",
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
        Holds = static (device, test, _) => device.Prior.ContainsOtherThan((SmiStatus)test.Argument),
        Words = static test => "held a status other than " + test.Literal + " before",
        Meaning = "the device held some status other than that one before its current status run",
        Example = "device.HeldBeforeOtherThan(\"Pending\")",
    };

    /// <summary><c>device.Generation</c>, compared with SMETS1 or SMETS2; a device without one is never decided by a rule that needs it.</summary>
    public static readonly VocabularyMember Generation = new()
    {
        Name = nameof(DeviceFacts.Generation),
        Shape = MemberShape.Compared,
        Argument = ArgumentKind.Generation,
        Reads = DeviceFactKinds.Generation,
        Holds = static (device, test, _) => (int)device.Generation == test.Argument,
        Words = static test => "generation is " + test.Literal,
        Meaning = "the SMETS generation, SMETS1 or SMETS2 (the inventory's smets_generation); compare with ==, != or in; a device without one is Undetermined wherever the decision needs it",
        Example = "device.Generation == \"SMETS2\"",
    };

    /// <summary><c>device.Model</c>, compared with device models exactly as the SMI names them.</summary>
    public static readonly VocabularyMember Model = new()
    {
        Name = nameof(DeviceFacts.Model),
        Shape = MemberShape.Compared,
        Argument = ArgumentKind.Model,
        Reads = DeviceFactKinds.Model,
        Holds = static (device, test, _) => string.Equals(device.Model, test.Text, StringComparison.Ordinal),
        Words = static test => "model is " + test.Literal,
        Meaning = "the device model as the SMI names it (the inventory's device_model), compared exactly, in its case; compare with ==, != or in; a device without one is Undetermined wherever the decision needs it",
        Example = "device.Model in (\"E470-5394\", \"AclaraSGM1411\")",
    };

    /// <summary>Every member, in the order documentation lists them.</summary>
    public static readonly IReadOnlyList<VocabularyMember> Members = [Type, Status, IsCommunicationsHub, HeldFor, PendingFor, HeldBefore, HeldBeforeOtherThan, Generation, Model];

    /// <summary>The facts a record may lack, each with the member that reads it and the inventory column that gives it.</summary>
    public static readonly IReadOnlyList<(DeviceFactKinds Fact, VocabularyMember Member, string Column)> Optional =
    [
        (DeviceFactKinds.Generation, Generation, Inventory.InventoryColumns.SmetsGeneration),
        (DeviceFactKinds.Model, Model, Inventory.InventoryColumns.DeviceModel),
    ];

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
