
namespace Smi.Retention.Cli;

/// <summary>Where the tool reads and writes, whether a person is watching (for the progress bar), and the signal that stops it.</summary>
internal sealed class CliContext(
    TextWriter output, TextWriter error, bool interactive,
    Func<Stream>? standardOutput = null, Stream? standardInput = null, StandardStreams? streams = null, CancellationToken cancellation = default)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Interactive { get; } = interactive;

    /// <summary>Cancelled by Ctrl-C or SIGTERM: the run stops, removes its temporary files and writes nothing.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Standard output as bytes, for an output named <c>-</c>.</summary>
    public Func<Stream> StandardOutput { get; } = standardOutput ?? Console.OpenStandardOutput;

    /// <summary>Standard input for an inventory named <c>-</c>; null for the process's own.</summary>
    public Stream? StandardInput { get; } = standardInput;

    /// <summary>What the standard streams are, by file identity; unknown in tests.</summary>
    public StandardStreams Streams { get; } = streams ?? StandardStreams.Unknown;

    /// <summary>
    /// Runs a command. A usage problem prints its message and exits 2; an interruption exits 130
    /// having written nothing; anything else is a bug, reported in one line (no stack trace unless
    /// SMI_RETENTION_DEBUG=1) with exit 70. No input can make the tool print a stack trace.
    /// </summary>
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
        catch (Smi.Retention.Inventory.InventoryFormatException e)
        {
            Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
        catch (Smi.Retention.Inventory.CorruptInputException e)
        {
            // Met while reading rows (explain, diff, forecast read on this thread): bad input, as for run.
            Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
        catch (TooManyRejectsException e)
        {
            Error.WriteLine(e.Message);
            return ExitCodes.TooManyRejects;
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            Error.WriteLine(CliMessages.Interrupted());
            return ExitCodes.Interrupted;
        }
        catch (Output.OutputFailedException e)
        {
            Error.WriteLine(e.Message);
            return ExitCodes.InputOutputError;
        }
        catch (IOException e)
        {
            // The disk filled, a pipe's reader left, standard output was closed: the environment's
            // failure, not a bug. Outputs are committed whole or not at all, so none is half-written.
            Error.WriteLine(CliMessages.InputOutputFailed(e.Message));
            return ExitCodes.InputOutputError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Error.WriteLine(CliMessages.InternalError(e));
            if (Environment.GetEnvironmentVariable("SMI_RETENTION_DEBUG") == "1")
            {
                Error.WriteLine(e.ToString());
            }

            return ExitCodes.InternalError;
        }
    }
}
