using System.Diagnostics;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Authoring;
using Smi.Retention.Cli.Reports;
using Smi.Retention.Cli.Reports.Models;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Workbench;

/// <summary>
/// The work behind the workbench page, without the web: an edited policy's text checked,
/// validated, tested, and decided over the whole inventory held in memory, against the baseline
/// policy's decisions (worked out once), with the forecast of its removals. One check at a time:
/// the buffers are reused, so an edit costs no allocation in proportion to the inventory.
/// </summary>
internal sealed class WorkbenchSession
{
    /// <summary>How many flipped devices the page shows, each with its explanation.</summary>
    public const int SampleSize = 10;

    /// <summary>How many months the forecast covers.</summary>
    public const int ForecastMonths = 12;

    private readonly Lock _gate = new();
    private CancellationTokenSource? _latest;

    /// <summary>Called at a check's stages ("started", after it took over from any earlier one; "parsed"): a hook for tests to order two checks exactly.</summary>
    internal Action<string>? Stage { get; set; }
    private readonly DeviceRecord[] _devices;
    private readonly RetentionDecision[] _decisions;
    private readonly RetentionAction[] _baseline;
    private readonly WorkbenchSetup _setup;

    // The device models of the inventory: a rule naming one that no device has is warned of.
    private readonly HashSet<string> _models;

    public WorkbenchSession(WorkbenchSetup setup)
    {
        _models = setup.Devices.Select(d => d.Model).OfType<string>().ToHashSet(StringComparer.Ordinal);
        _setup = setup;
        _devices = setup.Devices;
        _decisions = new RetentionDecision[_devices.Length];
        _baseline = new RetentionAction[_devices.Length];
        var against = setup.Baseline.For(setup.AsOf);
        against.Evaluate(_devices, _decisions);
        for (var i = 0; i < _devices.Length; i++)
        {
            _baseline[i] = _decisions[i].Action;
        }
    }

    /// <summary>The periods the editor offers first.</summary>
    private static readonly string[] CommonPeriods = ["P12M", "P24M", "P36M", "P6M", "P18M", "P48M"];

    /// <summary>
    /// What the page starts with: the policy and tests files as they are on disk now (a tab opened
    /// after a save shows the saved text, never the text the workbench started with), what they are
    /// checked against, and the language's words for completion.
    /// </summary>
    public WorkbenchStart Start() => new(
        FileOf("policy")!,
        FileOf("tests"),
        _setup.Baseline.Name,
        _setup.InventoryName,
        _devices.Length,
        LocalDatePattern.Iso.Format(_setup.AsOf),
        _setup.Force,
        new WorkbenchVocabulary(
            [.. Rules.Vocabulary.Members.Select(m => new WorkbenchMember(m.Name, m.Signature, m.Meaning, m.Shape == Rules.MemberShape.Call))],
            [.. DeviceTypes.All.ToArray().Select(t => t.ToString())],
            [.. SmiStatuses.All.ToArray().Select(s => s.ToString())],
            CommonPeriods));

    /// <summary>
    /// The policy file (<c>policy</c>) or the tests file (<c>tests</c>; null when there is none) as it
    /// is on disk now, with the SHA-256 of its bytes. A policy not saved yet (a built-in being edited)
    /// has the built-in's text and no hash. A file that cannot be read now (it became a folder, a
    /// pipe, a link, too large) has no text, and says why.
    /// </summary>
    public WorkbenchFile? FileOf(string of)
    {
        var path = of == "tests" ? _setup.TestsPath : _setup.SavePath;
        return path is null ? null : Read(path, Shown(path), of == "tests" ? null : _setup.Text);
    }

    /// <summary>
    /// A file of the workbench as it is on disk, read as every policy file is read and never through
    /// a link (the workbench reads and writes only the regular files under its folder);
    /// <paramref name="missing"/> is the text of a file not there yet.
    /// </summary>
    public static WorkbenchFile Read(string path, string shown, string? missing = null)
    {
        try
        {
            var bytes = PolicyFiles.Read(path, Messages.PolicyFileUnreadable(path, "it is not there"), followLinks: false);
            return new WorkbenchFile(shown, System.Text.Encoding.UTF8.GetString(bytes), Sha256Of(bytes));
        }
        catch (FileNotFoundException)
        {
            return new WorkbenchFile(shown, missing, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new WorkbenchFile(shown, null, null, Text.Untrusted.Show(e.Message, 1000));
        }
    }

    /// <summary>The SHA-256 of a file's bytes, as the page and a save compare them.</summary>
    public static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    /// <summary>
    /// Everything the page shows about <paramref name="text"/>. A later check supersedes this one:
    /// it stops at its next stage (and within the pass over the inventory) with
    /// <see cref="OperationCanceledException"/>, so quick edits never queue behind each other.
    /// </summary>
    public WorkbenchCheck Check(string text, CancellationToken requestAborted = default) => Check(text, null, requestAborted);

    /// <summary>As <see cref="Check(string, CancellationToken)"/>, with the tests file's text as edited (null: as loaded).</summary>
    public WorkbenchCheck Check(string text, string? testsText, CancellationToken requestAborted = default)
    {
        var clock = Stopwatch.StartNew();
        using var mine = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        Supersede(Interlocked.Exchange(ref _latest, mine));
        Stage?.Invoke("started");
        var cancel = mine.Token;
        try
        {
            lock (_gate)
            {
                cancel.ThrowIfCancellationRequested();
                var (timeline, problems) = Parse(text, _setup.SavePath);
                Stage?.Invoke("parsed");
                if (timeline is null)
                {
                    return new WorkbenchCheck(false, problems, [], null, null, null, null, clock.Elapsed.TotalMilliseconds);
                }

                cancel.ThrowIfCancellationRequested();
                var warnings = PolicyLint.Check(timeline).Concat(PolicyLint.Check(timeline, _setup.InventoryName, _setup.Columns))
                    .Concat(_setup.Columns.Contains(Inventory.InventoryColumns.DeviceModel) ? PolicyLint.CheckModels(timeline, _setup.InventoryName, _models) : [])
                    .Select(w => new WorkbenchProblem(w.Line, w.Column, w.Rule, w.Message))
                    .ToArray();
                cancel.ThrowIfCancellationRequested();
                var compiled = CompiledPolicy.Compile(timeline, _setup.Boundary);
                var evaluator = compiled.For(_setup.AsOf);
                var (suite, testProblems) = testsText is null || _setup.TestsPath is null ? (_setup.Tests, []) : TestsOf(testsText, _setup.TestsPath, timeline);
                var tests = suite is null ? null : RunTests(suite, timeline);
                var meaning = Meaning(timeline);
                cancel.ThrowIfCancellationRequested();
                evaluator.EvaluateParallel(_devices, _decisions, cancellationToken: cancel);
                var counts = Count();
                var diff = Diff(evaluator);
                cancel.ThrowIfCancellationRequested();
                var forecast = Forecast(compiled);
                return new WorkbenchCheck(true, [], warnings, tests, counts, diff, forecast, clock.Elapsed.TotalMilliseconds, testProblems, meaning.Regions) { MeaningAbsent = meaning.Absent };
            }
        }
        finally
        {
            Interlocked.CompareExchange(ref _latest, null, mine);
        }
    }

    /// <summary>
    /// The symbolic diff against the baseline, as <c>diff --symbolic</c> prints it; null, with the
    /// reason, where it cannot be worked out: the as-of date is too near the calendar's end, or a
    /// policy tests the SMETS generation or the model, which its regions do not describe.
    /// </summary>
    private (string[]? Regions, string? Absent) Meaning(RetentionTimeline timeline)
    {
        try
        {
            return ([.. SymbolicDiff.Compare(timeline, _setup.Baseline.Timeline, _setup.Boundary, _setup.AsOf).Regions.Select(r => r.ToString())], null);
        }
        catch (ArgumentOutOfRangeException)
        {
            return (null, CliMessages.MeaningNearTheEnd);
        }
        catch (NotSupportedException e)
        {
            return (null, CliMessages.SymbolicNeedsInventory(e.Message));
        }
    }

    private static void Supersede(CancellationTokenSource? earlier)
    {
        try
        {
            earlier?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished (and let go of its source) in the meantime: nothing left to stop.
        }
    }

    /// <summary>The explanation of one described device under <paramref name="text"/>'s policy, or why there is none.</summary>
    public WorkbenchExplanation Explain(string text, WorkbenchDevice device)
    {
        var (timeline, problems) = Parse(text, _setup.SavePath);
        if (timeline is null)
        {
            return new WorkbenchExplanation(null, null, "The policy has problems; fix them to explain a device.", problems);
        }

        if (device.ToRecord(out var asOf) is not { } record)
        {
            return new WorkbenchExplanation(null, null, device.Error, []);
        }

        var date = asOf ?? _setup.AsOf;
        var explanation = CompiledPolicy.Compile(timeline, _setup.Boundary).For(date).Explain(record);
        var decision = explanation.Decision;
        return new WorkbenchExplanation(
            decision.Action.ToString(), explanation.Text, null, [], decision.Rule?.Name,
            decision.DueDate is { } due ? LocalDatePattern.Iso.Format(due) : null, decision.Alert, LocalDatePattern.Iso.Format(date));
    }

    /// <summary>The policy of <paramref name="text"/>, read as the file at <paramref name="file"/> (a timeline's references resolve from its folder), or every problem with it.</summary>
    public static (RetentionTimeline? Timeline, WorkbenchProblem[] Problems) Parse(string text, string file)
    {
        try
        {
            return (PolicyCatalog.ParseAt(Smi.Retention.Policies.Loading.PolicyText.Utf8(text, file), file), []);
        }
        catch (Exception e) when (e is FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            // A timeline's reference that cannot be read: a problem of the text, as validate reports it.
            return (null, [new WorkbenchProblem(0, 0, null, Text.Untrusted.Show(e.Message, 1000))]);
        }
        catch (PolicyValidationException e)
        {
            return (null, e.Problems.Select(p => new WorkbenchProblem(p.Line, p.Column, p.Rule, p.Message)).ToArray());
        }
    }

    /// <summary>
    /// A tests file's text read as the file at <paramref name="path"/>, and its problems as
    /// <c>smi-retention test</c> would find them: the text's own, a policy it names that cannot be
    /// loaded, and each case expecting a rule the policy lacks (<paramref name="against"/>, the
    /// edited policy; when null, the policy the file names). The suite is null when the text is invalid.
    /// </summary>
    public static (PolicyTestSuite? Suite, WorkbenchProblem[] Problems) TestsOf(string text, string path, RetentionTimeline? against)
    {
        PolicyTestSuite suite;
        try
        {
            suite = PolicyTestSuite.ParseAt(Smi.Retention.Policies.Loading.PolicyText.Utf8(text, Shown(path), Smi.Retention.Messages.TestFileNoun), Shown(path));
        }
        catch (PolicyValidationException e)
        {
            return (null, [.. e.Problems.Select(p => new WorkbenchProblem(p.Line, p.Column, p.Rule, p.Message))]);
        }

        var problems = new List<WorkbenchProblem>();
        var named = (RetentionTimeline?)null;
        try
        {
            named = suite.LoadPolicy();
        }
        catch (PolicyValidationException e)
        {
            problems.Add(new WorkbenchProblem(0, 0, null, CliMessages.TestsPolicyUnreadable(suite.Source, e.Message)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            problems.Add(new WorkbenchProblem(0, 0, null, CliMessages.TestsPolicyUnreadable(suite.Source, Text.Untrusted.Show(e.Message, 1000))));
        }

        if ((against ?? named) is { } policy)
        {
            problems.AddRange(PolicyTestRunner.UnknownRules(suite, policy).Select(p => new WorkbenchProblem(p.Line, p.Column, p.Rule, p.Message)));
        }

        return (suite, [.. problems]);
    }

    private static WorkbenchTests RunTests(PolicyTestSuite suite, RetentionTimeline timeline)
    {
        var results = PolicyTestRunner.Run(suite, timeline);
        return new WorkbenchTests(
            Shown(suite.Source),
            results.Count(r => r.Passed),
            results.Count(r => !r.Passed),
            results.Select(r => new WorkbenchTestCase(r.Case.Name, r.Case.Line, r.Case.Column, r.Passed, r.Failures, r.Passed ? null : r.Explanation.Text)).ToArray());
    }

    /// <summary>A path as the page shows it: relative to the working folder when it is under it.</summary>
    private static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private WorkbenchCounts Count()
    {
        var counts = new DecisionCounts();
        for (var i = 0; i < _devices.Length; i++)
        {
            counts.Add(_decisions[i].Action, _devices[i].Type);
        }

        var types = DeviceTypes.All.ToArray()
            .Select(t => new WorkbenchTypeCount(t.ToString(), counts.Count(RetentionAction.Remove, t), counts.Count(RetentionAction.Retain, t), counts.Count(RetentionAction.Undetermined, t)))
            .ToArray();
        return new WorkbenchCounts(types.Sum(t => t.Remove), types.Sum(t => t.Retain), types.Sum(t => t.Undetermined), types);
    }

    private WorkbenchDiff Diff(PolicyEvaluator evaluator)
    {
        var removed = new long[DecisionCounts.TypeSlots];
        var retained = new long[DecisionCounts.TypeSlots];
        var other = new long[DecisionCounts.TypeSlots];
        var sample = new List<WorkbenchFlip>();
        for (var i = 0; i < _devices.Length; i++)
        {
            var before = _baseline[i];
            var after = _decisions[i].Action;
            if (before == after)
            {
                continue;
            }

            var direction = DeviceChange.DirectionOf(before, after);
            var type = (int)_devices[i].Type;
            _ = direction switch
            {
                ChangeDirection.NewlyRemoved => removed[type]++,
                ChangeDirection.NewlyRetained => retained[type]++,
                _ => other[type]++,
            };

            if (sample.Count < SampleSize)
            {
                var device = _devices[i];
                sample.Add(new WorkbenchFlip(
                    device.Id.ToString(), device.Type.ToString(), device.Status.ToString(), LocalDatePattern.Iso.Format(device.StatusSince),
                    Commands.Names.Of(direction), before.ToString(), after.ToString(), evaluator.Explain(device).Text));
            }
        }

        var shown = ByType.Shown(type => removed[(int)type] + retained[(int)type] + other[(int)type] != 0);
        var types = shown.Select(type => new WorkbenchTypeDiff(type.ToString(), removed[(int)type], retained[(int)type], other[(int)type])).ToArray();
        var chart = HtmlReport.DiffChart(shown, other.Sum() != 0, (direction, type) => direction switch
        {
            ChangeDirection.NewlyRemoved => removed[(int)type],
            ChangeDirection.NewlyRetained => retained[(int)type],
            _ => other[(int)type],
        });
        return new WorkbenchDiff(_setup.Baseline.Name, removed.Sum(), retained.Sum(), other.Sum(), types, sample.ToArray(), chart);
    }

    private WorkbenchForecast Forecast(CompiledPolicy compiled)
    {
        var report = PolicyForecast.Run(compiled, _devices, _setup.AsOf, ForecastMonths, _setup.CostPerDevice, checkRepeats: false);
        var c = CultureInfo.InvariantCulture;
        var months = report.MonthStarts.Take(ForecastMonths).Select(LocalDatePattern.Iso.Format).ToArray();
        var types = ForecastTable.TypesOf(report);
        var total = report.TotalCost;
        return new WorkbenchForecast(
            report.BacklogTotal,
            report.RemovalsTotal,
            report.DueLater,
            report.Undetermined,
            months.Select((month, m) => new WorkbenchMonth(month, report.Removals(m))).ToArray(),
            total?.Shown("£", decimals: report.CostPerDevice?.Decimals),
            HtmlReport.Chart("Devices removable now, and becoming removable each month, by device type", HtmlReport.ForecastLabels(report), types, HtmlReport.ForecastValues(report, months.Length, types), firstApart: true));
    }
}

/// <summary>What the workbench holds for a session.</summary>
internal sealed record WorkbenchSetup(
    string Text,
    string SavePath,
    CompiledPolicy Baseline,
    DeviceRecord[] Devices,
    string InventoryName,
    LocalDate AsOf,
    BoundaryMode Boundary,
    PolicyTestSuite? Tests,
    CostBand? CostPerDevice,
    bool Force)
{
    /// <summary>The tests file the page edits beside the policy (the one <see cref="Tests"/> was read from); null when there is none.</summary>
    public string? TestsPath { get; init; } = Tests is { } suite && suite.Source != "tests" ? Path.GetFullPath(suite.Source) : null;

    /// <summary>The optional columns the inventory has (every one for the synthetic inventory): a rule that tests a fact it has no column for is warned of.</summary>
    public IReadOnlySet<string> Columns { get; init; } = Inventory.InventoryColumns.Optional.ToHashSet();
}
