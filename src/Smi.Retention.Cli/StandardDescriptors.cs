using System.Runtime.InteropServices;
using Smi.Retention.Files;

namespace Smi.Retention.Cli;

/// <summary>
/// Which of the standard streams (descriptors 0, 1 and 2) the process was started without. A
/// closed descriptor is the lowest free number, so the next file the process opens takes it: the
/// runtime of the tool compiled ahead of time opens /dev/urandom before <c>Main</c> (at descriptor
/// 0 when standard input is closed), and its signal pipe, made when the first signal handler is
/// registered, took the next ones; started with standard input and output closed, the tool's text
/// went into that pipe, the runtime read it as signals, and a signal killed the process after the
/// work was done. A descriptor the process inherited cannot be close-on-exec (exec closes those),
/// so a standard one that is close-on-exec when <c>Main</c> starts was opened by the process
/// itself: its stream was closed. One still closed then is held from now on by an end of a pipe
/// of its own opened the other way (reading the writing end of a pipe, or writing its reading end,
/// fails with EBADF, as a closed descriptor does), so nothing opened later takes its number. Either
/// way the tool never reads, writes or duplicates that descriptor: the stream is closed to it
/// (<see cref="Closed"/>), and a path that names the file at its number (<c>/dev/stdout</c>,
/// <c>/proc/self/fd/0</c>) is refused as naming a closed stream (<see cref="Refusal"/>).
/// </summary>
internal static partial class StandardDescriptors
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
    /// The standard stream, closed when the process started, whose number holds <paramref name="file"/>
    /// now (the runtime's own file, or the pipe's end held for it): the file that <c>/dev/stdin</c>,
    /// <c>/dev/fd/1</c> or <c>/proc/self/fd/2</c> names. Null for any other file, and where nothing was closed.
    /// </summary>
    /// <returns>The descriptor, 0, 1 or 2, or null.</returns>
    private static int? ClosedStreamOf(FileFacts file)
    {
        for (var descriptor = 0; descriptor < 3; descriptor++)
        {
            if (!IsClosed(descriptor))
            {
                continue;
            }

            try
            {
                using var held = new Microsoft.Win32.SafeHandles.SafeFileHandle(descriptor, ownsHandle: false);
                if (file.IsSameFileAs(FileFacts.Of(held, null)))
                {
                    return descriptor;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Nothing holds its number: no file is it.
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="path"/>, given to <paramref name="option"/>, may not be read or written:
    /// it names a standard stream closed when the process started (<c>/dev/stdout</c> with
    /// <c>&gt;&amp;-</c>; by the descriptor it names through its links, else by the file at the
    /// stream's number), or a descriptor the process was not started with (<c>/dev/fd/3</c>: the
    /// runtime's own files, the tool's copies of its streams, or none). Null for any other path.
    /// </summary>
    public static string? Refusal(string option, string path, bool output)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            if (DescriptorNamed(path) is { } named)
            {
                if (named < 3)
                {
                    return !IsClosed(named) ? null
                        : output ? CliMessages.OutputIsAClosedStream(option, path, named) : CliMessages.InputIsAClosedStream(option, path, named);
                }

                // One the process was started with is never close-on-exec; every one it opens is.
                var flags = Control(named, GetDescriptorFlags, 0);
                return flags >= 0 && (flags & CloseOnExec) == 0 ? null : CliMessages.NamesOwnDescriptor(option, path, named, output);
            }

            return ClosedAtStart.Contains(true) && ClosedStreamOf(FileFacts.Of(path)) is { } closed
                ? output ? CliMessages.OutputIsAClosedStream(option, path, closed) : CliMessages.InputIsAClosedStream(option, path, closed)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // opened and checked as any other
        }
    }

    /// <summary>The descriptor of this process that <paramref name="path"/> names, through its links (/dev/stdout leads to /proc/self/fd/1); null for any other path.</summary>
    private static int? DescriptorNamed(string path)
    {
        var current = path;
        for (var hop = 0; hop < 8; hop++)
        {
            var named = DescriptorPath().Match(current);
            if (named.Success)
            {
                var owner = named.Groups[1].Value;
                return owner is "" or "self" or "thread-self" || owner == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    ? int.Parse(named.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
                    : null;
            }

            if (new FileInfo(current).LinkTarget is not { } target)
            {
                return null;
            }

            current = Path.IsPathRooted(target) ? target : Path.Join(Path.GetDirectoryName(current), target);
        }

        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^/(?:dev|proc/(self|thread-self|[0-9]+))/fd/([0-9]{1,9})$")]
    private static partial System.Text.RegularExpressions.Regex DescriptorPath();

    /// <summary>A standard stream's name in messages: "standard input", "standard output" or "standard error".</summary>
    public static string Name(int descriptor) => descriptor switch
    {
        0 => "standard input",
        1 => "standard output",
        _ => "standard error",
    };

    /// <summary>The numbers of the standard streams closed and still free, each held by an end of a pipe of its own that cannot be used its way.</summary>
    private static void Hold()
    {
        Span<int> ends = stackalloc int[2];
        foreach (var descriptor in Enumerable.Range(0, 3).Where(d => ClosedAtStart[d] && Control(d, GetDescriptorFlags, 0) < 0))
        {
            if (MakePipe(ref ends[0], OpenCloseOnExec) != 0)
            {
                return; // no descriptors left: nothing can take the numbers either
            }

            // The pipe's ends may have taken free numbers themselves: moved above them first.
            var reading = Control(ends[0], DuplicateAbove, 3);
            var writing = Control(ends[1], DuplicateAbove, 3);
            _ = Close(ends[0]);
            _ = Close(ends[1]);
            var end = descriptor == 0 ? writing : reading; // input: a read fails; output and error: a write fails
            if (end >= 0 && Control(end, DuplicateAbove, descriptor) is var held and >= 0 && held != descriptor)
            {
                _ = Close(held); // the number was not free after all: leave it
            }

            _ = Close(reading);
            _ = Close(writing);
        }
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
