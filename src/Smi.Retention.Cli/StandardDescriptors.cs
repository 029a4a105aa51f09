using System.Runtime.InteropServices;
using Smi.Retention.Files;

namespace Smi.Retention.Cli;

/// <summary>
/// Which of the standard streams (descriptors 0, 1 and 2) the process was started without. A
/// closed descriptor is the lowest free number, so the next file the process opens takes it: the
/// tool compiled ahead of time makes the runtime's signal pipe before <c>Main</c>, and started with
/// standard input and output closed, that pipe's ends were descriptors 0 and 1; the tool's text
/// went into the pipe, the runtime read it as signals, and a signal killed the process after the
/// work was done. A descriptor the process inherited cannot be close-on-exec (exec closes those),
/// so a standard one that is close-on-exec when <c>Main</c> starts was opened by the process
/// itself: its stream was closed. One still closed then is held from now on by a pipe's end opened
/// the other way (reading the writing end of a pipe, or writing its reading end, fails with EBADF,
/// as a closed descriptor does), so nothing opened later takes its number. Either way the tool
/// never reads, writes or duplicates that descriptor: the stream is closed to it (<see cref="Closed"/>).
/// </summary>
internal static class StandardDescriptors
{
    private const int GetDescriptorFlags = 1; // F_GETFD
    private const int DuplicateAbove = 1030;  // F_DUPFD_CLOEXEC
    private const int CloseOnExec = 1;        // FD_CLOEXEC
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC

    private static readonly bool[] ClosedAtStart = new bool[3];

    /// <summary>
    /// Finds the standard streams the process was started without and (on Linux) holds the numbers
    /// of those still free; the first thing <c>Main</c> does once the process is the one that runs
    /// the command. Nothing on Windows.
    /// </summary>
    public static void Claim()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        for (var descriptor = 0; descriptor < 3; descriptor++)
        {
            var flags = Control(descriptor, GetDescriptorFlags, 0);
            ClosedAtStart[descriptor] = flags < 0 || (flags & CloseOnExec) != 0;
        }

        if (OperatingSystem.IsLinux())
        {
            Hold();
        }
    }

    /// <summary>Whether standard input (0), output (1) or error (2) was closed when the process started.</summary>
    public static bool IsClosed(int descriptor) => descriptor is >= 0 and < 3 && ClosedAtStart[descriptor];

    /// <summary>
    /// Whether <paramref name="path"/> is the file that holds the number of a standard stream closed
    /// at the start (<c>/dev/stdin</c>, <c>/proc/self/fd/0</c>): the runtime's own, or the pipe's end held for it.
    /// </summary>
    public static bool HeldAt(int descriptor, string path)
    {
        if (!IsClosed(descriptor))
        {
            return false;
        }

        try
        {
            using var held = new Microsoft.Win32.SafeHandles.SafeFileHandle(descriptor, ownsHandle: false);
            return FileFacts.Of(path).IsSameFileAs(FileFacts.Of(held, null));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false; // nothing holds it, or the path cannot be told: opened and checked as any other
        }
    }

    /// <summary>The numbers of the standard streams closed and still free, held by a pipe's ends that cannot be used their way.</summary>
    private static void Hold()
    {
        var free = Enumerable.Range(0, 3).Where(d => ClosedAtStart[d] && Control(d, GetDescriptorFlags, 0) < 0).ToArray();
        if (free.Length == 0)
        {
            return;
        }

        Span<int> ends = stackalloc int[2];
        if (MakePipe(ref ends[0], OpenCloseOnExec) != 0)
        {
            return; // no descriptors left: nothing can take the numbers either
        }

        // The pipe's ends may have taken the free numbers themselves: moved above them first.
        var reading = Control(ends[0], DuplicateAbove, 3);
        var writing = Control(ends[1], DuplicateAbove, 3);
        _ = Close(ends[0]);
        _ = Close(ends[1]);
        foreach (var descriptor in free)
        {
            var end = descriptor == 0 ? writing : reading; // input: a read fails; output and error: a write fails
            if (end >= 0 && Control(end, DuplicateAbove, descriptor) is var held and >= 0 && held != descriptor)
            {
                _ = Close(held); // a lower number was not free after all: leave it
            }
        }

        _ = Close(reading);
        _ = Close(writing);
    }

    /// <summary>A standard stream that was closed: every read or write fails as one of a closed descriptor does (.NET's <see cref="UnauthorizedAccessException"/>).</summary>
    public sealed class Closed(string name) : Stream
    {
        /// <inheritdoc />
        public override bool CanRead => true;

        /// <inheritdoc />
        public override bool CanSeek => false;

        /// <inheritdoc />
        public override bool CanWrite => true;

        /// <inheritdoc />
        public override long Length => throw new NotSupportedException();

        /// <inheritdoc />
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        /// <inheritdoc />
        public override void Flush()
        {
            // Nothing is held: every write has failed.
        }

        /// <inheritdoc />
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        /// <inheritdoc />
        public override int Read(Span<byte> buffer) => throw new UnauthorizedAccessException(name + " is closed");

        /// <inheritdoc />
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        /// <inheritdoc />
        public override void SetLength(long value) => throw new NotSupportedException();

        /// <inheritdoc />
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        /// <inheritdoc />
        public override void Write(ReadOnlySpan<byte> buffer) => throw new UnauthorizedAccessException(name + " is closed");

        /// <summary>A text writer over it, flushed at every write (as the console's is), so that the first write fails.</summary>
        public static TextWriter Writer(string name) => new StreamWriter(new Closed(name), new System.Text.UTF8Encoding(false), 1024) { AutoFlush = true };
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Control(int descriptor, int command, int argument);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);

    [DllImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static extern int MakePipe(ref int ends, int flags);
}
