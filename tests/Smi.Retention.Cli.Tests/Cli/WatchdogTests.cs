using Smi.Retention.Cli;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// What the watchdog says when it ends a command that did not stop within seconds of a signal
/// (the process-level part, that it ends at all, is in HostileOutputTests): one account of the
/// end, never two, and for the workbench an account of its saves rather than "no output".
/// </summary>
public sealed class WatchdogTests
{
    [Fact]
    public void Abandoned_CommandThatHasCommittedNothing_SaysNoOutputWritten()
    {
        var (context, error) = Context();

        context.Abandoned();

        Assert.Equal("Interrupted: the command did not stop within 5 seconds of the signal, so it was ended. No output was written, and no temporary file is left behind.\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Abandoned_TheWorkbench_AccountsForItsSavesInstead()
    {
        var (context, error) = Context();
        string[] saved = ["policy.json", "tests.json", "policy.json"];
        context.AbandonedAccount = () => CliMessages.WorkbenchSavesOnAbandon(saved);

        context.Abandoned();

        Assert.Equal("Interrupted: the command did not stop within 5 seconds of the signal, so it was ended. The workbench saved policy.json, tests.json, each whole; a save under way was either made in full or not at all (a save is renamed into place in one step).\n", error.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain("No output was written", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Abandoned_AfterTheCommandReportedItsEnd_SaysNothingMore()
    {
        var (context, error) = Context();
        context.Fail(Smi.Retention.Cli.Problems.ProblemCodes.Interrupted, "Interrupted: the run was stopped before it finished.");

        context.Abandoned();

        Assert.Equal("Interrupted: the run was stopped before it finished.\n", error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Fail_AfterTheWatchdogSpoke_SaysNothingMore()
    {
        var (context, error) = Context();
        context.Abandoned();

        context.Fail(Smi.Retention.Cli.Problems.ProblemCodes.Interrupted, "Interrupted: the run was stopped before it finished.");

        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// A temporary file that could not be deleted when the watchdog ends a command is said in its
    /// message and, under --format json, in the error document's notices too, as on a failure.
    /// </summary>
    [Fact]
    public void Abandoned_TemporaryFileLeft_InTheMessageAndTheDocumentsNotices()
    {
        var folder = Directory.CreateTempSubdirectory("smi-watchdog-");
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, interactive: false) { JsonCommand = "run" };
        Smi.Retention.Cli.Output.OutputFile.DeleteFault.Value = "Read-only file system";
        try
        {
            var plan = Smi.Retention.Cli.Output.OutputPlan.Create(context, [("--out", Path.Combine(folder.FullName, "d.csv"))], []);
            plan.Dispose(); // its temporary file not deleted, as the signal's clean-up finds

            context.Abandoned();

            using var document = System.Text.Json.JsonDocument.Parse(output.ToString());
            var notice = Assert.Single(document.RootElement.GetProperty("notices").EnumerateArray()).GetString()!;
            Assert.StartsWith("A temporary file could not be deleted and is left behind: " + folder.FullName + "/.d.csv.", notice, StringComparison.Ordinal);
            Assert.Contains(notice, error.ToString(), StringComparison.Ordinal);
            Assert.Contains(notice, document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Smi.Retention.Cli.Output.OutputFile.DeleteFault.Value = null;
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A bug's report names the tool's own method the exception passed through last (a failure of a
    /// race cannot be made again to get the trace), in one line: no stack trace.
    /// </summary>
    [Fact]
    public void Guarded_AnUnexpectedException_NamesTheToolsMethodItCameFrom_NotTheTrace()
    {
        var (context, error) = Context();

        var exit = context.Guarded(() => CliMessages.WhatWasWritten(null!).Length);

        var text = error.ToString();
        Assert.Equal(ExitCodes.InternalError, exit);
        Assert.StartsWith("smi-retention stopped on an internal error: ArgumentNullException (in Smi.Retention.Cli.CliMessages.WhatWasWritten): Value cannot be null.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text.Split("Set SMI_RETENTION_DEBUG=1")[0], StringComparison.Ordinal);
    }

    private static (CliContext Context, StringWriter Error) Context()
    {
        var error = new StringWriter();
        return (new CliContext(TextWriter.Null, error, interactive: false), error);
    }
}
