using System.Globalization;
using Smi.Retention.Files;

namespace Smi.Retention.Policies;

/// <summary>
/// Every path one load of a policy looks at (a file read, one looked for and not there, where a file
/// would make a built-in name ambiguous), each with what it led to when first looked at, whether the
/// load succeeds or not: the one record of a load's paths. A host watches them after the load, and
/// its checks start from what they were at the look, so that a change made after it (while the load
/// went on, or after it ended) is a change to load again for, never the state the checks start from.
/// <see cref="PolicyCatalog"/> notes each look on the record of the flow it runs on (<see cref="During{T}"/>).
/// </summary>
internal sealed class ExaminedPaths
{
    private static readonly AsyncLocal<ExaminedPaths?> Recording = new();
    private readonly Lock _lock = new();
    private readonly List<string> _paths = [];
    private readonly System.Text.StringBuilder _seen = new();

    /// <summary>Runs <paramref name="load"/> with its looks noted here (a load on another flow is not).</summary>
    /// <typeparam name="T">What the load gives.</typeparam>
    /// <param name="load">The load.</param>
    /// <returns>What it gave.</returns>
    public T During<T>(Func<T> load)
    {
        var outer = Recording.Value;
        Recording.Value = this;
        try
        {
            return load();
        }
        finally
        {
            Recording.Value = outer;
        }
    }

    /// <summary>Notes a look at <paramref name="path"/>, before it is read, on the record of this flow, if any (a path looked at twice keeps its first look).</summary>
    /// <param name="path">The path, as the load looks for it.</param>
    internal static void Look(string path)
    {
        if (Recording.Value is not { } record)
        {
            return;
        }

        var now = Describe(path);
        lock (record._lock)
        {
            if (!record._paths.Contains(path, StringComparer.Ordinal))
            {
                record._paths.Add(path);
                record._seen.Append(now);
            }
        }
    }

    /// <summary>The paths looked at, in the order of their first looks.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_lock)
            {
                return [.. _paths];
            }
        }
    }

    /// <summary>What <see cref="Paths"/> led to when looked at, as <see cref="Now"/> tells it.</summary>
    public string Seen
    {
        get
        {
            lock (_lock)
            {
                return _seen.ToString();
            }
        }
    }

    /// <summary>Whether any path leads to something else now than at its look.</summary>
    public bool Changed()
    {
        string[] paths;
        string seen;
        lock (_lock)
        {
            paths = [.. _paths];
            seen = _seen.ToString();
        }

        return Now(paths) != seen;
    }

    /// <summary>
    /// What each path leads to now, links followed: its kind, identity (device, inode, birth time),
    /// size, modification and change times (an edit that keeps the size and puts the modification
    /// time back still changes the last), or why it cannot be told.
    /// </summary>
    /// <param name="paths">The paths.</param>
    /// <returns>One line a path.</returns>
    public static string Now(IReadOnlyList<string> paths) => string.Concat(paths.Select(Describe));

    private static string Describe(string path)
    {
        try
        {
            var facts = FileFacts.Of(RealPaths.Full(path));
            return string.Create(CultureInfo.InvariantCulture, $"{facts.Kind}|{facts.Identity}|{facts.Size}|{facts.Modified}|{facts.Changed}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return "unreadable|" + e.Message + "\n";
        }
    }
}
