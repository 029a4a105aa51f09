using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// Who owns a file and who may read it, for a file that replaces another: the replacement is a new
/// file, which the kernel gives to the writer and the writer's group (and its folder's default ACL),
/// so its owner and group are set to the replaced file's where the writer may (root may set both;
/// anyone may set the group to one of their own), and its access ACL, security label and user
/// attributes to the replaced file's, or none.
/// </summary>
internal static class Ownership
{
    /// <summary>The process's effective user id; -1 where there is none to ask (Windows).</summary>
    public static long EffectiveUser => OperatingSystem.IsWindows() ? -1 : EffectiveUserId();

    /// <summary>
    /// Gives the file open on <paramref name="handle"/> the owner and group of <paramref name="replaced"/>:
    /// root may; anyone may where the file is theirs and the group one of their own.
    /// </summary>
    /// <param name="handle">The new file, open.</param>
    /// <param name="replaced">The file it replaces (its <see cref="FileFacts.Owner"/> and <see cref="FileFacts.Group"/>; -1 when unknown: nothing is done).</param>
    /// <returns>Whether the new file's owner and group are the replaced file's (true when nothing was to be done).</returns>
    public static bool TryKeep(SafeFileHandle handle, FileFacts replaced)
    {
        if (OperatingSystem.IsWindows() || replaced.Owner < 0 || replaced.Group < 0)
        {
            return true;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return ChangeOwner((int)handle.DangerousGetHandle(), (uint)replaced.Owner, (uint)replaced.Group) == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Whether a replacement takes the extended attribute <paramref name="name"/> (its bytes, no
    /// terminator) from the file it replaces: those that say who may read it (its POSIX or NFSv4
    /// access ACL, a security label such as SELinux's or Smack's) and its user's own (<c>user.*</c>).
    /// Not its file capabilities or integrity hashes, which belong to its old content, nor a
    /// folder's default ACL or the system's own (<c>trusted.*</c>).
    /// </summary>
    public static bool Passes(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("system.posix_acl_access"u8)
        || name.SequenceEqual("system.nfs4_acl"u8)
        || name.StartsWith("user."u8)
        || (name.StartsWith("security."u8) && !name.SequenceEqual("security.capability"u8) && !name.SequenceEqual("security.ima"u8) && !name.SequenceEqual("security.evm"u8));

    /// <summary>
    /// The extended attributes of the file at <paramref name="path"/> (a link not followed) that a
    /// replacement takes (<see cref="Passes"/>), as the kernel keeps them; none on a system without them.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="attributes">Each attribute's name (its bytes, no terminator) and value.</param>
    /// <param name="unreadable">When it returns false, which could not be read and why, for the message.</param>
    /// <returns>False when they could not be read whole (then what they grant is not known: keep what replaces it private).</returns>
    public static bool TryAttributes(string path, out IReadOnlyList<(byte[] Name, byte[] Value)> attributes, out string? unreadable)
    {
        var found = new List<(byte[] Name, byte[] Value)>();
        attributes = found;
        unreadable = null;
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        if (!TryNames(path, null, out var names))
        {
            unreadable = "their list: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            return false;
        }

        foreach (var name in names)
        {
            if (!Passes(name))
            {
                continue;
            }

            if (!TryAttribute(path, name, out var value))
            {
                unreadable = System.Text.Encoding.UTF8.GetString(name) + ": " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
                return false;
            }

            if (value is not null)
            {
                found.Add((name, value));
            }
        }

        return true;
    }

    /// <summary>One extended attribute of the file at <paramref name="path"/> (a link not followed); null when it has none of that name.</summary>
    /// <param name="path">The file.</param>
    /// <param name="name">The attribute's name, e.g. <c>system.posix_acl_access</c> for its access ACL.</param>
    /// <param name="value">Its bytes, or null for none.</param>
    /// <returns>False when it could not be read.</returns>
    public static bool TryAttribute(string path, string name, out byte[]? value) => TryAttribute(path, System.Text.Encoding.UTF8.GetBytes(name), out value);

    private static bool TryAttribute(string path, byte[] name, out byte[]? value)
    {
        value = null;
        var terminated = Terminated(name);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            // Its size first, then the bytes: an ACL of hundreds of entries is larger than any fixed buffer.
            var size = GetLinkAttribute(path, terminated, null, 0);
            if (size < 0)
            {
                return Marshal.GetLastPInvokeError() is NoData or NotSupported; // none, or none possible there
            }

            var buffer = new byte[size];
            var length = GetLinkAttribute(path, terminated, buffer, (nuint)buffer.Length);
            if (length >= 0)
            {
                value = buffer[..(int)length];
                return true;
            }

            if (Marshal.GetLastPInvokeError() != OutOfRange)
            {
                return Marshal.GetLastPInvokeError() is NoData; // removed meanwhile: none
            }
        }

        return false; // growing while read: not known
    }

    /// <summary>The names of the extended attributes of a file, by its path (a link not followed) or, when <paramref name="path"/> is null, its descriptor.</summary>
    private static bool TryNames(string? path, int? descriptor, out List<byte[]> names)
    {
        names = [];
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var size = path is not null ? ListLinkAttributes(path, null, 0) : ListAttributes(descriptor!.Value, null, 0);
            if (size < 0)
            {
                return Marshal.GetLastPInvokeError() is NotSupported; // none possible there
            }

            var buffer = new byte[size];
            var length = path is not null ? ListLinkAttributes(path, buffer, (nuint)buffer.Length) : ListAttributes(descriptor!.Value, buffer, (nuint)buffer.Length);
            if (length >= 0)
            {
                foreach (var range in ((ReadOnlySpan<byte>)buffer.AsSpan(0, (int)length)).Split((byte)0))
                {
                    if (range.Start.Value != range.End.Value)
                    {
                        names.Add(buffer[range]);
                    }
                }

                return true;
            }

            if (Marshal.GetLastPInvokeError() != OutOfRange)
            {
                return false;
            }
        }

        return false;
    }

    private const int OutOfRange = 34; // ERANGE: it grew between the two calls

    /// <summary>
    /// Gives the file open on <paramref name="handle"/> exactly the extended attributes
    /// <paramref name="attributes"/> of those a replacement takes (<see cref="Passes"/>): each set,
    /// and any other it was made with removed (an access ACL from its folder's default one, which
    /// could grant more than the replaced file did). False when that could not be done whole: the
    /// caller keeps the file private rather than open it to more than the replaced one was.
    /// </summary>
    /// <param name="handle">The new file, open.</param>
    /// <param name="attributes">The replaced file's (<see cref="TryAttributes"/>).</param>
    /// <param name="missed">The names of those that could not be set or removed, for the message; empty when it returns true.</param>
    /// <returns>Whether the file now has exactly those.</returns>
    public static bool TrySetAttributes(SafeFileHandle handle, IReadOnlyList<(byte[] Name, byte[] Value)> attributes, out IReadOnlyList<string> missed)
    {
        var failed = new List<string>();
        missed = failed;
        if (!OperatingSystem.IsLinux())
        {
            failed.AddRange(attributes.Select(a => System.Text.Encoding.UTF8.GetString(a.Name)));
            return failed.Count == 0;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var descriptor = (int)handle.DangerousGetHandle();
            if (!TryNames(null, descriptor, out var present))
            {
                failed.Add("(its own list)");
                return false;
            }

            // Every one tried, so that those that can be kept are, and the message names each that was not.
            foreach (var name in present)
            {
                if (Passes(name) && !attributes.Any(a => a.Name.AsSpan().SequenceEqual(name))
                    && RemoveAttribute(descriptor, Terminated(name)) != 0 && Marshal.GetLastPInvokeError() is not NoData)
                {
                    failed.Add(System.Text.Encoding.UTF8.GetString(name));
                }
            }

            foreach (var (name, value) in attributes)
            {
                if (SetAttribute(descriptor, Terminated(name), value, (nuint)value.Length, 0) != 0)
                {
                    failed.Add(System.Text.Encoding.UTF8.GetString(name));
                }
            }

            return failed.Count == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>A name as the kernel takes it: its bytes and a zero.</summary>
    private static byte[] Terminated(byte[] name) => [.. name, 0];

    private const int NoData = 61; // ENODATA: no such attribute
    private const int NotSupported = 95; // EOPNOTSUPP: no extended attributes on this file system

    [DllImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    private static extern nint GetLinkAttribute([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] name, [Out] byte[]? value, nuint size);

    [DllImport("libc", EntryPoint = "llistxattr", SetLastError = true)]
    private static extern nint ListLinkAttributes([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[]? names, nuint size);

    [DllImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    private static extern nint ListAttributes(int descriptor, [Out] byte[]? names, nuint size);

    [DllImport("libc", EntryPoint = "fsetxattr", SetLastError = true)]
    private static extern int SetAttribute(int descriptor, byte[] name, byte[] value, nuint size, int flags);

    [DllImport("libc", EntryPoint = "fremovexattr", SetLastError = true)]
    private static extern int RemoveAttribute(int descriptor, byte[] name);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint EffectiveUserIdCall();

    private static long EffectiveUserId() => EffectiveUserIdCall();

    [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static extern int ChangeOwner(int descriptor, uint owner, uint group);
}
