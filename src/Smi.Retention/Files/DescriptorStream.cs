using System.Runtime.InteropServices;

namespace Smi.Retention.Files;

/// <summary>
/// A write-only stream over an open descriptor (the tool's standard output for <c>-</c>) that
/// writes with write(2), as a shell's other writers do: each write lands at the descriptor's shared
/// offset and moves it. A <see cref="FileStream"/> over the same descriptor writes a regular file at
/// its own position (pwrite), so output redirected to a file with <c>&gt; f 2&gt;&amp;1</c>, or
/// followed by another command's, was written over. A reader that has gone (EPIPE) is an
/// <see cref="IOException"/>, never ignored; a closed descriptor an <see cref="UnauthorizedAccessException"/>, as .NET's streams report it.
/// </summary>
internal sealed class DescriptorStream(int descriptor) : Stream
{
    private const int Interrupted = 4; // EINTR
    private const int BadDescriptor = 9; // EBADF: the descriptor is closed

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    /// <summary>The bytes the kernel has taken so far, through every write (a write that failed part-way counts what it passed on).</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    private long _accepted;

    public override void Flush()
    {
        // Nothing is buffered: every write is a system call.
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var written = WriteSome(descriptor, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Interrupted)
                {
                    continue;
                }

                // A closed descriptor is what .NET's own streams make it, UnauthorizedAccessException; anything else an IOException.
                throw errno == BadDescriptor
                    ? new UnauthorizedAccessException(Marshal.GetPInvokeErrorMessage(errno))
                    : new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
            }

            Volatile.Write(ref _accepted, _accepted + written);
            buffer = buffer[(int)written..];
        }
    }

    /// <summary>
    /// A stream over a duplicate of <paramref name="descriptor"/> made now (close-on-exec, kept for
    /// the life of the process): what the descriptor is when the process starts, whatever is opened
    /// later at its number if it is closed; null when it is closed now (or on Windows).
    /// </summary>
    /// <param name="descriptor">A standard stream's descriptor.</param>
    /// <returns>The stream, or null.</returns>
    public static DescriptorStream? Duplicate(int descriptor)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var duplicate = DuplicateCall(descriptor, DuplicateCloseOnExec, 3);
        return duplicate < 0 ? null : new DescriptorStream(duplicate);
    }

    private const int DuplicateCloseOnExec = 1030; // F_DUPFD_CLOEXEC

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int DuplicateCall(int descriptor, int command, int lowest);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint WriteSome(int descriptor, ref byte buffer, nuint count);
}
