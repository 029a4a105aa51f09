using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Smi.Retention.Files;

/// <summary>
/// fdatasync(2) on an open file, for a writer that makes a large file durable in steps while it is
/// still writing it (Linux only: <see cref="IsAvailable"/>), so that the flush before it is renamed
/// into place waits only for the last step. A failure is an <see cref="IOException"/>, to be
/// reported, never ignored: a later flush may not report a write the disk lost.
/// </summary>
internal static class DataSync
{
    private const int Interrupted = 4; // EINTR

    /// <summary>Whether the file's data can be synced while another thread writes it.</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>Waits until everything written to <paramref name="file"/> so far is on the disk.</summary>
    /// <param name="file">A file open for writing.</param>
    /// <exception cref="IOException">The disk did not take it.</exception>
    public static void Run(SafeFileHandle file)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            while (Sync((int)file.DangerousGetHandle()) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Interrupted)
                {
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

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int Sync(int descriptor);
}
