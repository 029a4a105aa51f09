namespace Smi.Retention.Cli;

/// <summary>Where the tool writes, and whether a person is watching (for the progress bar).</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool interactive)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Interactive { get; } = interactive;

    /// <summary>Runs a command; a usage problem prints its message and exits 2.</summary>
    public int Guarded(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (UsageException e)
        {
            Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
    }
}
