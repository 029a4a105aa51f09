using NodaTime;

namespace Smi.Retention.Cli.Workbench;

// The JSON the page reads and sends (camelCase, System.Text.Json's web defaults).

/// <summary>What the page starts with.</summary>
internal sealed record WorkbenchStart(string Text, string SavePath, string Against, string Inventory, int Devices, string AsOf, string? Tests, bool Force, string[] Types, string[] Statuses);

/// <summary>A problem or warning at its line and column (0 when it is not at one place).</summary>
internal sealed record WorkbenchProblem(int Line, int Column, string? Rule, string Message);

/// <summary>Everything the page shows about one version of the text; the numbers are null when the policy is invalid.</summary>
internal sealed record WorkbenchCheck(
    bool Valid,
    WorkbenchProblem[] Problems,
    WorkbenchProblem[] Warnings,
    WorkbenchTests? Tests,
    WorkbenchCounts? Counts,
    WorkbenchDiff? Diff,
    WorkbenchForecast? Forecast,
    double ElapsedMs);

/// <summary>The policy's test cases run against the edited text.</summary>
internal sealed record WorkbenchTests(string Source, int Passed, int Failed, WorkbenchTestCase[] Cases);

/// <summary>One test case's result, with the explanation of a failure.</summary>
internal sealed record WorkbenchTestCase(string Name, int Line, bool Passed, IReadOnlyList<string> Failures, string? Explanation);

/// <summary>Decisions by action, in all and by device type.</summary>
internal sealed record WorkbenchCounts(long Remove, long Retain, long Undetermined, WorkbenchTypeCount[] Types);

/// <summary>One device type's decisions.</summary>
internal sealed record WorkbenchTypeCount(string Type, long Remove, long Retain, long Undetermined);

/// <summary>The devices whose action changes from the baseline policy, with a sample of them explained.</summary>
internal sealed record WorkbenchDiff(string Against, long NewlyRemoved, long NewlyRetained, long Other, WorkbenchTypeDiff[] Types, WorkbenchFlip[] Sample, string Chart);

/// <summary>One device type's changes.</summary>
internal sealed record WorkbenchTypeDiff(string Type, long NewlyRemoved, long NewlyRetained);

/// <summary>A device whose action changes, and why, under the edited policy.</summary>
internal sealed record WorkbenchFlip(string Id, string Type, string Status, string Since, string Direction, string Against, string Proposed, string Explanation);

/// <summary>The removals to come, month by month, with the chart the CLI's report draws.</summary>
internal sealed record WorkbenchForecast(long Backlog, long Removals, long Later, long Undetermined, WorkbenchMonth[] Months, string? Cost, string Chart);

/// <summary>One month of the forecast.</summary>
internal sealed record WorkbenchMonth(string Start, long Removals);

/// <summary>An explanation, or why there is none.</summary>
internal sealed record WorkbenchExplanation(string? Action, string? Text, string? Error, WorkbenchProblem[] Problems);

/// <summary>The policy's text as the page sends it.</summary>
internal sealed record WorkbenchText(string? Text);

/// <summary>A device described in the page's form, to explain under the edited text.</summary>
internal sealed record WorkbenchExplainRequest(string? Text, WorkbenchDevice? Device);

/// <summary>A save: the text, and where (relative to the working folder; the policy's own file when empty).</summary>
internal sealed record WorkbenchSaveRequest(string? Text, string? Path);

/// <summary>What a save did.</summary>
internal sealed record WorkbenchSaved(string Path, string Sha256, bool Valid);

/// <summary>An error the page shows as it is.</summary>
internal sealed record WorkbenchError(string Error, WorkbenchProblem[]? Problems = null);

/// <summary>A device as typed into the page's form.</summary>
internal sealed record WorkbenchDevice(string? Type, string? Status, string? Since, string? Prior, string? AsOf)
{
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
            errors.Add("prior: " + Safety.Untrusted.Show(Messages.UnknownSmiStatus(bad), 300));
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
                errors.Add("as of: " + Safety.Untrusted.Show($"'{AsOf}' is not a date; write yyyy-MM-dd.", 300));
            }
        }

        if (errors.Count == 0)
        {
            if (DeviceRecord.TryCreate(new DeviceId(0), type, status, since, prior, null, out var device, out var recordError))
            {
                return device;
            }

            errors.Add(recordError);
        }

        Error = string.Join(Environment.NewLine, errors);
        return null;
    }
}
