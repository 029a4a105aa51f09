using Smi.Retention.Evaluation;
using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary>A policy as a report names it: its name and the SHA-256 of its text.</summary>
/// <param name="Name">The policy's or timeline's name.</param>
/// <param name="Sha256">The hash of its text (and of the files its timeline refers to).</param>
internal sealed record PolicyRef(string Name, string Sha256)
{
    /// <summary>The reference to a loaded timeline.</summary>
    public static PolicyRef Of(RetentionTimeline timeline) => new(timeline.Name, timeline.ContentHash);

    /// <summary>The reference to a compiled policy.</summary>
    public static PolicyRef Of(CompiledPolicy policy) => Of(policy.Timeline);
}
