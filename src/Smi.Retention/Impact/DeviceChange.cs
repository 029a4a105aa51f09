using Smi.Retention.Evaluation;

namespace Smi.Retention.Impact;

/// <summary>One device whose action differs between two policies.</summary>
/// <param name="Device">The device.</param>
/// <param name="Against">Its decision under the policy compared with.</param>
/// <param name="Proposed">Its decision under the proposed policy.</param>
public sealed record DeviceChange(DeviceRecord Device, RetentionDecision Against, RetentionDecision Proposed)
{
    /// <summary>Newly removed, newly retained, or another change.</summary>
    public ChangeDirection Direction =>
        Proposed.IsRemoval && Against.Action == RetentionAction.Retain ? ChangeDirection.NewlyRemoved
        : Against.IsRemoval && Proposed.Action == RetentionAction.Retain ? ChangeDirection.NewlyRetained
        : ChangeDirection.Other;
}
