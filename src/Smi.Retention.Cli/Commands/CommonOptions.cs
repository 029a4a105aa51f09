using System.CommandLine;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Cli.Output;
using Smi.Retention.Evaluation;
using Smi.Retention.Inventory;
using Smi.Retention.Policies;
using Smi.Retention.Safety;
using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Cli.Commands;

/// <summary>Options several commands share, and turning their text into domain values (exit 2 when it cannot).</summary>
internal static class CommonOptions
{
    public static Option<string> Policy() => new("--policy")
    {
        Description = "A built-in policy name (see 'policies') or the path of a policy or timeline JSON file.",
        Required = true,
    };

    public static Option<string> Inventory() => new("--inventory")
    {
        Description = "The inventory CSV (- for standard input): device_id,device_type,status,status_since,prior_statuses[,notifying_party].",
        Required = true,
    };

    public static Option<string> AsOf() => new("--as-of")
    {
        Description = "The London date of the decisions, yyyy-MM-dd.",
        Required = true,
    };

    public static Option<string> Boundary() => new("--boundary")
    {
        Description = "'on': N months have elapsed on the corresponding date (default); 'after': from the day after.",
        DefaultValueFactory = _ => "on",
    };

    public static Option<string?> Format() => new("--format")
    {
        Description = "text (the default) or json: one JSON document whose shape is schemas/output/<command>.schema.json.",
    };

    /// <summary>The JSON document goes to standard output, so no other output may: refused before any work.</summary>
    public static void CheckJsonHasStandardOutput(bool json, Output.OutputPlan outputs)
    {
        if (json && outputs.WritesStandardOutput)
        {
            throw new UsageException(ProblemCodes.OptionValue, CliMessages.JsonWantsStandardOutput(outputs.ToStandardOutput));
        }
    }

    public static LocalDate ParseDate(string option, string? text)
    {
        // yyyy-MM-dd read directly: NodaTime's pattern engine costs about 10 ms on first use, in
        // every run. Anything else goes to it as before (LondonDatesTests: the same dates).
        if (text is { Length: 10 } && LondonDates.TryParseIsoDate(text, out var date))
        {
            return date;
        }

        var parsed = LocalDatePattern.Iso.Parse(text ?? "");
        return parsed.Success ? parsed.Value : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadDate(option, text ?? ""));
    }

    public static BoundaryMode ParseBoundary(string? text) =>
        text is null ? BoundaryMode.OnCorrespondingDate
        : BoundaryModes.TryParse(text, out var mode) ? mode
        : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadBoundary(text));

    /// <summary>A count of devices: digits only, read the same way in every culture (no separators, no sign).</summary>
    public static long? ParseCount(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return InvariantNumbers.TryParseCount(text, out var count) ? count : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadCount(option, text));
    }

    /// <summary>
    /// A percentage from 0 to 100: digits with an optional '.' and at most 8 decimals, read the same
    /// way in every culture ('4,9' is refused, never 49) and held exactly (a decimal, never rounded).
    /// </summary>
    public static decimal? ParsePercent(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return InvariantNumbers.TryParseDecimal(text, MaxPercentDecimals, out var percent) && percent <= 100
            ? percent
            : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadPercent(option, text));
    }

    /// <summary>The share of rejected rows beyond which a command refuses to go on: 1%.</summary>
    public const decimal DefaultMaxRejectPercent = 1;

    public static Option<string?> MaxRejectPercent(string description) => new("--max-reject-percent") { Description = description };

    /// <summary>The numbers of a refusal for too many rejects, for the JSON document.</summary>
    public static Dictionary<string, decimal> RejectFacts(long rejected, long read, decimal maxRejectPercent) =>
        new() { ["rejected"] = rejected, ["read"] = read, ["maxRejectPercent"] = maxRejectPercent };

    /// <summary>Decimals a percentage may have: a fraction then has at most <see cref="BlastRadiusLimits.MaxFractionDecimals"/>.</summary>
    public const int MaxPercentDecimals = BlastRadiusLimits.MaxFractionDecimals - 2;

    /// <summary>The files a compiled policy was read from, as inputs no output may overwrite: the file itself and those its timeline refers to.</summary>
    public static IEnumerable<(string Option, string? Path)> Inputs(string option, CompiledPolicy policy) =>
        policy.Timeline.Files.Select(file => (option, (string?)file));

    /// <summary>
    /// Runs an analysis over the accepted devices of an inventory; when devices turn out to be
    /// listed more than once, reads it again so that every row of them is rejected, then shows the
    /// first rejects and refuses (exit 4) when more than <paramref name="maxRejectPercent"/> were.
    /// </summary>
    public static (T Result, Cli.Inventory.AcceptedDevices Devices) Analyse<T>(
        CliContext context, string path, LocalDate? asOf, decimal maxRejectPercent, Func<Cli.Inventory.AcceptedDevices, T> analysis)
    {
        using var duplicates = new DuplicateCheck();
        while (true)
        {
            using var reader = OpenInventory(context, path, asOf);
            var devices = new Cli.Inventory.AcceptedDevices(reader, path, duplicates, context.Cancellation);
            var result = analysis(devices);
            switch (duplicates.AfterPass(reader, context.Cancellation))
            {
                case PassEnd.ReadAgain:
                    continue;
                case PassEnd.CannotReadAgain:
                    throw new TooManyRejectsException(ProblemCodes.RepeatedUnrereadable, CliMessages.DuplicatesNotRereadable(duplicates.Repeated, path), new Dictionary<string, decimal> { ["repeatedDevices"] = duplicates.Repeated });
            }

            devices.ShowRejects(context.Error);
            if (devices.Rejected * 100m > maxRejectPercent * devices.Read)
            {
                throw new TooManyRejectsException(ProblemCodes.TooManyRejects, CliMessages.TooManyRejects(devices.Rejected, devices.Read, maxRejectPercent, maxRejectPercent == DefaultMaxRejectPercent, null), RejectFacts(devices.Rejected, devices.Read, maxRejectPercent));
            }

            return (result, devices);
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
        if (path == "-" ? context.StandardInput is null && !Console.IsInputRedirected : IsPipe(path))
        {
            context.Error.WriteLine(CliMessages.WaitingForInput(path));
        }

        var opening = Task.Run(() => InventoryReader.Open(path, asOf, context.StandardInput));
        try
        {
            opening.Wait(context.Cancellation);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
        }

        return opening.Result;
    }

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
