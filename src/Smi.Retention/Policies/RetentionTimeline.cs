using NodaTime;

namespace Smi.Retention.Policies;

/// <summary>
/// Policies in force one after another: a decision as of a date uses the version in force on that
/// date. A single policy is a timeline of one version.
/// </summary>
public sealed class RetentionTimeline
{
    internal RetentionTimeline(string name, IReadOnlyList<PolicyVersion> versions, string contentHash)
    {
        Name = name;
        Versions = Array.AsReadOnly([.. versions]); // its own copy, which no caller can change by a cast
        ContentHash = contentHash;
    }

    /// <summary>The timeline's name (the policy's name for a single policy).</summary>
    public string Name { get; }

    /// <summary>The versions, earliest first; the first is in force from the beginning of time.</summary>
    public IReadOnlyList<PolicyVersion> Versions { get; }

    /// <summary>The SHA-256 identifying the timeline file and every policy in it, lower-case hex.</summary>
    public string ContentHash { get; }

    /// <summary>The files read to load it (the file itself, then the files its versions refer to); none for built-ins and text.</summary>
    internal IReadOnlyList<string> Files { get; private init; } = [];

    /// <summary>What the timeline is for, from its top-level <c>Description</c> (a single policy's own, for a timeline of one policy); null when it has none.</summary>
    public string? Description { get; internal init; }

    /// <summary>The same timeline, recording the files it was read from.</summary>
    internal RetentionTimeline WithFiles(IReadOnlyList<string> files) =>
        new(Name, Versions, ContentHash) { Files = [.. files], Description = Description };

    /// <summary>A timeline of one policy, in force at all dates.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The timeline.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public static RetentionTimeline Of(RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new RetentionTimeline(policy.Name, [new PolicyVersion(null, policy)], policy.ContentHash) { Description = policy.Description };
    }

    /// <summary>The index of the version in force on <paramref name="asOf"/>.</summary>
    /// <param name="asOf">The date of the decision.</param>
    /// <returns>The index into <see cref="Versions"/>.</returns>
    public int VersionIndexAt(LocalDate asOf)
    {
        var index = 0;
        for (var i = 1; i < Versions.Count; i++)
        {
            if (Versions[i].EffectiveFrom <= asOf)
            {
                index = i;
            }
        }

        return index;
    }

    /// <summary>The policy in force on <paramref name="asOf"/>.</summary>
    /// <param name="asOf">The date of the decision.</param>
    /// <returns>The policy.</returns>
    public RetentionPolicy PolicyAt(LocalDate asOf) => Versions[VersionIndexAt(asOf)].Policy;

    /// <inheritdoc />
    public override string ToString() => Name;
}
