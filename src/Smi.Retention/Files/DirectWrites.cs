using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// Writes a new file from start to end past the kernel's page cache (O_DIRECT), where the file
/// system says it can: the disk takes the bytes from this buffer, instead of the kernel copying
/// them into fresh cache pages first, which cost a 10 M-row run's decisions (454 MB) 0.5-1 s of
/// processor on this machine, a quarter of the run's samples (perf: <c>copy_folio_from_iter_atomic</c>).
/// The bytes are staged in a buffer aligned as the file system asks and written a step at a
/// time, on another thread while the next step fills a second buffer (a direct write returns only
/// when the disk has the bytes: written in line, it held up the run); <see cref="Complete"/> writes
/// the last whole blocks so, and the part after them through the cache. A file written so is
/// synced as any other before it is committed.
/// </summary>
internal sealed class DirectWrites
{
    /// <summary>The largest step: what is written at once, and the most this holds.</summary>
    public const int DefaultStep = 4 << 20;

    private const int FirstBuffer = 64 << 10; // most outputs (rejects, alerts) are small: the buffer grows to a step only for a large one
    private const int MaxAlignment = 64 << 10;

    private readonly SafeFileHandle _file;
    private readonly int _flag;
    private readonly int _alignment;
    private readonly int _step;
    private byte[] _buffer;
    private int _start; // where the aligned part of _buffer begins
    private int _capacity;
    private (byte[] Buffer, int Start)? _spare; // the step buffer not being filled, once the buffer is a step long
    private Task? _writing; // the step under way
    private int _used;
    private long _written;
    private bool _complete;

    private DirectWrites(SafeFileHandle file, int flag, int alignment, int step)
    {
        _file = file;
        _flag = flag;
        _alignment = alignment;
        _step = step;
        (_buffer, _start, _capacity) = Allocate(Math.Min(FirstBuffer, step), alignment);
    }

    /// <summary>
    /// Starts writing <paramref name="file"/> (new, empty, open for writing) past the page cache;
    /// null where that cannot be (not Linux, an architecture whose O_DIRECT is not known here, a
    /// file system that does not state an alignment for it): the caller writes as before.
    /// </summary>
    /// <param name="file">The file.</param>
    /// <param name="step">Bytes written at once: a multiple of 64 KiB (a test's smaller steps exercise more boundaries).</param>
    public static DirectWrites? TryStart(SafeFileHandle file, int step = DefaultStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        if (step % MaxAlignment != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "A step is a multiple of 64 KiB.");
        }

        if (!OperatingSystem.IsLinux() || DirectFlag() is not (var flag and not 0))
        {
            return null;
        }

        var alignment = FileFacts.DirectIoAlignment(file);
        if (alignment <= 0 || alignment > MaxAlignment || !BitOperations.IsPow2(alignment) || !SafeOpen.TrySetFlag(file, flag, on: true))
        {
            return null;
        }

        return new DirectWrites(file, flag, alignment, step);
    }

    /// <summary>O_DIRECT where its number is known: it differs between Linux's architectures.</summary>
    private static int DirectFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => 0,
    };

    /// <summary>Every byte written so far, staged or on the disk.</summary>
    public long Position => _written + _used;

    /// <summary>Adds bytes at the end of the file.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <exception cref="IOException">The disk did not take a step.</exception>
    /// <exception cref="InvalidOperationException">The file was completed.</exception>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_complete)
        {
            throw new InvalidOperationException("The file was completed: nothing more may be written to it.");
        }

        while (!bytes.IsEmpty)
        {
            if (_used == _capacity)
            {
                if (_capacity < _step)
                {
                    Grow();
                }
                else
                {
                    WriteStep();
                }
            }

            var taken = Math.Min(bytes.Length, _capacity - _used);
            bytes[..taken].CopyTo(_buffer.AsSpan(_start + _used));
            _used += taken;
            bytes = bytes[taken..];
        }
    }

    /// <summary>
    /// Writes what is staged: the whole blocks past the cache, and the last part, shorter than a
    /// block, through it (padded to a block, it could cross a file-size limit the file itself is
    /// within). Nothing more may be written after it; once is enough.
    /// </summary>
    /// <exception cref="IOException">The disk did not take the bytes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The file grew larger than the process may write (EFBIG).</exception>
    public void Complete()
    {
        if (_complete)
        {
            return;
        }

        _complete = true;
        Wait();
        var whole = _used / _alignment * _alignment;
        if (whole > 0)
        {
            WriteAt(_buffer.AsSpan(_start, whole), _written);
        }

        if (_used > whole)
        {
            Buffered();
            RandomAccess.Write(_file, _buffer.AsSpan(_start + whole, _used - whole), _written + whole);
        }

        _written += _used;
        _used = 0;
    }

    /// <summary>Waits for the step under way, if any; its failure is this call's.</summary>
    /// <exception cref="IOException">The disk did not take it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The file grew larger than the process may write (EFBIG).</exception>
    public void Wait()
    {
        var writing = _writing;
        _writing = null;
        writing?.GetAwaiter().GetResult();
    }

    /// <summary>Hands the full buffer to another thread to write, and goes on in the other.</summary>
    private void WriteStep()
    {
        Wait(); // the other buffer is free again, and a failure is reported before more is staged
        var (buffer, start, offset) = (_buffer, _start, _written);
        var length = _used;
        _writing = Task.Run(() => WriteAt(buffer.AsSpan(start, length), offset));
        _written += length;
        _used = 0;
        if (_spare is not { } spare)
        {
            (var fresh, var freshStart, _) = Allocate(_step, _alignment);
            spare = (fresh, freshStart);
        }

        _spare = (buffer, start);
        (_buffer, _start) = spare;
    }

    /// <summary>A test's hook: the offset at which a direct write fails as a full disk's may (part-way, 'Invalid argument' after).</summary>
    internal static AsyncLocal<long?> FailDirectAt { get; } = new();

    /// <summary>
    /// Writes whole blocks at a block's offset. A direct write that fails part-way (a full disk)
    /// leaves the rest at an unaligned offset, which the kernel refuses as 'Invalid argument': the
    /// step is written again through the page cache (direct writing ends there), so what is
    /// reported is the true error, or nothing when it was passing. A failure is an
    /// <see cref="IOException"/>, or an <see cref="ArgumentOutOfRangeException"/> for a file larger
    /// than the process may write (EFBIG), as .NET's own writes report it.
    /// </summary>
    private void WriteAt(ReadOnlySpan<byte> bytes, long offset)
    {
        try
        {
            if (FailDirectAt.Value is { } failAt && failAt >= offset && failAt < offset + bytes.Length && !_buffered)
            {
                throw new IOException("Invalid argument (a test's fault)");
            }

            RandomAccess.Write(_file, bytes, offset);
        }
        catch (IOException) when (!_buffered)
        {
            Buffered();
            RandomAccess.Write(_file, bytes, offset);
        }
    }

    /// <summary>Ends writing past the cache: every later write goes through it, at any offset and length.</summary>
    private void Buffered()
    {
        if (!_buffered)
        {
            _buffered = SafeOpen.TrySetFlag(_file, _flag, on: false) ? true : throw new IOException(Messages.DirectWriteNotUndone());
        }
    }

    private bool _buffered; // a direct write failed: the rest goes through the page cache

    private void Grow()
    {
        var (buffer, start, capacity) = Allocate(Math.Min(_capacity * 4, _step), _alignment);
        _buffer.AsSpan(_start, _used).CopyTo(buffer.AsSpan(start));
        (_buffer, _start, _capacity) = (buffer, start, capacity);
    }

    /// <summary>A buffer that never moves (the pinned object heap), and where its aligned part of <paramref name="capacity"/> bytes begins.</summary>
    private static (byte[] Buffer, int Start, int Capacity) Allocate(int capacity, int alignment)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(capacity + alignment, pinned: true);
        var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0);
        var start = (int)((alignment - (address & (alignment - 1))) & (alignment - 1));
        return (buffer, start, capacity);
    }
}
