namespace Smi.Retention.Cli;

/// <summary>
/// What the process's standard input, output and error are, by file identity (see
/// <see cref="FileFacts"/>), so that <c>--inventory -</c> redirected from a file is known to be that
/// file, and <c>--out /dev/stdout</c> to be standard output. Null where it cannot be told (in tests).
/// </summary>
/// <param name="Input">Standard input's identity.</param>
/// <param name="Output">Standard output's identity.</param>
/// <param name="Error">Standard error's identity.</param>
internal sealed record StandardStreams(string? Input, string? Output, string? Error)
{
    /// <summary>The identities of this process's standard streams.</summary>
    public static StandardStreams OfProcess() => new(Of(0), Of(1), Of(2));

    private static string? Of(int descriptor)
    {
        try
        {
            using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(descriptor, ownsHandle: false);
            return FileFacts.Of(handle, path: null).Identity;
        }
        catch (IOException)
        {
            return null; // a closed stream: nothing to compare with
        }
    }
}
