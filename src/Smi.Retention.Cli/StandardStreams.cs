using Smi.Retention.Files;

namespace Smi.Retention.Cli;

/// <summary>
/// What the process's standard input, output and error are (see <see cref="FileFacts"/>), so that
/// <c>--inventory -</c> redirected from a file is known to be that file, <c>--out /dev/stdout</c> to
/// be standard output, and a summary appended to the inventory is refused. Unknown in tests.
/// </summary>
/// <param name="Input">Standard input.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record StandardStreams(FileFacts Input, FileFacts Output, FileFacts Error)
{
    /// <summary>Nothing known: the tool runs in-process (tests) with streams of its caller's.</summary>
    public static StandardStreams Unknown { get; } = new(default, default, default);

    /// <summary>The standard streams of this process.</summary>
    public static StandardStreams OfProcess() => new(Of(0), Of(1), Of(2));

    private static FileFacts Of(int descriptor)
    {
        if (StandardDescriptors.IsClosed(descriptor))
        {
            return default; // the process started without it: what holds its number now is not the stream
        }

        try
        {
            using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(descriptor, ownsHandle: false);
            return FileFacts.Of(handle, path: null);
        }
        catch (IOException)
        {
            return default; // a closed stream: nothing to compare with
        }
    }
}
