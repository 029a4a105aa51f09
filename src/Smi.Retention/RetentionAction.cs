namespace Smi.Retention;

/// <summary>What a rule does to a device, and what a decision says.</summary>
/// <remarks><see cref="Undetermined"/> is zero, so an uninitialised decision is never a removal.</remarks>
public enum RetentionAction : byte
{
    /// <summary>The decision could not be made (bad data or an evaluation error); never a removal.</summary>
    Undetermined = 0,

    /// <summary>Keep the device in the inventory.</summary>
    Retain = 1,

    /// <summary>Remove the device from the inventory.</summary>
    Remove = 2,
}
