using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>What a path names, before anything opens it.</summary>
internal enum FileKind
{
    /// <summary>Nothing is there.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (only when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A named pipe: opening it waits for a writer.</summary>
    Fifo,

    /// <summary>A character device such as <c>/dev/zero</c> or a terminal.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A socket.</summary>
    Socket,
}

/// <summary>
/// The kind, identity and size of a file, from the operating system rather than from its name:
/// two paths name the same file exactly when their <see cref="Identity"/> is equal (device, inode
/// and, where the file system keeps it, birth time on Linux, through <c>statx</c>, whose layout is
/// the same on every architecture). Elsewhere,
/// or where <c>statx</c> is refused, the kind comes from .NET (regular file or directory only) and
/// the identity is the full path with links resolved. <see cref="Modified"/> is the last
/// modification time in nanoseconds since 1970 (ticks from .NET where <c>statx</c> is not used);
/// <see cref="Changed"/> the status change time (<c>ctime</c>), which any write or rename sets and
/// no one can set back (the modification time again where <c>statx</c> is not used).
/// </summary>
/// <param name="Kind">What is there.</param>
/// <param name="Identity">What tells it apart from every other file; null when nothing is there.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Modified">Its modification time.</param>
/// <param name="Changed">Its status change time.</param>
/// <param name="Mode">Its permission bits and the set-user-ID, set-group-ID and sticky bits (<c>st_mode &amp; 07777</c>); -1 where <c>statx</c> is not used.</param>
/// <param name="Owner">Its owner's user id; -1 where <c>statx</c> is not used.</param>
/// <param name="Group">Its group id; -1 where <c>statx</c> is not used.</param>
/// <param name="Attributes">Those of its attributes the file system reports (<c>stx_attributes &amp; stx_attributes_mask</c>: <see cref="Immutable"/>, <see cref="AppendOnly"/>, <see cref="MountRoot"/>); 0 where <c>statx</c> is not used.</param>
internal readonly record struct FileFacts(FileKind Kind, string? Identity, long Size, long Modified = 0, long Changed = 0, int Mode = -1, long Owner = -1, long Group = -1, long Attributes = 0)
{
    /// <summary>STATX_ATTR_IMMUTABLE (chattr +i): it cannot be replaced, nor a file made in it.</summary>
    public const long Immutable = 0x10;

    /// <summary>STATX_ATTR_APPEND (chattr +a): it can only be added to, never replaced; a folder's names never removed.</summary>
    public const long AppendOnly = 0x20;

    /// <summary>STATX_ATTR_MOUNT_ROOT: something is mounted on it (a file bind-mounted over it), which a rename cannot replace.</summary>
    public const long MountRoot = 0x2000;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const uint StatxBirthTime = 0x800;

    private static bool _statxWorks = OperatingSystem.IsLinux();

    /// <summary>Whether something is there.</summary>
    public bool Exists => Kind != FileKind.Missing;

    /// <summary>The kind in words, for messages: "a directory", "a named pipe (FIFO)".</summary>
    public string Described => Kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "a socket",
    };

    /// <summary>Whether both name the same existing file (of the same kind: an inode number reused for a file of another kind is another file).</summary>
    public bool IsSameFileAs(FileFacts other) => Exists && other.Exists && Kind == other.Kind && Identity is not null && Identity == other.Identity;

    /// <summary>The facts of <paramref name="path"/>, following symbolic links unless <paramref name="followLinks"/> is false.</summary>
    /// <exception cref="IOException">The path cannot be examined (no permission on a directory above it, say).</exception>
    public static FileFacts Of(string path, bool followLinks = true)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            // The operating system would read the path only up to the NUL: another file than the one named.
            throw new IOException(Messages.PathHasNul(path));
        }

        if (Volatile.Read(ref _statxWorks) && TryStatx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, out var facts))
        {
            return facts;
        }

        return Portable(path, followLinks);
    }

    /// <summary>The facts of an open file; for a handle with no path (standard input), nothing when the operating system cannot say.</summary>
    public static FileFacts Of(SafeFileHandle handle, string? path)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Volatile.Read(ref _statxWorks) && TryStatx((int)handle.DangerousGetHandle(), "", AtEmptyPath, out var facts))
            {
                return facts;
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return path is null ? default : Portable(path, followLinks: true);
    }

    private static bool TryStatx(int directory, string path, int flags, out FileFacts facts)
    {
        facts = default;
        var buffer = new byte[256];
        int result;
        try
        {
            result = Statx(directory, path, flags, StatxBasicStats | StatxBirthTime, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref _statxWorks, false);
            return false;
        }

        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case 2 or 20: // ENOENT, ENOTDIR
                    facts = new FileFacts(FileKind.Missing, null, 0);
                    return true;
                case 1 or 38: // EPERM (a sandbox refusing the call), ENOSYS
                    Volatile.Write(ref _statxWorks, false);
                    return false;
                default:
                    throw new IOException(Marshal.GetPInvokeErrorMessage(errno) + ": " + path);
            }
        }

        // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_size (u64) at 40, stx_dev_major/minor (u32) at 136/140.
        // stx_attributes (u64) at 8 and stx_attributes_mask (u64) at 56: only the attributes the file system reports.
        var attributes = (long)(BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(8)) & BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(56)));

        // stx_uid (u32) at 20, stx_gid (u32) at 24.
        var owner = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20));
        var group = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24));
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28));
        var inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32));
        var size = (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(40));
        var major = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136));
        var minor = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
        var mask = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(0));
        var bornSeconds = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(80)); // stx_btime
        var bornNanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(88));
        var changedSeconds = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(96)); // stx_ctime
        var changedNanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(104));
        var modifiedSeconds = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(112)); // stx_mtime
        var modifiedNanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(120));
        if (!BitConverter.IsLittleEndian)
        {
            owner = BinaryPrimitives.ReverseEndianness(owner);
            group = BinaryPrimitives.ReverseEndianness(group);
            mode = BinaryPrimitives.ReverseEndianness(mode);
            inode = BinaryPrimitives.ReverseEndianness(inode);
            size = BinaryPrimitives.ReverseEndianness(size);
            major = BinaryPrimitives.ReverseEndianness(major);
            minor = BinaryPrimitives.ReverseEndianness(minor);
            mask = BinaryPrimitives.ReverseEndianness(mask);
            bornSeconds = BinaryPrimitives.ReverseEndianness(bornSeconds);
            bornNanoseconds = BinaryPrimitives.ReverseEndianness(bornNanoseconds);
            changedSeconds = BinaryPrimitives.ReverseEndianness(changedSeconds);
            changedNanoseconds = BinaryPrimitives.ReverseEndianness(changedNanoseconds);
            modifiedSeconds = BinaryPrimitives.ReverseEndianness(modifiedSeconds);
            modifiedNanoseconds = BinaryPrimitives.ReverseEndianness(modifiedNanoseconds);
        }

        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Socket,
        };
        // The birth time, where the file system keeps one, tells apart two files that had the same
        // inode number one after the other (a file deleted and another created in its place).
        var born = (mask & StatxBirthTime) != 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $":{bornSeconds}.{bornNanoseconds:D9}") : "";
        facts = new FileFacts(kind, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{major}:{minor}:{inode}{born}"), size, unchecked((modifiedSeconds * 1_000_000_000) + modifiedNanoseconds), unchecked((changedSeconds * 1_000_000_000) + changedNanoseconds), mode & 0xFFF, owner, group, BitConverter.IsLittleEndian ? attributes : BinaryPrimitives.ReverseEndianness(attributes));
        return true;
    }

    private static FileFacts Portable(string path, bool followLinks)
    {
        FileSystemInfo info = new FileInfo(path);
        if (!info.Exists)
        {
            info = new DirectoryInfo(path);
        }

        if (!info.Exists && info.LinkTarget is null)
        {
            return new FileFacts(FileKind.Missing, null, 0);
        }

        if (info.LinkTarget is not null)
        {
            if (!followLinks)
            {
                return new FileFacts(FileKind.SymbolicLink, Path.GetFullPath(path), 0);
            }

            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists)
            {
                return new FileFacts(FileKind.Missing, null, 0);
            }

            info = target;
        }

        var full = Path.GetFullPath(info.FullName);
        var identity = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? full.ToUpperInvariant() : full;
        return info is FileInfo file
            ? new FileFacts(FileKind.Regular, identity, file.Length, file.LastWriteTimeUtc.Ticks, file.LastWriteTimeUtc.Ticks)
            : new FileFacts(FileKind.Directory, identity, 0, info.LastWriteTimeUtc.Ticks, info.LastWriteTimeUtc.Ticks);
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
