namespace Smi.Retention;

/// <summary>
/// The SMETS generation of a device, as the Smart Metering Inventory records it: the first
/// (SMETS1, enrolled and adopted) or the second (SMETS2) specification. <see cref="Unknown"/> when
/// the inventory does not say; a rule that needs the generation never decides such a device.
/// </summary>
public enum SmetsGeneration : byte
{
    /// <summary>Not recorded: the inventory has no <c>smets_generation</c> column, or the value is empty.</summary>
    Unknown = 0,

    /// <summary>A SMETS1 device.</summary>
    SMETS1 = 1,

    /// <summary>A SMETS2 device.</summary>
    SMETS2 = 2,
}
