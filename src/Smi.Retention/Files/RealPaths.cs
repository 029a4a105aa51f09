using System.Runtime.InteropServices;

namespace Smi.Retention.Files;

/// <summary>
/// Where a path leads as the kernel finds it. .NET's <see cref="Path.GetFullPath(string)"/> removes
/// <c>..</c> and <c>.</c> by their text, where the kernel follows each name in turn: <c>nosuch/../a</c>
/// is no path to the kernel, and <c>link/../a</c> is <c>a</c> in the folder above the link's
/// target. A file checked by one and written by the other is another file than the one checked.
/// </summary>
internal static class RealPaths
{
    /// <summary>
    /// Splits <paramref name="path"/> into its folder, every link and <c>..</c> resolved by the
    /// kernel (<c>realpath(3)</c>), and its last name as given.
    /// </summary>
    /// <param name="path">A path whose last name is a file's: not empty, not ending with a separator, and not <c>.</c> or <c>..</c> (the caller refuses those).</param>
    /// <returns>The folder's full real path, and the name; <c>Path.Join</c> of the two is where the kernel would put a file of that path.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist, or a name on the way is not a folder.</exception>
    /// <exception cref="IOException">The folder cannot be resolved (no permission on a folder above it, a loop of links).</exception>
    public static (string Folder, string Name) Split(string path)
    {
        var separator = LastSeparator(path);
        return (Folder(separator < 0 ? "." : separator == 0 ? "/" : path[..separator]), path[(separator + 1)..]);
    }

    /// <summary>
    /// The full path of <paramref name="path"/> with its folder as the kernel finds it (the file's own
    /// name, a link or not, as given): where a file read by that path was, for finding the files a
    /// timeline or a tests file names beside it. Where the folder cannot be resolved, the path as
    /// .NET reads it only when it has no <c>.</c> or <c>..</c> (the text then leads where the kernel
    /// goes); otherwise the failure, never the text's reading (a folder too long for realpath(3)
    /// made <c>lk/../t.json</c>'s references come from beside <c>lk</c>).
    /// </summary>
    /// <exception cref="IOException">The folder cannot be resolved and the path has <c>.</c> or <c>..</c> in it.</exception>
    public static string Full(string path)
    {
        try
        {
            var (folder, name) = Split(path);
            return name is "" or "." or ".." ? Path.GetFullPath(Path.Join(folder, name)) : Path.Join(folder, name);
        }
        catch (IOException) when (!path.Split('/').Any(part => part is "." or ".."))
        {
            return Path.GetFullPath(path);
        }
        catch (IOException e)
        {
            throw new IOException(Messages.FolderUnresolved(path, e.Message), e);
        }
    }

    /// <summary>
    /// Creates the folder of <paramref name="path"/> and those above it that are missing, each by its
    /// path as given (so the kernel follows links and <c>..</c> name by name, as it will when the file
    /// is written): .NET's <see cref="Directory.CreateDirectory(string)"/> reads the text first, and
    /// <c>lk/../new/j.xml</c> made <c>./new</c> beside the link, not beside its target.
    /// </summary>
    /// <exception cref="IOException">A folder cannot be made, or a name on the way is not a folder.</exception>
    /// <exception cref="UnauthorizedAccessException">A folder may not be made there.</exception>
    public static void CreateFolderOf(string path)
    {
        var separator = LastSeparator(path);
        if (separator <= 0)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path[..separator]);
            return;
        }

        // Those made here are removed again when a later one cannot be made: nothing is left of a failure.
        var made = new Stack<string>();
        try
        {
            for (var end = path.IndexOf('/', 1); end > 0 && end <= separator; end = end == separator ? -1 : path.IndexOf('/', end + 1))
            {
                var folder = path[..end];
                if (IsFolder(folder))
                {
                    continue;
                }

                if (MakeFolder(folder, 0x1FF) == 0)
                {
                    made.Push(folder);
                }
                else if (Marshal.GetLastPInvokeError() is var errno && !(errno == 17 && IsFolder(folder))) // EEXIST: made meanwhile
                {
                    throw errno switch
                    {
                        13 => new UnauthorizedAccessException(Messages.FolderNotMade(folder, Marshal.GetPInvokeErrorMessage(errno))),
                        17 => new IOException(Messages.NotAFolder(folder, WhatIsThere(folder))), // something else is there
                        _ => new IOException(Messages.FolderNotMade(folder, Marshal.GetPInvokeErrorMessage(errno))),
                    };
                }
            }
        }
        catch (Exception) when (made.Count > 0)
        {
            while (made.TryPop(out var folder))
            {
                _ = RemoveFolder(folder); // empty, as made; a folder someone filled meanwhile stays
            }

            throw;
        }
    }

    /// <summary>Whether a folder is there (links followed); a loop of links or a name too long is said as what it is.</summary>
    private static bool IsFolder(string folder)
    {
        try
        {
            return FileFacts.Of(folder).Kind == FileKind.Directory;
        }
        catch (IOException e)
        {
            throw new IOException(Messages.FolderNotMade(folder, e.Message), e);
        }
    }

    [DllImport("libc", EntryPoint = "rmdir", SetLastError = true)]
    private static extern int RemoveFolder([MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    /// <summary>What is at a name where a folder could not be made, in words: "a regular file", "a link to a named pipe (FIFO)", "a link to nothing".</summary>
    private static string WhatIsThere(string path)
    {
        var itself = FileFacts.Of(path, followLinks: false);
        if (itself.Kind != FileKind.SymbolicLink)
        {
            return itself.Described;
        }

        try
        {
            var target = FileFacts.Of(path);
            return target.Exists ? "a link to " + target.Described : "a link to nothing (what it names does not exist)";
        }
        catch (IOException e)
        {
            return "a link that cannot be followed (" + e.Message + ")";
        }
    }

    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static extern int MakeFolder([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    /// <summary>The last name of <paramref name="path"/>, as given: what follows its last separator.</summary>
    public static string NameOf(string path) => path[(LastSeparator(path) + 1)..];

    private static int LastSeparator(string path) =>
        OperatingSystem.IsWindows() ? path.LastIndexOfAny(['/', '\\']) : path.LastIndexOf('/');

    /// <summary>The full real path of a folder: <c>realpath(3)</c> on Linux and macOS; <see cref="Path.GetFullPath(string)"/> elsewhere (Windows resolves <c>..</c> by text too).</summary>
    private static string Folder(string folder)
    {
        if (folder.Contains('\0', StringComparison.Ordinal))
        {
            throw new IOException(Messages.PathHasNul(folder));
        }

        if (OperatingSystem.IsWindows())
        {
            var full = Path.GetFullPath(folder);
            return Directory.Exists(full) ? full : throw new DirectoryNotFoundException(full);
        }

        var resolved = RealPath(folder, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno is 2 or 20 // ENOENT, ENOTDIR
                ? new DirectoryNotFoundException(Marshal.GetPInvokeErrorMessage(errno) + ": " + folder)
                : new IOException(Marshal.GetPInvokeErrorMessage(errno) + ": " + folder);
        }

        try
        {
            var real = Marshal.PtrToStringUTF8(resolved)!;
            return FileFacts.Of(real).Kind == FileKind.Directory ? real : throw new DirectoryNotFoundException(real);
        }
        finally
        {
            Free(resolved);
        }
    }

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr pointer);
}
