using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// Makes what was written to an open file durable, and says so truly: fdatasync(2) for a step
/// taken while the file is still being written, fsync(2) before it is renamed into place. .NET's
/// own flush to disk does not report a failure (a disk that lost the data, a full disk), and a
/// later flush may not report it either, so every failure here is an <see cref="IOException"/>,
/// except a file system's "cannot sync this file" (EINVAL, ENOTSUP), which .NET's flush also
/// passes over (<see cref="Run"/> returns false). EROFS is a failure: a file open for writing
/// is on a file system that has turned read-only under it (an ext4 after an I/O error), whose
/// fsync then writes nothing. Linux only (<see cref="IsAvailable"/>).
/// </summary>
internal static class DataSync
{
    private const int Interrupted = 4; // EINTR
    private const int Invalid = 22; // EINVAL: a file that cannot be synced
    private const int NotSupported = 95; // ENOTSUP

    /// <summary>Whether files are synced here (elsewhere, .NET's flush is all there is).</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>A test's hook: for each file synced, the error number its sync fails with instead of calling the system, or null to sync it.</summary>
    internal static AsyncLocal<Func<SafeFileHandle, int?>?> Fault { get; } = new();

    /// <summary>Waits until everything written to <paramref name="file"/> so far is on the disk.</summary>
    /// <param name="file">A file open for writing.</param>
    /// <param name="metadata">Whether the file's metadata must be durable too (fsync, before a rename), or only its data (fdatasync).</param>
    /// <returns>False when the file system cannot sync this file (nothing was made durable, as .NET's flush would have it).</returns>
    /// <exception cref="IOException">The disk did not take the data.</exception>
    public static bool Run(SafeFileHandle file, bool metadata)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            while (true)
            {
                var errno = Fault.Value?.Invoke(file) ?? (Sync((int)file.DangerousGetHandle(), metadata) == 0 ? 0 : Marshal.GetLastPInvokeError());
                switch (errno)
                {
                    case 0:
                        return true;
                    case Interrupted:
                        continue;
                    case Invalid or NotSupported:
                        return false;
                    default:
                        throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
                }
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    private static int Sync(int descriptor, bool metadata) => metadata ? FileSync(descriptor) : DataOnlySync(descriptor);

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int DataOnlySync(int descriptor);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FileSync(int descriptor);
}
