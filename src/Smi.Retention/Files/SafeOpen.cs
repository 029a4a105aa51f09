using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// The one way the library and the tool open a file they did not create: never waiting in the
/// open itself (a path swapped for a named pipe would otherwise hang the process), never following
/// a link where a link is refused, and returning the facts of the handle opened, so that the caller
/// checks the file it holds rather than the name again. On Linux this is <c>open(2)</c> with
/// <c>O_NONBLOCK</c> (and <c>O_NOFOLLOW</c>), then the blocking mode restored for reading and
/// writing; elsewhere .NET's own open, with the same checks on the handle.
/// </summary>
internal static class SafeOpen
{
    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const int NonBlocking = 0x800;
    private const int NoControllingTerminal = 0x100;
    private const int CloseOnExec = 0x80000;
    private const int GetFlags = 3;
    private const int SetFlags = 4;
    private const int NoSuchDeviceOrAddress = 6; // ENXIO: a pipe opened for writing that no one reads yet
    private const int Interrupted = 4; // EINTR
    private const int TooManyLinks = 40; // ELOOP: the last step is a link, with O_NOFOLLOW
    private const short PollIn = 1; // POLLIN
    private const int NoSuchFile = 2; // ENOENT

    /// <summary>How long to wait between tries to open a pipe that has no reader yet.</summary>
    private static readonly TimeSpan ReaderPoll = TimeSpan.FromMilliseconds(20);

    // O_NOFOLLOW is not the same number on every Linux architecture.
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    private static bool Native => OperatingSystem.IsLinux();

    /// <summary>
    /// Opens <paramref name="path"/> for reading without waiting: a named pipe (or a path swapped
    /// for one) is opened at once, whoever writes to it, so the caller can refuse it by
    /// <paramref name="facts"/>, the facts of the handle.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="facts">What the handle opened is.</param>
    /// <param name="followLinks">False to refuse a symbolic link at the last step (an <see cref="IOException"/>).</param>
    /// <returns>The stream, positioned at the start, in blocking mode.</returns>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">It cannot be opened; the message says why.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static FileStream Read(string path, out FileFacts facts, bool followLinks = true)
    {
        if (!Native)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            facts = FileFacts.Of(stream.SafeFileHandle, path);
            return stream;
        }

        var handle = OpenNative(path, ReadOnly | NonBlocking | CloseOnExec | NoControllingTerminal | (followLinks ? 0 : NoFollow));
        return Wrap(handle, FileAccess.Read, path, out facts);
    }

    /// <summary>
    /// For a named pipe opened by <see cref="Read"/> that is to be read as a stream (an inventory
    /// written by another process): waits, on the handle already open, until a writer has written or
    /// come and gone, so that reading does not end at once for want of a writer. Never opens the pipe
    /// again: a writer that was waiting is released by the first open and may write everything and
    /// close before a second open, which would then wait for ever for another. Anything else is
    /// returned as it is, at once.
    /// </summary>
    /// <param name="opened">The stream <see cref="Read"/> returned.</param>
    /// <param name="facts">Its facts.</param>
    /// <returns>The same stream, to read.</returns>
    /// <exception cref="IOException">Waiting failed.</exception>
    public static FileStream WaitingForWriter(FileStream opened, FileFacts facts)
    {
        if (!Native || facts.Kind != FileKind.Fifo)
        {
            return opened;
        }

        // poll(2) on a FIFO that no writer has opened yet waits (Linux reports no hang-up before the
        // first writer); it returns when there is data, or when a writer has closed (all it wrote is
        // then still in the pipe, and reading ends after it).
        var added = false;
        try
        {
            opened.SafeFileHandle.DangerousAddRef(ref added);
            var poll = new PollDescriptor { Descriptor = (int)opened.SafeFileHandle.DangerousGetHandle(), Events = PollIn };
            while (Poll(ref poll, 1, -1) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Interrupted)
                {
                    throw Failure(opened.Name, errno);
                }
            }

            return opened;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
        finally
        {
            if (added)
            {
                opened.SafeFileHandle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Opens an existing named pipe or device for writing through, and only the one checked: no
    /// link is followed at the last step, a pipe with no reader yet is waited for without blocking
    /// the process (cancellation ends the wait), and the handle must be <paramref name="expected"/>
    /// by identity, or nothing is written.
    /// </summary>
    /// <param name="path">The destination, with any link resolved when it was checked.</param>
    /// <param name="expected">The file checked before the run: the handle must be the same file.</param>
    /// <param name="waiting">Told once when the open waits for a reader.</param>
    /// <param name="cancellation">Ends the wait for a reader.</param>
    /// <returns>The stream, in blocking mode.</returns>
    /// <exception cref="IOException">It cannot be opened, or it is not the file checked (the message says so).</exception>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for a reader; nothing was written.</exception>
    public static FileStream WriteThrough(string path, FileFacts expected, Action waiting, CancellationToken cancellation)
    {
        FileStream stream;
        FileFacts facts;
        if (!Native)
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            facts = FileFacts.Of(stream.SafeFileHandle, path);
        }
        else
        {
            var told = false;
            SafeFileHandle handle;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                var descriptor = Open(path, WriteOnly | NonBlocking | CloseOnExec | NoControllingTerminal | NoFollow, 0);
                if (descriptor >= 0)
                {
                    handle = new SafeFileHandle(descriptor, ownsHandle: true);
                    break;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == NoSuchDeviceOrAddress)
                {
                    // No reader yet. A pipe swapped in meanwhile is not waited on (nothing would be
                    // written to it: the handle is checked once open; this only ends the wait).
                    if (FileFacts.Of(path, followLinks: false) is var now && !now.IsSameFileAs(expected))
                    {
                        throw new IOException(Messages.DestinationSwapped(path, now.Described));
                    }

                    if (!told)
                    {
                        waiting();
                        told = true;
                    }

                    cancellation.WaitHandle.WaitOne(ReaderPoll);
                    continue;
                }

                if (errno is TooManyLinks or NoSuchFile)
                {
                    // A link, or nothing, where the pipe or device checked before the run was.
                    throw new IOException(Messages.DestinationSwapped(path, errno == NoSuchFile ? "missing" : "a symbolic link"));
                }

                if (errno != Interrupted)
                {
                    throw Failure(path, errno);
                }
            }

            stream = Wrap(handle, FileAccess.Write, path, out facts);
        }

        if (!facts.IsSameFileAs(expected))
        {
            stream.Dispose();
            throw new IOException(Messages.DestinationSwapped(path, facts.Described));
        }

        return stream;
    }

    private static SafeFileHandle OpenNative(string path, int flags)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new IOException(Messages.PathHasNul(path));
        }

        while (true)
        {
            var descriptor = Open(path, flags, 0);
            if (descriptor >= 0)
            {
                return new SafeFileHandle(descriptor, ownsHandle: true);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Interrupted)
            {
                throw Failure(path, errno);
            }
        }
    }

    /// <summary>The handle as a stream in blocking mode, with its facts; the handle is closed if that fails.</summary>
    private static FileStream Wrap(SafeFileHandle handle, FileAccess access, string path, out FileFacts facts)
    {
        try
        {
            facts = FileFacts.Of(handle, path);
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var descriptor = (int)handle.DangerousGetHandle();
                var flags = Control(descriptor, GetFlags, 0);
                if (flags < 0 || Control(descriptor, SetFlags, flags & ~NonBlocking) < 0)
                {
                    throw Failure(path, Marshal.GetLastPInvokeError());
                }
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }

            return new FileStream(handle, access, 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static Exception Failure(string path, int errno) => errno switch
    {
        2 => new FileNotFoundException(Messages.NoSuchFile(path), path),
        13 or 1 => new UnauthorizedAccessException(Marshal.GetPInvokeErrorMessage(errno) + ": " + path),
        TooManyLinks => new IOException(Messages.PathIsALink(path)),
        _ => new IOException(Marshal.GetPInvokeErrorMessage(errno) + ": " + path),
    };

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Control(int descriptor, int command, int argument);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(ref PollDescriptor descriptors, nuint count, int timeoutMilliseconds);

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
