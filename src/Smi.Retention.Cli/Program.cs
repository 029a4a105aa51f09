using System.Runtime.InteropServices;
using Smi.Retention.Cli.Output;

namespace Smi.Retention.Cli;

/// <summary>The <c>smi-retention</c> command.</summary>
public static class Program
{
    private static readonly int[] LinuxStoppingSignals = [10, 12, 14, 16, 24, 26, 27, 30];

    /// <summary>SIGXFSZ on Linux: a write crossed the file-size limit (ulimit -f).</summary>
    private const int LinuxFileSizeLimit = 25;

    private static PosixSignalRegistration? _fileSizeLimit;

    /// <summary>
    /// Runs the command line; see <see cref="SmiRetentionCli"/>. Ctrl-C, SIGTERM, SIGHUP (a closed
    /// terminal), SIGQUIT and SIGUSR1/2 stop the command: it removes its temporary files, writes
    /// nothing and exits 130. If it has not stopped within five seconds, the temporary files are
    /// removed here, the command's context says what was written (in full, in part, or an output
    /// being renamed into place), and the process ends; a second signal ends it at once.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args)
    {
        ProcessorVariant.HandOver(args);
        StandardDescriptors.Claim();
        using var interrupt = new CancellationTokenSource();
        CliContext? running = null;
        void Stop(PosixSignalContext signal)
        {
            if (interrupt.IsCancellationRequested)
            {
                OutputFile.RemoveAbandoned();

                // The second signal: the default action ends the process (130, which says nothing
                // was written), unless an output is committed; then at once with 74, nothing run
                // on the way out (a flush of a blocked standard output would hold it).
                if (Volatile.Read(ref running) is { HasCommitted: true } && !OperatingSystem.IsWindows())
                {
                    ExitNow(ExitCodes.InputOutputError);
                }

                return;
            }

            signal.Cancel = true;
            interrupt.Cancel();
            _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(
                _ =>
                {
                    OutputFile.RemoveAbandoned();

                    // Said on another thread, waited for a moment: standard error or output may be a
                    // pipe nobody reads, and the process ends now whether or not the words got out.
                    // Unsaid with outputs committed, 130 ("nothing written unless the message names
                    // an output") would be false: the exit is then 74, an output's state unknown.
                    var exit = ExitCodes.Interrupted;
                    if (Volatile.Read(ref running) is { } context)
                    {
                        Task.Run(context.Abandoned).Wait(TimeSpan.FromSeconds(2));
                        if (!context.Told && context.HasCommitted)
                        {
                            exit = ExitCodes.InputOutputError;
                        }
                    }

                    Environment.Exit(exit);
                },
                TaskScheduler.Default);
        }

        PosixSignal[] stopping = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];
        if (OperatingSystem.IsLinux())
        {
            // The other signals whose default is to end the process, by their Linux numbers (.NET
            // names only the portable ones): SIGUSR1, SIGUSR2, SIGALRM, SIGSTKFLT, SIGXCPU,
            // SIGVTALRM, SIGPROF, SIGPWR.
            stopping = [.. stopping, .. LinuxStoppingSignals.Select(n => (PosixSignal)n)];
        }

        var registrations = stopping.Select(s => PosixSignalRegistration.Create(s, Stop)).ToArray();
        if (OperatingSystem.IsLinux())
        {
            // SIGXFSZ, a file-size limit, neither ends the process (its default) nor stops the run:
            // the write that crossed the limit fails (EFBIG) and the run reports that output's
            // failure (exit 74). Kept until the process ends, never disposed: the runtime hands a
            // signal to its handlers later, on another thread, and one that arrived as the command
            // ended would otherwise meet the default action and end the process with 153.
            _fileSizeLimit ??= PosixSignalRegistration.Create((PosixSignal)LinuxFileSizeLimit, signal => signal.Cancel = true);
        }

        try
        {
            // Standard output for '-' as a plain stream over descriptor 1: unlike the console stream,
            // it reports a reader that has gone (EPIPE) instead of ignoring it; and it writes with
            // write(2), at the descriptor's shared offset, so a redirected file is never written over.
            TextWriter output, error;
            try
            {
                output = StandardDescriptors.IsClosed(1) ? StandardDescriptors.Closed.Writer(StandardDescriptors.Name(1)) : Console.Out;
                error = StandardError();
            }
            catch (IOException e)
            {
                // The console's writers duplicate their descriptors: with almost none left (ulimit -n 6) that failed, and the process aborted with a stack trace.
                return CannotStart(e);
            }

            return SmiRetentionCli.Run(
                args,
                output,
                error,
                interactive: !StandardDescriptors.IsClosed(2) && !Console.IsErrorRedirected,
                standardOutput: () => StandardDescriptors.IsClosed(1) ? new StandardDescriptors.Closed(StandardDescriptors.Name(1))
                    : OperatingSystem.IsWindows() ? new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1)
                    : new Files.DescriptorStream(1),
                standardInput: StandardDescriptors.IsClosed(0) ? new StandardDescriptors.Closed(StandardDescriptors.Name(0)) : null,
                streams: StandardStreams.OfProcess(),
                cancellation: interrupt.Token,
                started: context => Volatile.Write(ref running, context));
        }
        finally
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    /// <summary>Says on descriptor 2, in one line, that the process cannot start, and gives the exit code (74).</summary>
    private static int CannotStart(IOException e)
    {
        var line = System.Text.Encoding.UTF8.GetBytes("smi-retention cannot start: " + e.Message + " (the limit on open files, ulimit -n, may be too low).\n");
        if (!OperatingSystem.IsWindows() && !StandardDescriptors.IsClosed(2))
        {
            try
            {
                new Files.DescriptorStream(2).Write(line); // on descriptor 2 itself: no copy of it can be made
            }
            catch (Exception written) when (written is IOException or UnauthorizedAccessException)
            {
                // Standard error full or gone: the exit code says it.
            }
        }

        return ExitCodes.InputOutputError;
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void ExitNow(int status);

    /// <summary>
    /// Standard error, written with write(2) on a duplicate of descriptor 2 made now: the console's
    /// writer on Unix takes the lock of standard output for every write, so a message (the
    /// watchdog's account of what was written, after a signal) waited behind a summary blocked on a
    /// full standard output and never got out. The console's own where there is no such descriptor;
    /// none at all when the process started without it (<see cref="StandardDescriptors"/>).
    /// </summary>
    private static TextWriter StandardError() =>
        StandardDescriptors.IsClosed(2) ? StandardDescriptors.Closed.Writer(StandardDescriptors.Name(2))
        : Files.DescriptorStream.Duplicate(2) is { } stream
            ? TextWriter.Synchronized(new StreamWriter(stream, Console.Error.Encoding, bufferSize: 1024) { AutoFlush = true, NewLine = Console.Error.NewLine })
            : Console.Error;
}
