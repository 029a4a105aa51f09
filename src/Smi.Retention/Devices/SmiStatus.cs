namespace Smi.Retention;

/// <summary>The SMI status of a device (SEC Appendix AC).</summary>
/// <remarks>
/// Values start at 1 so that an uninitialised record carries no valid status. They also index
/// the bits of <see cref="SmiStatusSet"/>, so they must stay below 16.
/// </remarks>
public enum SmiStatus : byte
{
    /// <summary>Added to the inventory and not yet installed; the status AC 7.2 housekeeps.</summary>
    Pending = 1,

    /// <summary>Whitelisted on a Communications Hub.</summary>
    Whitelisted = 2,

    /// <summary>Installed but not yet commissioned.</summary>
    InstalledNotCommissioned = 3,

    /// <summary>Installed and communicating through the DCC: in service.</summary>
    Commissioned = 4,

    /// <summary>Taken out of service.</summary>
    Decommissioned = 5,

    /// <summary>Withdrawn from the DCC's service.</summary>
    Withdrawn = 6,

    /// <summary>Suspended; on leaving suspension it returns to the status it held before (AC 7.3).</summary>
    Suspended = 7,

    /// <summary>Subject to the DCC's recovery procedure.</summary>
    Recovery = 8,

    /// <summary>Recovered by the DCC's recovery procedure.</summary>
    Recovered = 9,

    /// <summary>No SMI status: the status of Type 2 devices (IHD, CAD).</summary>
    NotApplicable = 10,
}
