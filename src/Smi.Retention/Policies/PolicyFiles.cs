using Smi.Retention.Files;

namespace Smi.Retention.Policies;

/// <summary>
/// Reads policy and timeline files as untrusted input: only regular files (a named pipe would hang
/// the load, <c>/dev/zero</c> would fill the memory), at most <see cref="PolicyLimits.MaxFileBytes"/>,
/// checked again on the open handle so a file swapped in between is noticed; and resolves a
/// timeline's references only to built-ins and real files under the timeline's own folder.
/// </summary>
internal static class PolicyFiles
{
    /// <summary>A test's hook, run between a policy file's check by path and its opening (to swap the file there, deterministically).</summary>
    internal static AsyncLocal<Action<string>?> BetweenCheckAndOpen { get; } = new();

    /// <summary>The bytes of a policy file.</summary>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">It is not a regular file, is too large, or cannot be read; the message says which.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    /// <param name="path">The file.</param>
    /// <param name="notFoundMessage">What to say when nothing is there.</param>
    /// <param name="followLinks">False to refuse a symbolic link at the last step, even one swapped in after the path was checked.</param>
    public static byte[] Read(string path, string notFoundMessage, bool followLinks = true)
    {
        try
        {
            return ReadChecked(path, notFoundMessage, followLinks);
        }
        catch (IOException e) when (e is not (PolicyFileException or FileNotFoundException))
        {
            // The operating system's own words (a /proc file that refuses reads, a disk error), with the path.
            throw new PolicyFileException(Messages.PolicyFileUnreadable(path, e.Message));
        }
    }

    private static byte[] ReadChecked(string path, string notFoundMessage, bool followLinks)
    {
        var before = FileFacts.Of(path, followLinks);
        if (!before.Exists)
        {
            throw new FileNotFoundException(notFoundMessage, path);
        }

        Check(path, before);
        BetweenCheckAndOpen.Value?.Invoke(path);

        // Opened without waiting: a path swapped for a named pipe since it was examined is refused
        // by its handle below, not waited on.
        using var file = SafeOpen.Read(path, out var opened, followLinks);
        if (!opened.IsSameFileAs(before))
        {
            throw new PolicyFileException(Messages.PolicyFileChanged(path));
        }

        Check(path, opened);

        // Read one byte past the limit: a file that grew since it was examined is still refused.
        var buffer = new byte[Math.Min(opened.Size, PolicyLimits.MaxFileBytes) + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = file.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (length == buffer.Length && length <= PolicyLimits.MaxFileBytes)
            {
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, PolicyLimits.MaxFileBytes + 1));
            }
        }

        if (length > PolicyLimits.MaxFileBytes)
        {
            throw new PolicyFileException(Messages.PolicyFileTooLarge(path, Math.Max(length, opened.Size)));
        }

        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>
    /// The path of a timeline's reference: relative, without <c>..</c>, under <paramref name="folder"/>,
    /// through real folders to a regular file (no symbolic link anywhere below the folder).
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="IOException">The reference leaves the folder or passes through a link; the message says so.</exception>
    public static string Confined(string folder, string reference, string notFoundMessage)
    {
        var parts = reference.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        if (reference.Any(char.IsControl) || Path.IsPathRooted(reference) || reference.Contains(':', StringComparison.Ordinal) || parts.Length == 0 || parts.Any(p => p is ".." or "~"))
        {
            throw new PolicyFileException(Messages.TimelineReferenceOutside(reference));
        }

        var path = folder;
        foreach (var part in parts.Where(p => p != "."))
        {
            path = Path.Combine(path, part);
            var facts = FileFacts.Of(path, followLinks: false);
            if (facts.Kind == FileKind.SymbolicLink)
            {
                throw new PolicyFileException(Messages.TimelineReferenceLink(reference, part));
            }

            if (!facts.Exists)
            {
                throw new FileNotFoundException(notFoundMessage, path);
            }
        }

        var full = Path.GetFullPath(path);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
            ? full
            : throw new PolicyFileException(Messages.TimelineReferenceOutside(reference));
    }

    private static void Check(string path, FileFacts facts)
    {
        if (facts.Kind != FileKind.Regular)
        {
            throw new PolicyFileException(Messages.PolicyNotRegularFile(path, facts.Described));
        }

        if (facts.Size > PolicyLimits.MaxFileBytes)
        {
            throw new PolicyFileException(Messages.PolicyFileTooLarge(path, facts.Size));
        }
    }
}
