using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// Who owns a file, for a file that replaces another: the replacement is a new file, which the
/// kernel gives to the writer and the writer's group, so its owner and group are set to the replaced
/// file's where the writer may (root may set both; anyone may set the group to one of their own).
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

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint EffectiveUserIdCall();

    private static long EffectiveUserId() => EffectiveUserIdCall();

    [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
    private static extern int ChangeOwner(int descriptor, uint owner, uint group);
}
