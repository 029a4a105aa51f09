using System.Globalization;

namespace Smi.Retention.Impact;

/// <summary>Something in a valid policy that is probably not what its author meant.</summary>
/// <param name="Policy">The policy's name.</param>
/// <param name="Rule">The rule concerned, if one.</param>
/// <param name="Message">What looks wrong and what to do about it.</param>
public sealed record PolicyWarning(string Policy, string? Rule, string Message)
{
    /// <summary>The file or built-in name the policy was read from; empty when not known.</summary>
    public string Source { get; init; } = "";

    /// <summary>The line (1-based) of the rule concerned, or of the policy for a warning about the whole policy; 0 when not known.</summary>
    public int Line { get; init; }

    /// <summary>The column (1-based) of that line; 0 when not known.</summary>
    public int Column { get; init; }

    /// <summary>The warning as one line, placed as a compiler places it.</summary>
    /// <returns>For example <c>my-policy.json(12,5): warning: policy 'p', rule 'r': ...</c>.</returns>
    public override string ToString()
    {
        var place = Source.Length == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{Source}({Line},{Column}): ");
        return Rule is null ? $"{place}warning: policy '{Policy}': {Message}" : $"{place}warning: policy '{Policy}', rule '{Rule}': {Message}";
    }
}
