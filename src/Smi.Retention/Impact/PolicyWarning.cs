namespace Smi.Retention.Impact;

/// <summary>Something in a valid policy that is probably not what its author meant.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Rule">The rule concerned, if one.</param>
/// <param name="Message">What looks wrong and what to do about it.</param>
public sealed record PolicyWarning(string Policy, string? Rule, string Message)
{
    /// <summary>The warning as one line.</summary>
    /// <returns>For example <c>warning: policy 'p', rule 'r': ...</c>.</returns>
    public override string ToString() => Rule is null ? $"warning: policy '{Policy}': {Message}" : $"warning: policy '{Policy}', rule '{Rule}': {Message}";
}
