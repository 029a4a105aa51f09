using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// Who owns a file and who may read it, for a file that replaces another: the replacement is a new
/// file, which the kernel gives to the writer and the writer's group (and its folder's default ACL),
/// so its owner and group are set to the replaced file's where the writer may (root may set both;
/// anyone may set the group to one of their own), and its access ACL to the replaced file's, or none.
/// </summary>
internal static class Ownership
{
    /// <summary>The process's effective user id; -1 where there is none to ask (Windows).</summary>
    public static long EffectiveUser => OperatingSystem.IsWindows() ? -1 : EffectiveUserId();

    /// <summary>
    /// Gives the file open on <paramref name="handle"/> the owner and group of <paramref name="replaced"/>,
    /// as far as the writer may.
    /// </summary>
    /// <param name="handle">The new file, open.</param>
    /// <param name="replaced">The file it replaces (its <see cref="FileFacts.Owner"/> and <see cref="FileFacts.Group"/>; -1 when unknown: nothing is done).</param>
    /// <returns>Whether the new file's group is the replaced file's (true when nothing was to be done).</returns>
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
            var descriptor = (int)handle.DangerousGetHandle();
            return ChangeOwner(descriptor, (uint)replaced.Owner, (uint)replaced.Group) == 0 // root, or the writer's own file and group
                || ChangeOwner(descriptor, uint.MaxValue, (uint)replaced.Group) == 0; // another's file: its group, when the writer is in it
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The name of a file's access ACL in its extended attributes (Linux).</summary>
    private const string AccessAclName = "system.posix_acl_access";

    /// <summary>The access ACL of the file at <paramref name="path"/> (a link not followed), as the kernel keeps it; null when it has none, or on a system without them.</summary>
    /// <param name="path">The file.</param>
    /// <param name="acl">The ACL's bytes, or null for none.</param>
    /// <returns>False when it could not be read (then whether it has one is not known: keep what replaces it private).</returns>
    public static bool TryAccessAcl(string path, out byte[]? acl)
    {
        acl = null;
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        for (var attempt = 0; attempt < 4; attempt++)
        {
            // Its size first, then the bytes: an ACL of hundreds of entries is larger than any fixed buffer.
            var size = GetLinkAttribute(path, AccessAclName, null, 0);
            if (size < 0)
            {
                return Marshal.GetLastPInvokeError() is NoData or NotSupported; // none, or none possible there
            }

            var buffer = new byte[size];
            var length = GetLinkAttribute(path, AccessAclName, buffer, (nuint)buffer.Length);
            if (length >= 0)
            {
                acl = length > 0 ? buffer[..(int)length] : null;
                return true;
            }

            if (Marshal.GetLastPInvokeError() != OutOfRange)
            {
                return Marshal.GetLastPInvokeError() is NoData; // removed meanwhile: none
            }
        }

        return false; // growing while read: not known
    }

    private const int OutOfRange = 34; // ERANGE: it grew between the two calls

    /// <summary>
    /// Gives the file open on <paramref name="handle"/> the access ACL <paramref name="acl"/>, or none
    /// (removing one it took from its folder's default ACL when it was made). False when it could not
    /// be set: the caller keeps the file private rather than open it to more than the ACL did.
    /// </summary>
    /// <param name="handle">The new file, open.</param>
    /// <param name="acl">The replaced file's ACL (<see cref="TryAccessAcl"/>), or null for none.</param>
    /// <returns>Whether the file now has exactly that ACL, or none.</returns>
    public static bool TrySetAccessAcl(SafeFileHandle handle, byte[]? acl)
    {
        if (!OperatingSystem.IsLinux())
        {
            return acl is null;
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var descriptor = (int)handle.DangerousGetHandle();
            if (acl is not null)
            {
                return SetAttribute(descriptor, AccessAclName, acl, (nuint)acl.Length, 0) == 0;
            }

            return RemoveAttribute(descriptor, AccessAclName) == 0 || Marshal.GetLastPInvokeError() is NoData or NotSupported;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private const int NoData = 61; // ENODATA: no ACL to remove
    private const int NotSupported = 95; // EOPNOTSUPP: no ACLs on this file system

    [DllImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    private static extern nint GetLinkAttribute([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [Out] byte[]? value, nuint size);

    [DllImport("libc", EntryPoint = "fsetxattr", SetLastError = true)]
    private static extern int SetAttribute(int descriptor, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nuint size, int flags);

    [DllImport("libc", EntryPoint = "fremovexattr", SetLastError = true)]
    private static extern int RemoveAttribute(int descriptor, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint EffectiveUserIdCall();

    private static long EffectiveUserId() => EffectiveUserIdCall();

    [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static extern int ChangeOwner(int descriptor, uint owner, uint group);
}
