using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// Whether a pipe about to be read can ever end. A pipe ends when every descriptor of its writing
/// end is closed; when this process holds one, nothing but this process could close it, so reading
/// it waits for ever. That is so when the process is started with standard input closed
/// (<c>&lt;&amp;-</c>: the runtime's own pipe takes descriptor 0, and the process holds both of its ends)
/// or is handed a pipe's writing end by its parent along with the reading end (a named pipe opened
/// for writing too, <c>3&lt;&gt;fifo</c>). Linux only (through <c>/proc/self</c>); elsewhere, or when it
/// cannot be told, a pipe is taken to be able to end. (A socket whose other end this process holds
/// is not told.)
/// </summary>
internal static class PipeEnds
{
    private const int AccessMode = 3; // O_ACCMODE
    private const int WriteOnly = 1; // O_WRONLY
    private const int ReadWrite = 2; // O_RDWR

    /// <summary>Whether the open descriptor <paramref name="descriptor"/> is a pipe (anonymous or named) whose writing end this process also holds.</summary>
    public static bool WrittenHere(int descriptor)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // The pipe itself (its device and inode), through the descriptor's link in /proc: for a
            // named pipe that link is its path, for an anonymous one "pipe:[inode]"; both lead to it.
            var pipe = FileFacts.Of(Descriptor(descriptor));
            if (pipe.Kind != FileKind.Fifo || pipe.Identity is null)
            {
                return false;
            }

            foreach (var entry in new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos())
            {
                if (int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var other)
                    && other != descriptor
                    && Same(other, pipe)
                    && Writes(other))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // /proc not mounted or not readable: the pipe may end.
        }

        return false;
    }

    /// <summary>Whether the open <paramref name="handle"/> is a pipe whose writing end this process also holds.</summary>
    public static bool WrittenHere(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return WrittenHere((int)handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static string Descriptor(int descriptor) => "/proc/self/fd/" + descriptor.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the descriptor is open on the same pipe (closed since it was listed, as the listing's own: not).</summary>
    private static bool Same(int descriptor, FileFacts pipe)
    {
        try
        {
            return FileFacts.Of(Descriptor(descriptor)).IsSameFileAs(pipe);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Whether the descriptor is open for writing, from the <c>flags</c> line of its <c>fdinfo</c> (octal).</summary>
    private static bool Writes(int descriptor)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/fdinfo/" + descriptor.ToString(CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return false;
        }

        foreach (var line in lines)
        {
            if (line.StartsWith("flags:", StringComparison.Ordinal))
            {
                var flags = 0;
                foreach (var digit in line.AsSpan(6).Trim())
                {
                    if (digit is < '0' or > '7')
                    {
                        return false;
                    }

                    flags = (flags * 8) + (digit - '0');
                }

                return (flags & AccessMode) is WriteOnly or ReadWrite;
            }
        }

        return false;
    }
}
