
namespace Smi.Retention.Cli;

/// <summary>Where the tool reads and writes, whether a person is watching (for the progress bar), and the signal that stops it.</summary>
internal sealed class CliContext(
    TextWriter output, TextWriter error, bool interactive,
    Func<Stream>? standardOutput = null, Stream? standardInput = null, StandardStreams? streams = null, CancellationToken cancellation = default) : IDisposable
{
    private readonly Output.GuardedWriter _output = new(output);
    private readonly Output.GuardedWriter _error = new(error);

    /// <summary>Standard output for text; a write that fails is remembered (the exit code says so), never thrown.</summary>
    public TextWriter Output => _output;

    /// <summary>Standard error; a write that fails is lost (there is nowhere else to say it), never thrown.</summary>
    public TextWriter Error => _error;

    /// <summary>
    /// Stops all writing to standard output and error where either is a file the command reads:
    /// the message refusing that would otherwise be appended to the inventory or the policy.
    /// </summary>
    public void SilenceStreamsThatAre(IEnumerable<string> inputIdentities)
    {
        var inputs = inputIdentities.ToHashSet(StringComparer.Ordinal);
        if (Streams.Output.Kind == Files.FileKind.Regular && Streams.Output.Identity is { } output && inputs.Contains(output))
        {
            _output.Silence();
        }

        if (Streams.Error.Kind == Files.FileKind.Regular && Streams.Error.Identity is { } error && inputs.Contains(error))
        {
            _error.Silence();
        }
    }

    /// <summary>The outputs committed so far, in order: what a failure or an interruption must say was written.</summary>
    public List<Output.Written> Written { get; } = [];

    private readonly List<string> _notices = [];

    /// <summary>
    /// Says on standard error what the command's result does not show (an output made private, a
    /// temporary file left behind, a fact a rule tests that the inventory has no column for), and
    /// keeps it for the JSON document's <c>notices</c>, so a program that reads only the document
    /// learns it too.
    /// </summary>
    public void Notice(string message)
    {
        if (Keep(message))
        {
            Error.WriteLine(message);
        }
    }

    /// <summary>Keeps a notice for the document without saying it (said already, in a failure's message); false when the same was kept before (one policy given twice warns once).</summary>
    private bool Keep(string message)
    {
        lock (_notices)
        {
            if (_notices.Contains(message, StringComparer.Ordinal))
            {
                return false;
            }

            _notices.Add(message);
            return true;
        }
    }

    /// <summary>The notices said so far (<see cref="Notice"/>), in order.</summary>
    public IReadOnlyList<string> Notices
    {
        get
        {
            lock (_notices)
            {
                return [.. _notices];
            }
        }
    }

    /// <summary>A failure's message with the temporary files of this command that could not be deleted, which are kept as notices too (said in the message, not apart).</summary>
    private string WithUndeleted(string message)
    {
        if (Cli.Output.OutputFile.TakeUndeleted(this) is not { Count: > 0 } undeleted)
        {
            return message;
        }

        Keep(CliMessages.Undeleted(undeleted));
        return CliMessages.WithUndeleted(message, undeleted);
    }

    /// <summary>Says, as a notice, which temporary files of this command could not be deleted (none but a spool's by the time a command reports).</summary>
    private void NoticeUndeleted()
    {
        if (Cli.Output.OutputFile.TakeUndeleted(this) is { Count: > 0 } undeleted)
        {
            Notice(CliMessages.Undeleted(undeleted));
        }
    }

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
    /// Runs a command. A usage problem prints its message and exits 2; an interruption exits 130;
    /// an input or output failure exits 74; anything else is a bug, reported in one line (no stack
    /// trace unless SMI_RETENTION_DEBUG=1) with exit 70. Every message after outputs were committed
    /// says which were written. Text that cannot reach standard output (closed, full, its reader
    /// gone) makes the exit 74, saying so; standard error closed or full never aborts the process.
    /// No input can make the tool print a stack trace.
    /// </summary>
    public int Guarded(Func<int> command)
    {
        var exit = Outcome(command);
        NoticeUndeleted();

        _output.Flush();
        if (_output.Failure is { } failure && exit is ExitCodes.Done or ExitCodes.NotASubset)
        {
            Error.WriteLine(CliMessages.StandardOutputFailed(failure, Written));
            return ExitCodes.InputOutputError;
        }

        return exit;
    }

    /// <summary>
    /// The command whose <c>--format json</c> was asked for, or null for text: a failure is then
    /// also written to standard output as the <c>error</c> document (schemas/output/error.schema.json),
    /// unless the command already wrote its own document there.
    /// </summary>
    public string? JsonCommand { get; set; }

    private int Outcome(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Problems.CliFailure e)
        {
            return Fail(e.Code, e.Message, e.Places, e.Facts);
        }
        catch (Smi.Retention.Inventory.InventoryFormatException e)
        {
            return Fail(Problems.ProblemCodes.InventoryUnreadable, e.AmidRows ? CliMessages.WithWritten(e.Message, Written) : e.Message);
        }
        catch (Exception e) when (e is Smi.Retention.Inventory.CorruptInventoryException or Smi.Retention.Inventory.InventoryChangedException)
        {
            // Met while reading rows, or at their end: the input broke off or changed under the run.
            return Fail(Problems.ProblemCodes.InventoryDamaged, CliMessages.WithWritten(e.Message, Written));
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            return Fail(Problems.ProblemCodes.Interrupted, CliMessages.Interrupted(Written));
        }
        catch (Output.OutputFailedException e)
        {
            return Fail(Problems.ProblemCodes.InputOutput, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The disk filled, a pipe's reader left, standard output was closed: the environment's
            // failure, not a bug.
            return Fail(Problems.ProblemCodes.InputOutput, CliMessages.InputOutputFailed(e.Message, Written));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var exit = Fail(Problems.ProblemCodes.Internal, CliMessages.InternalError(e, Written));
            if (Environment.GetEnvironmentVariable("SMI_RETENTION_DEBUG") == "1")
            {
                Error.WriteLine(e.ToString());
            }

            return exit;
        }
    }

    /// <summary>Writes a command's report on standard output: its JSON document under <c>--format json</c>, else its text.</summary>
    public void Render<T>(T report, bool json)
        where T : Reports.ICommandReport
    {
        if (json)
        {
            Document(report);
        }
        else
        {
            NoticeUndeleted();
            report.WriteText(Output);
        }
    }

    /// <summary>
    /// Prints the summary of a command that writes outputs: the JSON document on standard output, or
    /// the text there, or on standard error when standard output carries one of the outputs.
    /// </summary>
    public void Render<T>(T report, bool json, Output.OutputPlan outputs)
        where T : Reports.ICommandReport
    {
        if (json)
        {
            Document(report);
        }
        else
        {
            NoticeUndeleted();
            var text = outputs.WritesStandardOutput ? Error : Output;
            report.WriteText(text);
            if (!report.SaysWhatWasWritten && Written.Count > 0)
            {
                text.WriteLine("Written    " + string.Join("; ", Written.Select(w => w.Option + ": " + (w.Destination == "-" ? "standard output" : Smi.Retention.Text.Untrusted.Show(w.Destination, 300)))));
            }
        }
    }

    /// <summary>Writes a command's JSON document on standard output, ending with its notices (a temporary file not deleted among them).</summary>
    public void Document<T>(T report)
        where T : Reports.ICommandReport
    {
        NoticeUndeleted();
        Reports.ReportJson.Write(Output, report, Notices);
    }

    /// <summary>Reports a failure: its message on standard error, and under <c>--format json</c> the error document; returns its exit code.</summary>
    public int Fail(Problems.ProblemCode code, string message, IReadOnlyList<Smi.Retention.Policies.PolicyProblem>? places = null, IReadOnlyDictionary<string, decimal>? facts = null)
    {
        // Outputs are disposed before a failure is reported: a temporary file that could not be
        // deleted is known now, and the message must not claim that none is left.
        message = WithUndeleted(message);

        lock (_reporting)
        {
            if (_abandoned)
            {
                return code.ExitCode; // the watchdog has said what happened and is ending the process
            }

            _failed = true;
            Report(code, message, places, facts);
        }

        return code.ExitCode;
    }

    /// <summary>Whether an output has been committed, or is being committed now: the exit after a signal must not then say nothing was written.</summary>
    public bool HasCommitted => Committing is not null || Written.Count > 0;

    /// <summary>Whether the command's end has been told on standard error (its failure, or the watchdog's account).</summary>
    public bool Told => Volatile.Read(ref _told);

    private bool _told;

    /// <summary>The output being committed now, if any: what the watchdog must describe if it ends the process meanwhile.</summary>
    public Output.OutputFile? Committing
    {
        get => Volatile.Read(ref _committing);
        set => Volatile.Write(ref _committing, value);
    }

    /// <summary>
    /// For the watchdog that ends a command not stopped within seconds of a signal (a commit
    /// slowed by the disk, say), after its temporary files are deleted: says what was written, in
    /// full, in part or not at all, unless the command has reported its end already.
    /// </summary>
    public void Abandoned()
    {
        if (!_reporting.TryEnter(TimeSpan.FromSeconds(1)))
        {
            return; // the command is writing its own message to a blocked stream: end anyway
        }

        try
        {
            if (_failed || _abandoned)
            {
                return;
            }

            _abandoned = true;
            var (message, written) = CliMessages.Abandoned([.. Written], Committing, AbandonedAccount?.Invoke());
            message = WithUndeleted(message);

            Report(Problems.ProblemCodes.Interrupted, message, null, null, written);
            _error.Flush();
            _output.Flush();
        }
        finally
        {
            _reporting.Exit();
        }
    }

    private readonly Lock _reporting = new();
    private bool _failed;
    private bool _abandoned;
    private Output.OutputFile? _committing;

    private void Report(Problems.ProblemCode code, string message, IReadOnlyList<Smi.Retention.Policies.PolicyProblem>? places, IReadOnlyDictionary<string, decimal>? facts, IReadOnlyList<Output.Written>? written = null)
    {
        Error.WriteLine(message);
        _error.Flush();
        Volatile.Write(ref _told, true); // before the JSON document, which a blocked standard output may hold up
        if (JsonCommand is { } command && !_output.HasWritten)
        {
            Reports.ReportJson.Write(_output, Reports.Models.ErrorReport.Of(command, code, message, places ?? [], facts, written ?? Written), Notices);
        }
    }

    /// <summary>What the watchdog says of the outputs instead of the committed ones, for a command whose files are not a run's outputs (the workbench's saves).</summary>
    public Func<string>? AbandonedAccount { get; set; }

    /// <summary>Releases the guards on the standard streams (the streams themselves are the caller's).</summary>
    public void Dispose()
    {
        _output.Dispose();
        _error.Dispose();
    }
}
