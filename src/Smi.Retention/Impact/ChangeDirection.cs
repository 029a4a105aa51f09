namespace Smi.Retention.Impact;

/// <summary>How a device's action changes from the compared policy to the proposed one.</summary>
public enum ChangeDirection
{
    /// <summary>Removed under the proposed policy, not under the one compared.</summary>
    NewlyRemoved,

    /// <summary>Removed under the one compared, kept under the proposed policy.</summary>
    NewlyRetained,

    /// <summary>Any other change (to or from Undetermined).</summary>
    Other,
}
