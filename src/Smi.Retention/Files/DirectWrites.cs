using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// Appends to a file being written from its start, past the page cache once it is large (Linux
/// on x64 and Arm64: O_DIRECT, set on the open handle). A file that is made durable before it is
/// used (synced, then renamed into place) reaches the disk anyway; written through the page cache,
/// each of its bytes is copied into a page the kernel first has to find, which for hundreds of
/// megabytes costs more processor time than making them. Until a write would take the file past
/// <see cref="BufferedUpTo"/> bytes, writes are made as usual (a small file never changes how it
/// is written); from the next block's boundary on, the bytes are gathered in whole blocks in a
/// buffer aligned as direct writes need, written when it is full, and <see cref="Finish"/> writes
/// the last blocks, then the part-block at the end as usual. A file system that takes no direct
/// writes (EINVAL: tmpfs before Linux 6.6, some network file systems) gets them as usual, from the
/// write it refused on: every byte is written once, in order, at its place, whichever way. One
/// writer at a time: <see cref="Write"/>s, then <see cref="Finish"/> (on another thread, once the
/// writes are done, if need be).
/// </summary>
internal sealed class DirectWrites(FileStream file) : IDisposable
{
    /// <summary>The bytes written as usual before direct writes begin.</summary>
    public const long BufferedUpTo = 8L << 20;

    // Whole blocks of every device's logical block size (512 or 4096 bytes), at offsets and
    // addresses aligned to them: what direct writes require.
    private const int Block = 4096;
    private const int Gathered = 4 << 20;

    private const int Invalid = 22; // EINVAL

    // Two buffers, pinned (their aligned parts are handed to the kernel): one gathers while the
    // other is written by a thread of its own, so the writer goes on while the disk takes the bytes.
    private readonly byte[]?[] _arrays = new byte[2][];
    private readonly int[] _starts = new int[2];
    private readonly SemaphoreSlim _otherFree = new(1, 1); // the buffer not gathering is written
    private BlockingCollection<(int Buffer, long Offset)>? _full;
    private Thread? _writer;
    private Exception? _failure; // the writing thread's, thrown to the writer at its next hand-over
    private int _current;
    private int _gathered;  // bytes waiting in the current buffer
    private long _offset;   // where they go in the file
    private long _writtenTo;
    private bool _direct;   // the bytes written now are gathered for direct writes
    private bool _refused;  // no direct writes any more: refused, not available, or finished
    private bool _disposed;

    /// <summary>A test's hook: the error number a write of gathered bytes fails with instead of being made (EINVAL: refused as direct), or null to make it.</summary>
    internal static AsyncLocal<Func<int?>?> Fault { get; } = new();

    /// <summary>Whether this platform can write past the page cache (Linux on x64 or Arm64).</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux() && DirectFlag != 0;

    /// <summary>Whether the bytes written now are gathered for direct writes.</summary>
    public bool IsDirect => _direct;

    /// <summary>Where the bytes the kernel has taken end (those gathered, or being written, not counted).</summary>
    public long Written => _direct ? Volatile.Read(ref _writtenTo) : file.Position;

    private Span<byte> Gathering => _arrays[_current].AsSpan(_starts[_current], Gathered);

    /// <summary>Appends <paramref name="bytes"/>: written as usual, or gathered for a direct write.</summary>
    /// <exception cref="IOException">A write failed (one made on the writing thread, when the next buffer is handed to it).</exception>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (!_direct)
            {
                if (_refused || !IsAvailable || file.Position + bytes.Length <= BufferedUpTo)
                {
                    file.Write(bytes);
                    return;
                }

                // Up to a block's boundary as usual; direct from there.
                var lead = (int)Math.Min((Block - (file.Position % Block)) % Block, bytes.Length);
                file.Write(bytes[..lead]);
                bytes = bytes[lead..];
                if (bytes.IsEmpty)
                {
                    return;
                }

                if (!TrySetDirect(file.SafeFileHandle, true))
                {
                    _refused = true;
                    continue;
                }

                _direct = true;
                _offset = _writtenTo = file.Position;
                Allocate(_current);
            }

            var taken = Math.Min(Gathered - _gathered, bytes.Length);
            bytes[..taken].CopyTo(Gathering[_gathered..]);
            _gathered += taken;
            bytes = bytes[taken..];
            if (_gathered == Gathered)
            {
                HandOver();
            }
        }
    }

    /// <summary>
    /// Writes every byte gathered, and waits for every write; writes after it are made as usual
    /// (the file's end is no longer at a block's boundary).
    /// </summary>
    /// <exception cref="IOException">A write failed.</exception>
    public void Finish()
    {
        _refused = true;
        if (!_direct)
        {
            return;
        }

        WaitForTheOther(); // nothing is being written after this
        try
        {
            _full?.CompleteAdding();
            var whole = _gathered / Block * Block;
            WriteAt(_current, whole, _offset);
            _offset += whole;
            TrySetDirect(file.SafeFileHandle, false);
            _direct = false;
            file.Position = _offset;
            file.Write(Gathering[whole.._gathered]);
            _gathered = 0;
        }
        finally
        {
            _otherFree.Release();
        }
    }

    /// <summary>Ends the writing thread (an output abandoned part-way never finishes); once is enough.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _full?.CompleteAdding();
        _writer?.Join();
        _full?.Dispose();
        _otherFree.Dispose();
    }

    /// <summary>Hands the full buffer to the writing thread, once the other is written, and gathers into the other.</summary>
    private void HandOver()
    {
        WaitForTheOther();
        if (_full is null)
        {
            _full = new BlockingCollection<(int Buffer, long Offset)>(boundedCapacity: 1);
            _writer = new Thread(WriteHandedOver) { IsBackground = true, Name = "Direct writes" };
            _writer.Start();
        }

        _full.Add((_current, _offset));
        _offset += Gathered;
        _gathered = 0;
        _current = 1 - _current;
        Allocate(_current);
    }

    /// <summary>Waits until the buffer not gathering is written, and takes it; the failure of a write is thrown here (the buffer left free).</summary>
    private void WaitForTheOther()
    {
        _otherFree.Wait();
        if (Volatile.Read(ref _failure) is { } failure)
        {
            _otherFree.Release();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>The writing thread: each buffer handed over, in order, at its place; after a failure, none.</summary>
    private void WriteHandedOver()
    {
        foreach (var (buffer, offset) in _full!.GetConsumingEnumerable())
        {
            try
            {
                if (Volatile.Read(ref _failure) is null)
                {
                    WriteAt(buffer, Gathered, offset);
                }
            }
            catch (Exception e)
            {
                // Whatever it is, the writer is told (it is thrown there), and nothing more is written.
                Volatile.Write(ref _failure, e);
            }
            finally
            {
                _otherFree.Release();
            }
        }
    }

    /// <summary>Writes the first <paramref name="length"/> bytes (whole blocks) of a buffer at <paramref name="offset"/>.</summary>
    private void WriteAt(int buffer, int length, long offset)
    {
        var bytes = _arrays[buffer].AsSpan(_starts[buffer], length);
        try
        {
            if (Fault.Value?.Invoke() is { } errno)
            {
                throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
            }

            RandomAccess.Write(file.SafeFileHandle, bytes, offset);
        }
        catch (IOException e) when (e.HResult == Invalid)
        {
            // The file system refused a direct write (before writing any of it, or after part of
            // it, at its place): written again as usual at the same place, and from then on all is.
            TrySetDirect(file.SafeFileHandle, false);
            RandomAccess.Write(file.SafeFileHandle, bytes, offset);
        }

        Volatile.Write(ref _writtenTo, offset + length);
    }

    private void Allocate(int buffer)
    {
        if (_arrays[buffer] is null)
        {
            var array = GC.AllocateUninitializedArray<byte>(Gathered + Block, pinned: true);
            _starts[buffer] = (int)((Block - (Marshal.UnsafeAddrOfPinnedArrayElement(array, 0) % Block)) % Block);
            _arrays[buffer] = array;
        }
    }

    // O_DIRECT's value differs by architecture; 0 where it is not known here.
    private static int DirectFlag => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x4000,
        Architecture.Arm64 => 0x10000,
        _ => 0,
    };

    private const int GetFlags = 3; // F_GETFL
    private const int SetFlags = 4; // F_SETFL

    /// <summary>Sets or clears O_DIRECT on an open file; false when it cannot be (the file system refuses it).</summary>
    private static bool TrySetDirect(SafeFileHandle handle, bool direct)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var descriptor = (int)handle.DangerousGetHandle();
            var flags = Control(descriptor, GetFlags, 0);
            return flags >= 0 && Control(descriptor, SetFlags, direct ? flags | DirectFlag : flags & ~DirectFlag) == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Control(int descriptor, int command, int argument);
}
