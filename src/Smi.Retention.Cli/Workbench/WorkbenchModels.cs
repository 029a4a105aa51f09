using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;

namespace Smi.Retention.Cli.Workbench;

// The JSON the page reads and sends (camelCase, System.Text.Json's web defaults).

/// <summary>What the page starts with: the policy and tests files as they are on disk now, and the words of the language.</summary>
internal sealed record WorkbenchStart(WorkbenchFile Policy, WorkbenchFile? Tests, string Against, string Inventory, int Devices, string AsOf, bool Force, WorkbenchVocabulary Vocabulary);

/// <summary>A file as it is on disk: its path as shown, its text, and the SHA-256 of its bytes (both null when there is no file yet, or when it cannot be read: <see cref="Error"/> says why).</summary>
internal sealed record WorkbenchFile(string Path, string? Text, string? Sha256, string? Error = null);

/// <summary>The language as the editor completes it: the members, device types, statuses and common periods.</summary>
internal sealed record WorkbenchVocabulary(WorkbenchMember[] Members, string[] Types, string[] Statuses, string[] Periods)
{
    /// <summary>The SMETS generations a rule may name (device.Generation), for completion.</summary>
    public string[] Generations { get; init; } = [.. Rules.ArgumentKind.Generation.Names!];
}

/// <summary>One member of the language.</summary>
internal sealed record WorkbenchMember(string Name, string Signature, string Meaning, bool Call);

/// <summary>A check: the policy's text, and the tests file's text as edited (null: the tests file as loaded).</summary>
internal sealed record WorkbenchCheckRequest(string? Text, string? Tests);

/// <summary>A problem or warning at its line and column (0 when it is not at one place).</summary>
internal sealed record WorkbenchProblem(int Line, int Column, string? Rule, string Message);

/// <summary>Everything the page shows about one version of the text; the numbers are null when the policy is invalid.</summary>
/// <remarks><see cref="TestProblems"/> are the edited tests file's own problems (its line and column); <see cref="Meaning"/> the symbolic diff's regions against the baseline, as <c>diff --symbolic</c> prints them.</remarks>
internal sealed record WorkbenchCheck(
    bool Valid,
    WorkbenchProblem[] Problems,
    WorkbenchProblem[] Warnings,
    WorkbenchTests? Tests,
    WorkbenchCounts? Counts,
    WorkbenchDiff? Diff,
    WorkbenchForecast? Forecast,
    double ElapsedMs,
    WorkbenchProblem[]? TestProblems = null,
    string[]? Meaning = null)
{
    /// <summary>Why <see cref="Meaning"/> is null, when it is.</summary>
    public string? MeaningAbsent { get; init; }
}

/// <summary>The policy's test cases run against the edited text.</summary>
internal sealed record WorkbenchTests(string Source, int Passed, int Failed, WorkbenchTestCase[] Cases);

/// <summary>One test case's result, with the explanation of a failure.</summary>
internal sealed record WorkbenchTestCase(string Name, int Line, int Column, bool Passed, IReadOnlyList<string> Failures, string? Explanation);

/// <summary>Decisions by action, in all and by device type.</summary>
internal sealed record WorkbenchCounts(long Remove, long Retain, long Undetermined, WorkbenchTypeCount[] Types);

/// <summary>One device type's decisions.</summary>
internal sealed record WorkbenchTypeCount(string Type, long Remove, long Retain, long Undetermined);

/// <summary>The devices whose action changes from the baseline policy, with a sample of them explained.</summary>
internal sealed record WorkbenchDiff(string Against, long NewlyRemoved, long NewlyRetained, long Other, WorkbenchTypeDiff[] Types, WorkbenchFlip[] Sample, string Chart);

/// <summary>One device type's changes.</summary>
internal sealed record WorkbenchTypeDiff(string Type, long NewlyRemoved, long NewlyRetained, long Other);

/// <summary>A device whose action changes, and why, under the edited policy.</summary>
internal sealed record WorkbenchFlip(string Id, string Type, string Status, string Since, string Direction, string Against, string Proposed, string Explanation);

/// <summary>The removals to come, month by month, with the chart the CLI's report draws.</summary>
internal sealed record WorkbenchForecast(long Backlog, long Removals, long Later, long Undetermined, WorkbenchMonth[] Months, string? Cost, string Chart);

/// <summary>One month of the forecast.</summary>
internal sealed record WorkbenchMonth(string Start, long Removals);

/// <summary>An explanation, or why there is none; with the decision's rule, due date and alert, from which the page writes a test case.</summary>
internal sealed record WorkbenchExplanation(string? Action, string? Text, string? Error, WorkbenchProblem[] Problems, string? Rule = null, string? DueDate = null, string? Alert = null, string? AsOf = null);

/// <summary>A device described in the page's form, to explain under the edited text.</summary>
internal sealed record WorkbenchExplainRequest(string? Text, WorkbenchDevice? Device);

/// <summary>
/// A save: the text; which file (<c>policy</c>, the default, or <c>tests</c>); where a policy goes
/// (relative to the working folder; its own file when empty); the SHA-256 of the file as the author
/// loaded it (null: there was none), which the file on disk must still have unless
/// <see cref="Overwrite"/> says the author chose to replace it after seeing the difference.
/// </summary>
internal sealed record WorkbenchSaveRequest(string? Text, string? Path, string? Of = null, string? BaseSha256 = null, bool Overwrite = false);

/// <summary>What a save did.</summary>
internal sealed record WorkbenchSaved(string Path, string Sha256, bool Valid, string Of = "policy");

/// <summary>An error the page shows as it is; a refused save carries the file as it is on disk now (<see cref="Conflict"/>).</summary>
internal sealed record WorkbenchError(string Error, WorkbenchProblem[]? Problems = null, WorkbenchFile? Conflict = null);

/// <summary>A device as typed into the page's form.</summary>
internal sealed record WorkbenchDevice(string? Type, string? Status, string? Since, string? Prior, string? AsOf)
{
    /// <summary>The SMETS generation, SMETS1 or SMETS2; empty or null when not recorded.</summary>
    public string? Generation { get; init; }

    /// <summary>The device model; empty or null when not recorded.</summary>
    public string? Model { get; init; }

    /// <summary>Why <see cref="ToRecord"/> gave no record.</summary>
    public string Error { get; private set; } = "";

    /// <summary>The device, or null with <see cref="Error"/> saying what is wrong with the form.</summary>
    public DeviceRecord? ToRecord(out LocalDate? asOf)
    {
        asOf = null;
        var errors = new List<string>();
        if (!DeviceTypes.TryParse(Type ?? "", out var type, out var typeError))
        {
            errors.Add("type: " + typeError);
        }

        if (!SmiStatuses.TryParse(Status ?? "", out var status, out var statusError))
        {
            errors.Add("status: " + statusError);
        }

        if (!LondonDates.TryParseDateOrInstant(Since ?? "", out var since, out var sinceError))
        {
            errors.Add("since: " + sinceError);
        }

        var prior = SmiStatusSet.Empty;
        if (!string.IsNullOrWhiteSpace(Prior) && !SmiStatusSet.TryParse(Prior, out prior, out var bad))
        {
            errors.Add("prior: " + Text.Untrusted.Show(Messages.UnknownSmiStatus(bad), 300));
        }

        var generation = SmetsGeneration.Unknown;
        if (!string.IsNullOrEmpty(Generation) && !SmetsGenerations.TryParse(Generation, out generation, out var generationError))
        {
            errors.Add("generation: " + Text.Untrusted.Show(generationError, 300));
        }

        if (!string.IsNullOrEmpty(Model) && !SmetsGenerations.IsValidModel(Model, out var modelError))
        {
            errors.Add("model: " + Text.Untrusted.Show(modelError, 300));
        }

        if (!string.IsNullOrWhiteSpace(AsOf))
        {
            var parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(AsOf);
            if (parsed.Success)
            {
                asOf = parsed.Value;
            }
            else
            {
                errors.Add("as of: " + Text.Untrusted.Show($"'{AsOf}' is not a date; write yyyy-MM-dd.", 300));
            }
        }

        if (errors.Count == 0)
        {
            if (DeviceRecord.TryCreate(new DeviceId(0), type, status, since, prior, null, generation, string.IsNullOrEmpty(Model) ? null : Model, out var device, out var recordError))
            {
                return device;
            }

            errors.Add(recordError);
        }

        Error = string.Join(Environment.NewLine, errors);
        return null;
    }
}

/// <summary>
/// The generated descriptions of the JSON the page reads and sends, with System.Text.Json's web
/// defaults (as ASP.NET Core's own): no reflection, so the workbench serves the same under Native AOT.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkbenchStart))]
[JsonSerializable(typeof(WorkbenchFile))]
[JsonSerializable(typeof(WorkbenchCheckRequest))]
[JsonSerializable(typeof(WorkbenchCheck))]
[JsonSerializable(typeof(WorkbenchExplainRequest))]
[JsonSerializable(typeof(WorkbenchExplanation))]
[JsonSerializable(typeof(WorkbenchSaveRequest))]
[JsonSerializable(typeof(WorkbenchSaved))]
[JsonSerializable(typeof(WorkbenchError))]
internal sealed partial class WorkbenchJsonContext : JsonSerializerContext;
