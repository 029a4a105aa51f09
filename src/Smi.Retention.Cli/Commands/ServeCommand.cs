using System.CommandLine;
using System.Globalization;
using NodaTime;
using Smi.Retention.Authoring;
using Smi.Retention.Cli.Workbench;
using Smi.Retention.Policies;
using Smi.Retention.Files;
using Smi.Retention.Text;
using Smi.Retention.Inventory;
using Smi.Retention.Cli.Problems;
using Smi.Retention.Cli.Input;

namespace Smi.Retention.Cli.Commands;

/// <summary>
/// <c>serve</c>: the policy workbench, a page served on the loopback address where an author edits
/// a policy and sees, on every edit, its problems, its tests, and what it would do to the whole
/// inventory against the baseline policy. Runs until Ctrl-C.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The port when none is given.</summary>
    public const int DefaultPort = 5380;

    /// <summary>How many devices the synthetic inventory has when none is given.</summary>
    public const int SyntheticDevices = 100_000;

    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        policy.Required = false;
        policy.Description = "The policy to edit: a JSON file under the working folder (saved back to it), or a built-in name (saved as <name>.json here). Default: secmp0060.";
        var against = new Option<string?>("--against") { Description = "The baseline the edits are compared with: a built-in name or a file. Default: the policy as it is when the workbench starts." };
        var inventory = CommonOptions.Inventory();
        inventory.Required = false;
        inventory.Description = $"The inventory CSV to decide on every edit, read once into memory. Default: a synthetic inventory of {SyntheticDevices:N0} devices.";
        var tests = new Option<string?>("--tests") { Description = "A policy tests file to run on every edit. Default: <policy>.tests.json beside the policy, if there is one." };
        // Required, as for every command: the tool never reads the date from the wall clock.
        var asOf = CommonOptions.AsOf();
        var boundary = CommonOptions.Boundary();
        var cost = new Option<string?>("--cost-per-device") { Description = "The cost of one removal for the forecast, a figure or a range. Default: 36-50 (SECMP0060's figure for a Communications Hub)." };
        var port = new Option<string?>("--port") { Description = $"The port on 127.0.0.1 (0 for any free port). Default: {DefaultPort}." };
        var force = new Option<bool>("--force") { Description = "Allow saving a policy that has problems (never without it)." };
        var maxRejects = CommonOptions.MaxRejectPercent("Refuse to start if more than this percentage of the inventory's rows is rejected (default 1).");
        var command = new Command("serve", "The policy workbench: edit a policy in a browser and see, as you type, its problems, its tests and what it would remove.")
        {
            policy, against, inventory, tests, asOf, boundary, cost, port, force, maxRejects,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            var portNumber = (int)CommonOptions.ParseWhole("--port", result.GetValue(port), DefaultPort, 0, 65535, "a port (0 for any free one)");

            var date = CommonOptions.ParseDate("--as-of", result.GetValue(asOf));
            try
            {
                _ = RetentionCalendar.MonthsAfter(date, Workbench.WorkbenchSession.ForecastMonths + 1);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
            {
                throw new UsageException(ProblemCodes.OptionValue, CliMessages.WorkbenchAsOfTooLate(NodaTime.Text.LocalDatePattern.Iso.Format(date), Workbench.WorkbenchSession.ForecastMonths));
            }

            var mode = CommonOptions.ParseBoundary(result.GetValue(boundary));
            var band = CommonOptions.ParseCost(result.GetValue(cost) ?? "36-50");
            var root = Directory.GetCurrentDirectory();
            var (text, savePath, policyFile) = Edited(result.GetValue(policy), root);

            // The policy as it is now: checked like any input (an invalid one is still opened, to be fixed).
            var (timeline, problems) = Workbench.WorkbenchSession.Parse(text, savePath);
            var baseline = result.GetValue(against) is { } againstName
                ? CommandInputs.LoadPolicy(againstName, mode, "--against")
                : timeline is not null ? Evaluation.CompiledPolicy.Compile(timeline, mode)
                : throw new UsageException(ProblemCodes.Workbench, CliMessages.WorkbenchNeedsBaseline(Untrusted.Show(savePath, 300), problems.Length));
            var suite = Tests(result.GetValue(tests), policyFile);
            var inventoryPath = result.GetValue(inventory);
            var (devices, columns, inventoryName) = inventoryPath is null
                ? (CommonOptions.Synthetic("--as-of", SyntheticDevices, seed: 1, date).ToArray(), (IReadOnlySet<string>)InventoryColumns.Optional.ToHashSet(), string.Create(CultureInfo.InvariantCulture, $"synthetic ({SyntheticDevices:N0} devices, seed 1)"))
                : Read(context, inventoryPath, date, CommonOptions.ParsePercent("--max-reject-percent", result.GetValue(maxRejects)) ?? CommonOptions.DefaultMaxRejectPercent);

            // What the workbench read may not be saved over: the inventory, the tests, the baseline's files.
            // The tests file is saved only from its own tab, and never over any of these.
            var setup = new WorkbenchSetup(text, savePath, baseline, devices, inventoryName, date, mode, suite, band, result.GetValue(force)) { Columns = columns };
            var workbench = new Workbench.WorkbenchSession(setup);
            string[] inputs = [.. inventoryPath is null ? [] : new[] { inventoryPath }, .. baseline.Timeline.Files.Where(f => Path.GetFullPath(f) != savePath)];
            var saver = new WorkbenchSaver(context, root, savePath, inputs, result.GetValue(force), setup.TestsPath);
            return Serve(context, workbench, saver, portNumber, devices.Length);
        }));
        return command;
    }

    private static int Serve(CliContext context, Workbench.WorkbenchSession workbench, WorkbenchSaver saver, int port, int devices)
    {
        context.AbandonedAccount = () => CliMessages.WorkbenchSavesOnAbandon(saver.Saved);
        WorkbenchServer server;
        try
        {
            server = WorkbenchServer.StartAsync(workbench, saver, port, context.Cancellation).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            throw new UsageException(ProblemCodes.Workbench, CliMessages.WorkbenchPortInUse(port, Untrusted.Show(e.Message, 300)));
        }

        try
        {
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Workbench  {server.Address} ({devices:N0} devices in memory); Ctrl-C to stop."));
            context.Output.Flush();
            context.Cancellation.WaitHandle.WaitOne();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        context.Output.WriteLine("Workbench  stopped.");
        return ExitCodes.Done;
    }

    /// <summary>The text to edit, where it is saved, and the file it came from (null for a built-in).</summary>
    private static (string Text, string SavePath, string? File) Edited(string? given, string root)
    {
        // No --policy: secmp0060, the built-in, whatever files are here (the user named none).
        var nameOrPath = given ?? "secmp0060";
        bool builtIn;
        try
        {
            builtIn = given is null || PolicyCatalog.IsBuiltIn(nameOrPath, root, PolicyCatalog.BuiltInNames);
        }
        catch (IOException e)
        {
            throw new UsageException(ProblemCodes.PolicyUnreadable, e.Message); // a file of the built-in's name is here too
        }

        if (builtIn)
        {
            // Saved as <name>.json here: never over a file of that name already here (a session's
            // earlier save, say), which the built-in's text would silently replace.
            var copy = Path.Combine(root, nameOrPath + ".json");
            return FileFacts.Of(copy, followLinks: false).Exists
                ? throw new UsageException(ProblemCodes.Workbench, CliMessages.WorkbenchBuiltInFileExists(nameOrPath))
                : (PolicyCatalog.BuiltInText(nameOrPath), copy, null);
        }

        var full = Path.GetFullPath(nameOrPath, root);
        if (WorkbenchSaver.Confine(root, Path.GetRelativePath(root, full)) is null)
        {
            throw new UsageException(ProblemCodes.Workbench, CliMessages.WorkbenchOutsideFolder(Untrusted.Show(nameOrPath, 300), Untrusted.Show(root, 300)));
        }

        try
        {
            // Never through a link: the workbench reads and writes only regular files under its folder.
            var bytes = PolicyFiles.Read(full, Messages.UnknownPolicy(nameOrPath, PolicyCatalog.BuiltInNames), followLinks: false);
            return (System.Text.Encoding.UTF8.GetString(bytes), full, full);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException(ProblemCodes.PolicyUnreadable, Untrusted.Show(e.Message, 1000));
        }
    }

    /// <summary>The tests file given, or the one beside the policy file; null when there is none.</summary>
    private static PolicyTestSuite? Tests(string? given, string? policyFile)
    {
        var path = given ?? (policyFile is null ? null : Path.ChangeExtension(policyFile, null) + ".tests.json");
        if (path is null || (given is null && !File.Exists(path)))
        {
            return null;
        }

        if (FileFacts.Of(path, followLinks: false).Kind == FileKind.SymbolicLink)
        {
            throw new UsageException(ProblemCodes.Workbench, CliMessages.WorkbenchLink(Untrusted.Show(path, 300)));
        }

        try
        {
            return PolicyTestSuite.Load(path);
        }
        catch (PolicyValidationException e)
        {
            throw new UsageException(ProblemCodes.TestsFile, e.Message, e.Problems);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException(ProblemCodes.TestsFile, Untrusted.Show(e.Message, 1000));
        }
    }

    /// <summary>The inventory's devices, and which optional columns it has (the page warns of a rule that tests a fact it lacks).</summary>
    private static (DeviceRecord[] Devices, IReadOnlySet<string> Columns, string Name) Read(CliContext context, string path, LocalDate asOf, decimal maxRejectPercent)
    {
        IReadOnlySet<string> columns = new HashSet<string>();
        var (devices, accepted) = CommandInputs.Analyse(context, path, asOf, maxRejectPercent, d => d.Stream().ToArray(), reader => columns = InventoryColumns.Optional.Where(reader.HasColumn).ToHashSet(), read: null);
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Inventory  {Untrusted.Show(path, 300)}: {accepted.Read:N0} rows read, {devices.Length:N0} devices, {accepted.Rejected:N0} rejected"));
        return (devices, columns, path);
    }
}
