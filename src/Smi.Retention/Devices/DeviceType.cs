namespace Smi.Retention;

/// <summary>
/// The kinds of device held in the Smart Metering Inventory. The type cannot be derived from the
/// device's EUI-64; it is recorded with the device.
/// </summary>
/// <remarks>
/// Values start at 1 so that an uninitialised record (<c>default</c>) carries no valid type and is
/// never mistaken for a real device: the evaluator reports it as undetermined.
/// </remarks>
public enum DeviceType : byte
{
    /// <summary>Electricity Smart Metering Equipment (an electricity meter).</summary>
    ESME = 1,

    /// <summary>Gas Smart Metering Equipment (a gas meter).</summary>
    GSME = 2,

    /// <summary>Communications Hub Function: one half of a Communications Hub.</summary>
    CHF = 3,

    /// <summary>Gas Proxy Function: the other half of a Communications Hub.</summary>
    GPF = 4,

    /// <summary>Pre-Payment Meter Interface Device (Type 1).</summary>
    PPMID = 5,

    /// <summary>Home Area Network Connected Auxiliary Load Control Switch (Type 1).</summary>
    HCALCS = 6,

    /// <summary>In-Home Display (Type 2: it has no SMI status).</summary>
    IHD = 7,

    /// <summary>Consumer Access Device (Type 2: it has no SMI status).</summary>
    CAD = 8,
}
