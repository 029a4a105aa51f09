using Smi.Retention.Evaluation;

namespace Smi.Retention.Impact;

/// <summary>One device whose action differs between two policies.</summary>
/// <param name="Device">The device.</param>
/// <param name="Against">Its decision under the policy compared with.</param>
/// <param name="Proposed">Its decision under the proposed policy.</param>
public sealed record DeviceChange(DeviceRecord Device, RetentionDecision Against, RetentionDecision Proposed)
{
    /// <summary>Newly removed, newly retained, or another change.</summary>
    public ChangeDirection Direction => DirectionOf(Against, Proposed);

    /// <summary>The direction of a change from <paramref name="against"/> to <paramref name="proposed"/>.</summary>
    internal static ChangeDirection DirectionOf(in RetentionDecision against, in RetentionDecision proposed) => DirectionOf(against.Action, proposed.Action);

    /// <summary>The direction of a change from the action <paramref name="against"/> to <paramref name="proposed"/> (the workbench keeps the actions alone).</summary>
    internal static ChangeDirection DirectionOf(RetentionAction against, RetentionAction proposed) =>
        proposed == RetentionAction.Remove && against == RetentionAction.Retain ? ChangeDirection.NewlyRemoved
        : against == RetentionAction.Remove && proposed == RetentionAction.Retain ? ChangeDirection.NewlyRetained
        : ChangeDirection.Other;
}
