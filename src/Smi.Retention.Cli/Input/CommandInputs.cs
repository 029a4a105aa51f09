using System.Globalization;
using NodaTime;
using Smi.Retention.Cli.Commands;
using Smi.Retention.Cli.Output;
using Smi.Retention.Cli.Problems;
using Smi.Retention.Evaluation;
using Smi.Retention.Inventory;
using Smi.Retention.Policies;
using Smi.Retention.Files;
using Smi.Retention.Text;

namespace Smi.Retention.Cli.Input;

/// <summary>
/// What the commands read, opened one way: a policy by name or path (every problem a usage error),
/// an inventory (Ctrl-C ends a wait for its writer), the accepted devices of an inventory for the
/// analysis commands, and the inputs no output may overwrite.
/// </summary>
internal static class CommandInputs
{
    /// <summary>The files a compiled policy was read from, as inputs no output may overwrite: the file itself and those its timeline refers to.</summary>
    public static IEnumerable<(string Option, string? Path)> Inputs(string option, CompiledPolicy policy) =>
        policy.Timeline.Files.Select(file => (option, (string?)file));

    /// <summary>
    /// Runs an analysis over the accepted devices of an inventory; when devices turn out to be
    /// listed more than once, reads it again so that every row of them is rejected, then shows the
    /// first rejects and refuses (exit 4) when more than <paramref name="maxRejectPercent"/> were.
    /// </summary>
    /// <param name="context">The command's streams and cancellation.</param>
    /// <param name="path">The inventory.</param>
    /// <param name="asOf">Rows dated after it are rejected.</param>
    /// <param name="maxRejectPercent">The share of rejects beyond which the command refuses.</param>
    /// <param name="analysis">The analysis, over the accepted devices.</param>
    /// <param name="policies">The policies analysed: a rule that tests a fact the inventory has no column for, or names a model no row has, is warned of, once.</param>
    public static (T Result, AcceptedDevices Devices) Analyse<T>(
        CliContext context, string path, LocalDate? asOf, decimal maxRejectPercent, Func<AcceptedDevices, T> analysis, params CompiledPolicy[] policies) =>
        Analyse(context, path, asOf, maxRejectPercent, analysis, reader => WarnOfThePolicies(context, reader, policies), reader => WarnOfUnseenModels(context, reader, policies));

    /// <summary>
    /// <see cref="Analyse{T}(CliContext, string, LocalDate?, decimal, Func{AcceptedDevices, T}, CompiledPolicy[])"/>,
    /// calling <paramref name="opened"/> once with the inventory past its header and <paramref name="read"/> once after its first reading.
    /// </summary>
    public static (T Result, AcceptedDevices Devices) Analyse<T>(
        CliContext context, string path, LocalDate? asOf, decimal maxRejectPercent, Func<AcceptedDevices, T> analysis, Action<InventoryReader>? opened, Action<InventoryReader>? read = null)
    {
        var (result, devices) = InventoryAnalysis.Run(
            () => OpenInventory(context, path, asOf),
            path,
            analysis,
            opened,
            read,
            repeated => new TooManyRejectsException(ProblemCodes.RepeatedUnrereadable, CliMessages.DuplicatesNotRereadable(repeated, path), new Dictionary<string, decimal> { ["repeatedDevices"] = repeated }),
            context.Cancellation);
        ShowRejects(context, devices);
        if (devices.Rejected * 100m > maxRejectPercent * devices.Read)
        {
            throw new TooManyRejectsException(ProblemCodes.TooManyRejects, CliMessages.TooManyRejects(devices.Rejected, devices.Read, maxRejectPercent, maxRejectPercent == CommonOptions.DefaultMaxRejectPercent, null, byRun: false), TooManyRejectsException.RejectFacts(devices.Rejected, devices.Read, maxRejectPercent));
        }

        return (result, devices);
    }

    /// <summary>Says (as notices) the first rejects of an analysis, and how many more there were.</summary>
    private static void ShowRejects(CliContext context, AcceptedDevices devices)
    {
        foreach (var row in devices.FirstRejected)
        {
            context.Notice(CliMessages.RejectedRow(row.Line, row.IdText, row.Error));
        }

        if (devices.Rejected > devices.FirstRejected.Count)
        {
            context.Notice(string.Create(CultureInfo.InvariantCulture, $"... and {devices.Rejected - devices.FirstRejected.Count:N0} more rejected rows (see 'run --rejects')."));
        }
    }

    /// <summary>
    /// Says (as notices, on standard error) as the inventory is opened, each warning of the
    /// policies that <c>validate --strict</c> refuses (a rule disabled: an exclusion switched off
    /// removes what it kept), then one for each rule that tests a fact the inventory has no column for.
    /// </summary>
    public static void WarnOfThePolicies(CliContext context, InventoryReader reader, IEnumerable<CompiledPolicy> policies)
    {
        foreach (var warning in policies.SelectMany(p => Impact.PolicyLint.Check(p.Timeline).Concat(Impact.PolicyLint.Check(p.Timeline, reader))))
        {
            context.Notice(warning.ToString());
        }
    }

    /// <summary>Says (a notice, on standard error), once the inventory has been read, a warning for each model a rule names that no row of it has.</summary>
    public static void WarnOfUnseenModels(CliContext context, InventoryReader reader, IEnumerable<CompiledPolicy> policies)
    {
        if (!reader.HasColumn(Inventory.InventoryColumns.DeviceModel))
        {
            return; // warned of as such, where a rule tests the model
        }

        var models = reader.ModelsRead(); // null: too many to keep, said for each model a rule names
        foreach (var warning in policies.SelectMany(p => Impact.PolicyLint.CheckModels(p.Timeline, reader.Source, models)))
        {
            context.Notice(warning.ToString());
        }
    }

    /// <summary>
    /// For a command that writes no file: refuses (exit 2, writing nothing to it) a standard output
    /// or error that is one of its inputs (<c>validate --policy p.json &gt;&gt; p.json</c>), as
    /// <see cref="OutputPlan.Create"/> does for a command with outputs.
    /// </summary>
    public static void CheckStandardStreams(CliContext context, IEnumerable<(string Option, string? Path)> inputs)
    {
        using var _ = OutputPlan.Create(context, [], inputs);
    }

    /// <summary>
    /// Opens an inventory file, or standard input for <c>-</c>, and reads its header on another
    /// thread, so that Ctrl-C ends the wait for a pipe's writer or a terminal's typing (the open and
    /// the first read block until then). Says so when it waits on a named pipe or a terminal.
    /// </summary>
    public static InventoryReader OpenInventory(CliContext context, string path, LocalDate? asOf)
    {
        if (path.Length == 0)
        {
            throw new InventoryFormatException(CliMessages.InventoryEmpty);
        }

        // Never read: what holds a closed stream's number now is the runtime's own file, or a pipe's end held for it.
        if ((path == "-" ? (context.StandardInput is StandardDescriptors.Closed ? CliMessages.InputIsAClosedStream("--inventory", path, 0) : null) : StandardDescriptors.Refusal("--inventory", path, output: false)) is { } refused)
        {
            throw new InventoryFormatException(refused);
        }

        var terminal = path == "-" && context.StandardInput is null && !Console.IsInputRedirected;
        if (terminal)
        {
            context.Error.WriteLine(CliMessages.WaitingForInput(path));
        }

        var opening = Task.Run(() => InventoryReader.Open(path, asOf, context.StandardInput));
        try
        {
            // A pipe is said to be waited on only when it is: one whose writer has written opens at
            // once, and one that can never end is refused at once.
            if (!terminal && !opening.Wait(PipeNoticeMilliseconds, context.Cancellation) && IsPipe(path))
            {
                context.Error.WriteLine(CliMessages.WaitingForInput(path));
            }

            opening.Wait(context.Cancellation);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
        }

        return opening.Result;
    }

    /// <summary>How long the opening of a pipe may take before the tool says it waits for the pipe to be written.</summary>
    private const int PipeNoticeMilliseconds = 250;

    private static bool IsPipe(string path)
    {
        try
        {
            return FileFacts.Of(path).Kind == FileKind.Fifo;
        }
        catch (IOException)
        {
            return false; // the open says why
        }
    }

    /// <summary>Loads and compiles a policy; an invalid policy or unknown name is a usage error listing every problem.</summary>
    public static CompiledPolicy LoadPolicy(string nameOrPath, BoundaryMode boundary, string option = "--policy", bool problems = false)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            throw new UsageException(ProblemCodes.PolicyUnreadable, CliMessages.PolicyEmpty(option));
        }

        if (StandardDescriptors.Refusal(option, nameOrPath, output: false) is { } refused)
        {
            throw new UsageException(ProblemCodes.PolicyUnreadable, refused);
        }

        try
        {
            return CompiledPolicy.Compile(PolicyCatalog.Load(nameOrPath), boundary);
        }
        catch (PolicyValidationException e) when (!problems)
        {
            throw new UsageException(ProblemCodes.PolicyInvalid, e.Message, e.Problems);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            // With problems: a file that cannot be read is one problem of the policy, for JSON output.
            throw problems
                ? new PolicyValidationException(nameOrPath, [new PolicyProblem(nameOrPath, 0, 0, null, Untrusted.Show(e.Message, 1000))])
                : new UsageException(ProblemCodes.PolicyUnreadable, Untrusted.Show(e.Message, 1000));
        }
    }
}
