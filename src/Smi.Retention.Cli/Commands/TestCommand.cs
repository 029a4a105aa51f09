using System.CommandLine;
using Smi.Retention.Authoring;
using Smi.Retention.Files;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Cli.Reports.Models;
using Smi.Retention.Policies;
using Smi.Retention.Text;
using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Cli.Commands;

/// <summary>
/// <c>test</c>: runs policy tests files (each names its policy, or <c>--policy</c> tests another
/// against them), prints every failing case with the explanation of its decision, exits 0 when
/// every case passes and 1 when one fails, and writes JUnit XML for CI.
/// </summary>
internal static class TestCommand
{
    public static Command Create(CliContext context)
    {
        var files = new Argument<string[]>("files") { Description = "Policy tests files (JSON; see schemas/policy-tests.schema.json), folders (every *.tests.json below them) or globs (tests/*.tests.json, tests/**/*.tests.json).", Arity = ArgumentArity.OneOrMore };
        var policy = new Option<string?>("--policy") { Description = "Test this policy (a built-in name or a file) against the cases instead of the policy each file names." };
        var junit = new Option<string?>("--junit") { Description = "Write the results as JUnit XML here (- for standard output), for CI; its folder is created if it does not exist." };
        var format = CommonOptions.Format();
        var command = new Command("test", "Run policy tests files: exit 0 when every case passes, 1 when one fails (each failure printed with its explanation).")
        {
            files, policy, junit, format,
        };
        command.SetAction(result =>
        {
            // Words after '--' are tests files whatever they look like (POSIX): '-x' there is no slip for an option.
            var named = result.Tokens.SkipWhile(t => t.Type != System.CommandLine.Parsing.TokenType.DoubleDash).Skip(1).Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
            return context.Guarded(() => Execute(context, result.GetValue(files)!, named, result.GetValue(policy), result.GetValue(junit), JsonReport.IsJson(result.GetValue(format))));
        });
        return command;
    }

    private static int Execute(CliContext context, string[] arguments, HashSet<string> afterDashes, string? policyOverride, string? junitPath, bool json)
    {
        // Those after '--' are files as named (they come last on the command line), the others expanded.
        var paths = arguments.Where(a => !afterDashes.Contains(a)).SelectMany(Expand).Concat(arguments.Where(afterDashes.Contains)).Distinct(StringComparer.Ordinal).ToArray();
        var suites = paths.Select(p => Load(p, afterDashes.Contains(p))).ToArray();
        var chosen = policyOverride is null ? null : CommandInputs.LoadPolicy(policyOverride, BoundaryMode.OnCorrespondingDate);
        var runs = suites.Select(suite => (Suite: suite, Policy: chosen?.Timeline ?? LoadPolicyOf(suite))).ToArray();
        var unknown = runs.SelectMany(r => PolicyTestRunner.UnknownRules(r.Suite, r.Policy)).ToArray();
        if (unknown.Length > 0)
        {
            // A misspelt expected rule would only fail at run time, as a mismatch: it is a problem of the file.
            throw new UsageException(ProblemCodes.TestsFile, string.Join(Environment.NewLine, unknown.Select(CliMessages.Placed)), unknown);
        }

        CreateFolderOf(junitPath);
        var inputs = paths.Select(p => ("the tests file", (string?)p))
            .Concat(runs.SelectMany(r => r.Policy.Files.Select(f => ("--policy", (string?)f))));
        using var outputs = OutputPlan.Create(context, [("--junit", junitPath)], [.. inputs]);
        OutputPlan.CheckJsonHasStandardOutput(json, outputs);

        var results = TestReport.Of(runs.Select(r => (r.Suite, r.Policy, PolicyTestRunner.Run(r.Suite, r.Policy))));
        // The text goes to standard error when standard output carries the JSON document or the JUnit XML.
        var text = outputs.WritesStandardOutput || json ? context.Error : context.Output;
        results.WriteSuites(text);
        if (outputs["--junit"] is { } file)
        {
            results.WriteJUnit(file.Stream);
        }

        context.Cancellation.ThrowIfCancellationRequested();
        outputs.Commit("--junit");
        results.WriteTotals(text);
        if (json)
        {
            context.Document(results);
        }

        return results.Failed == 0 ? ExitCodes.Done : ExitCodes.TestsFailed;
    }

    /// <summary>
    /// The tests files an argument names: the file itself; every <c>*.tests.json</c> below a folder;
    /// or the files a glob in its last part matches (<c>dir/*.tests.json</c>, and below every folder
    /// with <c>dir/**/*.tests.json</c>), in ordinal order, links to folders not followed.
    /// </summary>
    private static IEnumerable<string> Expand(string argument)
    {
        if (string.IsNullOrWhiteSpace(argument) || (argument.StartsWith('-') && argument != "-"))
        {
            return [argument]; // Load says what is wrong with it
        }

        var pattern = Path.GetFileName(argument);
        var folder = Path.GetDirectoryName(argument) is { Length: > 0 } d ? d : ".";
        var glob = pattern.IndexOfAny(['*', '?']) >= 0;
        if (!glob && !Directory.Exists(argument))
        {
            return [argument];
        }

        var recursive = !glob;
        if (glob && Path.GetFileName(folder) == "**")
        {
            folder = Path.GetDirectoryName(folder) is { Length: > 0 } parent ? parent : ".";
            recursive = true;
        }

        if (!glob)
        {
            (folder, pattern) = (argument, "*.tests.json");
        }

        if (folder.IndexOfAny(['*', '?']) >= 0)
        {
            throw new UsageException(ProblemCodes.TestsFile, CliMessages.TestsGlobFolder(argument));
        }

        string[] found;
        try
        {
            var options = new EnumerationOptions { RecurseSubdirectories = recursive, MatchCasing = MatchCasing.CaseSensitive, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
            found = [.. Directory.EnumerateFiles(folder, pattern, options).Order(StringComparer.Ordinal)];
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException(ProblemCodes.TestsFile, CliMessages.TestsGlobUnreadable(argument, "its folder does not exist."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException(ProblemCodes.TestsFile, CliMessages.TestsGlobUnreadable(argument, Untrusted.Show(e.Message, 300)));
        }

        // A name that is not UTF-8 reaches .NET with U+FFFD in place of its bytes: read by that name,
        // it is another file or none (a failing case never run), as an argument would be.
        if (found.FirstOrDefault(f => f.Contains('\uFFFD', StringComparison.Ordinal)) is { } lossy)
        {
            throw new UsageException(ProblemCodes.TestsFile, CliMessages.FoundNameNotUtf8(argument, lossy));
        }

        return found.Length > 0 ? found : throw new UsageException(ProblemCodes.TestsFile, CliMessages.TestsGlobEmpty(argument, pattern));
    }

    /// <summary>Creates the folder of the JUnit report, as CI expects of a report path (test-results/junit.xml).</summary>
    private static void CreateFolderOf(string? junitPath)
    {
        if (junitPath is null or "-")
        {
            return;
        }

        try
        {
            RealPaths.CreateFolderOf(junitPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.CannotWriteOutput("--junit", junitPath, e.Message));
        }
    }

    private static PolicyTestSuite Load(string path, bool afterDashes)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException(ProblemCodes.TestsFile, CliMessages.TestsFileEmpty());
        }

        if (path.StartsWith('-') && path != "-" && !afterDashes)
        {
            // A misspelt option (--junt) would otherwise be taken for a file name.
            throw new UsageException(ProblemCodes.CommandLine, CliMessages.UnknownTestOption(path, Spelling.Suggest(path, ["--policy", "--junit", "--format"])));
        }

        try
        {
            return PolicyTestSuite.Load(path);
        }
        catch (PolicyValidationException e)
        {
            throw new UsageException(ProblemCodes.TestsFile, e.Message, e.Problems);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException(ProblemCodes.TestsFile, Untrusted.Show(e.Message, 1000));
        }
    }

    /// <summary>The policy a suite names, loaded by the suite (a file only under the working folder).</summary>
    private static RetentionTimeline LoadPolicyOf(PolicyTestSuite suite)
    {
        try
        {
            return suite.LoadPolicy();
        }
        catch (PolicyValidationException e)
        {
            throw new UsageException(ProblemCodes.PolicyInvalid, e.Message, e.Problems);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException(ProblemCodes.PolicyUnreadable, CliMessages.TestsPolicyUnreadable(suite.Source, Untrusted.Show(e.Message, 1000)));
        }
    }
}
