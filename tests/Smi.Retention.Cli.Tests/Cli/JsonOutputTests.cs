using System.Text.Json;
using Json.Schema;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// <c>--format json</c>: each command's document parses, passes its schema in schemas/output (with a
/// real validator), and says what the text output says: dates as ISO strings, ids as EUI-64 strings.
/// </summary>
public sealed class JsonOutputTests : IDisposable
{
    private static readonly string Root = Repository.Root();
    // Built once each: JsonSchema.Net registers a schema by its $id, and refuses to register it twice.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Validate_ValidPolicy_DocumentWithRulesAndNoProblems()
    {
        using var document = Run("validate", 0, "validate", "--policy", "sec-timeline", "--format", "json");
        var root = document.RootElement;

        Assert.True(root.GetProperty("valid").GetBoolean());
        Assert.Equal("sec-timeline", root.GetProperty("policy").GetProperty("name").GetString());
        Assert.Equal(PolicyCatalog.Load("sec-timeline").ContentHash, root.GetProperty("policy").GetProperty("sha256").GetString());
        Assert.Equal(["", "2019-11-07"], root.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("effectiveFrom").GetString() ?? ""));
        Assert.Equal("device.PendingFor(\"P36M\")", root.GetProperty("versions")[1].GetProperty("rules")[0].GetProperty("expression").GetString());
        Assert.Equal(0, root.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public void Validate_InvalidPolicy_EveryProblemInTheDocumentExitTwo()
    {
        var policy = _cli.Write("bad.json", """{ "WorkflowName": "w", "Rules": [ { "RuleName": "r", "Expression": "device.Statu == \"Pending\"", "SuccessEvent": "Delete" } ] }""");

        using var document = Run("validate", 2, "validate", "--policy", policy, "--format", "json");
        var problems = document.RootElement.GetProperty("problems");

        Assert.False(document.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("policy").ValueKind);
        Assert.Equal(2, problems.GetArrayLength());
        Assert.All(problems.EnumerateArray(), p => Assert.Equal((policy, 1, "r"), (p.GetProperty("source").GetString(), p.GetProperty("line").GetInt32(), p.GetProperty("rule").GetString())));
        Assert.Contains(problems.EnumerateArray(), p => p.GetProperty("message").GetString()!.Contains("did you mean device.Status?", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_StrictWithWarnings_WarningsPlacedExitOne()
    {
        var policy = _cli.Write("short.json", "{ \"WorkflowName\": \"short\",\n  \"Rules\": [ { \"RuleName\": \"six\", \"Expression\": \"device.PendingFor(\\\"P6M\\\")\", \"SuccessEvent\": \"Remove\" } ] }");

        using var document = Run("validate", 1, "validate", "--policy", policy, "--strict", "--format", "json");
        var warning = Assert.Single(document.RootElement.GetProperty("warnings").EnumerateArray());

        Assert.Equal((policy, 2, 14, "six"), (warning.GetProperty("source").GetString(), warning.GetProperty("line").GetInt32(), warning.GetProperty("column").GetInt32(), warning.GetProperty("rule").GetString()));
    }

    [Fact]
    public void Explain_DescribedDevice_DecisionAndTrace()
    {
        using var document = Run("explain", 0, "explain", "--policy", "sec-timeline", "--type", "CHF", "--status", "Pending", "--since", "2017-06-01", "--as-of", "2019-11-07", "--format", "json");
        var root = document.RootElement;

        Assert.Equal("secmp0060", root.GetProperty("policyInForce").GetString());
        Assert.Equal("00-00-00-00-00-00-00-00", root.GetProperty("device").GetProperty("id").GetString());
        Assert.Equal(("Retain", "2020-06-01"), (root.GetProperty("decision").GetProperty("action").GetString(), root.GetProperty("decision").GetProperty("dueDate").GetString()));
        Assert.False(root.GetProperty("rules")[0].GetProperty("matched").GetBoolean());
    }

    [Fact]
    public void Explain_DeviceInInventory_IdAsEui64()
    {
        var sample = Path.Combine(Root, "samples", "inventory.csv");
        var id = File.ReadLines(sample).Skip(1).First()[..23];

        using var document = Run("explain", 0, "explain", "--policy", "secmp0060", "--inventory", sample, "--device-id", id.ToLowerInvariant(), "--as-of", "2019-11-07", "--format", "json");

        Assert.Equal(id, document.RootElement.GetProperty("device").GetProperty("id").GetString());
    }

    [Fact]
    public void Test_FailingCase_DocumentOnOutputTextOnErrorExitOne()
    {
        var policy = _cli.Write("secmp0060-37.json", PolicyCatalog.BuiltInText("secmp0060").Replace("P36M", "P37M", StringComparison.Ordinal));
        var tests = Path.Combine(Root, "src", "Smi.Retention", "Policies", "BuiltIn", "tests", "secmp0060.tests.json");

        var (exit, output, error) = _cli.Run("test", tests, "--policy", policy, "--format", "json");
        using var document = Checked("test", output);

        Assert.Equal(1, exit);
        Assert.Contains("FAIL", error, StringComparison.Ordinal);
        Assert.Equal((0, 4), (document.RootElement.GetProperty("passed").GetInt32(), document.RootElement.GetProperty("failed").GetInt32()));
        var cases = document.RootElement.GetProperty("suites")[0].GetProperty("cases");
        Assert.All(cases.EnumerateArray(), c => Assert.False(c.GetProperty("passed").GetBoolean()));
        Assert.Equal("2023-03-29", cases.EnumerateArray().Single(c => c.GetProperty("name").GetString()!.StartsWith("month end: 2020-02-29", StringComparison.Ordinal)).GetProperty("decision").GetProperty("dueDate").GetString());
    }

    [Theory]
    [InlineData("sec-ac72-v6.3", "secmp0060", 1)]
    [InlineData("secmp0060", "sec-ac72-v6.3", 0)]
    public void Subset_AnswerAndCounterexample(string candidate, string reference, int exit)
    {
        using var document = Run("subset", exit, "subset", "--policy", candidate, "--of", reference, "--format", "json");
        var root = document.RootElement;

        Assert.Equal(exit == 0, root.GetProperty("isSubset").GetBoolean());
        Assert.Equal(exit == 0 ? JsonValueKind.Null : JsonValueKind.Object, root.GetProperty("counterexample").ValueKind);
        if (exit == 1)
        {
            Assert.Equal("Remove", root.GetProperty("counterexample").GetProperty("candidateDecision").GetProperty("action").GetString());
            Assert.NotEqual("Remove", root.GetProperty("counterexample").GetProperty("referenceDecision").GetProperty("action").GetString());
        }
    }

    [Fact]
    public void Run_SummaryReconcilesWithTheTextSummary()
    {
        var sample = Path.Combine(Root, "samples", "inventory.csv");
        using var document = Run("run", 0, "run", "--policy", "sec-timeline", "--inventory", sample, "--as-of", "2019-11-07", "--format", "json");
        var root = document.RootElement;
        var rows = root.GetProperty("rows");
        var decisions = root.GetProperty("decisions");

        Assert.Equal(rows.GetProperty("read").GetInt64(), rows.GetProperty("decided").GetInt64() + rows.GetProperty("rejected").GetInt64());
        Assert.Equal(rows.GetProperty("decided").GetInt64(), decisions.EnumerateObject().Sum(a => a.Value.GetProperty("total").GetInt64()));
        Assert.All(decisions.EnumerateObject(), a => Assert.Equal(a.Value.GetProperty("total").GetInt64(), a.Value.GetProperty("byType").EnumerateObject().Sum(t => t.Value.GetInt64())));
        Assert.Contains($"Remove {decisions.GetProperty("Remove").GetProperty("total").GetInt64():N0},", _cli.Run("run", "--policy", "sec-timeline", "--inventory", sample, "--as-of", "2019-11-07").Output, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("decisionsFile").ValueKind);
    }

    [Fact]
    public void Diff_TotalsByDirectionAndType()
    {
        var sample = Path.Combine(Root, "samples", "inventory.csv");
        using var document = Run("diff", 0, "diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", sample, "--as-of", "2019-11-07", "--format", "json");
        var changes = document.RootElement.GetProperty("changes");

        Assert.Equal((105, 0, 105), (changes.GetProperty("total").GetInt32(), changes.GetProperty("newlyRemoved").GetInt32(), changes.GetProperty("newlyRetained").GetInt32()));
        Assert.Equal(105, changes.GetProperty("newlyRetainedByType").EnumerateObject().Sum(t => t.Value.GetInt32()));
    }

    [Fact]
    public void Forecast_MonthsWithCostBands()
    {
        var sample = Path.Combine(Root, "samples", "inventory.csv");
        using var document = Run("forecast", 0, "forecast", "--policy", "sec-timeline", "--inventory", sample, "--from", "2019-11-07", "--months", "12", "--cost-per-device", "36-50", "--format", "json");
        var root = document.RootElement;
        var months = root.GetProperty("months").EnumerateArray().ToArray();

        Assert.Equal(12, months.Length);
        Assert.Equal("2019-12-07", months[1].GetProperty("start").GetString());
        Assert.Equal(root.GetProperty("removalsInWindow").GetInt64(), months.Sum(m => m.GetProperty("total").GetInt64()));
        Assert.All(months, m => Assert.Equal(m.GetProperty("total").GetDecimal() * 36, m.GetProperty("cost").GetProperty("low").GetDecimal()));
    }

    [Fact]
    public void SymbolicDiff_IssueExample_OnlyThePendingTwelveToThirtySixMonthRegion()
    {
        using var document = Run("symbolic-diff", 0, "diff", "--symbolic", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--format", "json");
        var region = Assert.Single(document.RootElement.GetProperty("regions").EnumerateArray());

        Assert.Equal(DeviceTypes.All.ToArray().Where(t => t.HasSmiStatus()).Select(t => t.ToString()), region.GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("Pending", 12, 36, "any"), (region.GetProperty("statuses").EnumerateArray().Single().GetString(), region.GetProperty("fromMonths").GetInt32(), region.GetProperty("toMonths").GetInt32(), region.GetProperty("history").GetProperty("kind").GetString()));
        Assert.Equal(("Remove", "Retain"), (region.GetProperty("before").GetString(), region.GetProperty("after").GetString()));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("asOf").ValueKind);
    }

    [Fact]
    public void SymbolicDiff_TextListsTheRegionsTheJsonHas()
    {
        var args = new[] { "diff", "--symbolic", "--policy", "sec-timeline", "--against", "bryt-previously-commissioned", "--as-of", "2019-11-07" };
        using var document = Run("symbolic-diff", 0, [.. args, "--format", "json"]);
        var (exit, text, _) = _cli.Run(args);

        Assert.Equal(0, exit);
        var lines = text.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim());
        Assert.Equal(document.RootElement.GetProperty("regions").EnumerateArray().Select(r => r.GetProperty("text").GetString()), lines);
        Assert.NotEmpty(lines);
    }

    [Theory]
    [InlineData("--inventory")]
    [InlineData("--out")]
    [InlineData("--html")]
    public void SymbolicDiff_WithAnInventoryOrOutput_RefusedSayingWhy(string option)
    {
        var (exit, output, error) = _cli.Run("diff", "--symbolic", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", option, "x.csv");

        Assert.Equal((2, ""), (exit, output));
        Assert.Contains($"takes no {option}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolicDiff_PolicyTestingTheGeneration_RefusedNamingTheDiffOverAnInventory()
    {
        var policy = _cli.Write("smets2.json", PolicyJson.OneRule("device.Generation == \"SMETS2\" && device.PendingFor(\"P24M\")"));

        var (exit, _, error) = _cli.Run("diff", "--symbolic", "--policy", policy, "--against", "secmp0060");

        Assert.Equal(2, exit);
        Assert.EndsWith("compare the two policies over an inventory instead: diff --inventory <csv>.\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_WithoutInventoryOrSymbolic_SaysWhatItNeeds()
    {
        var (exit, _, error) = _cli.Run("diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--as-of", "2019-11-07");

        Assert.Equal(2, exit);
        Assert.Contains("--symbolic to answer from the two policies alone", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolicDiffSchema_NamesEveryTypeStatusAndAction()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "schemas", "output", "symbolic-diff.schema.json")));
        var defs = schema.RootElement.GetProperty("$defs");
        var region = defs.GetProperty("region").GetProperty("properties");

        Assert.Equal(DeviceTypes.All.ToArray().Select(t => t.ToString()), region.GetProperty("types").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(SmiStatuses.All.ToArray().Select(s => s.ToString()).Order(), defs.GetProperty("status").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Equal(Enum.GetNames<RetentionAction>().Order(), region.GetProperty("before").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Equal(Enum.GetNames<Smi.Retention.Impact.HistoryConditionKind>().Select(n => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(n)), region.GetProperty("history").GetProperty("properties").GetProperty("kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Json_WithAnOutputOnStandardOutput_RefusedBeforeAnyWork()
    {
        var sample = Path.Combine(Root, "samples", "inventory.csv");
        var (exit, output, error) = _cli.Run("run", "--policy", "sec-timeline", "--inventory", sample, "--as-of", "2019-11-07", "--format", "json", "--out", "-");

        Assert.Equal(2, exit);
        Assert.Equal("SMI2002", Checked("error", output).RootElement.GetProperty("code").GetString());
        Assert.StartsWith("--format json writes its document to standard output", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_Unknown_ExitTwoSayingTheFormats()
    {
        var (exit, output, error) = _cli.Run("validate", "--policy", "secmp0060", "--format", "yaml");

        Assert.Equal((2, ""), (exit, output));
        Assert.Equal("--format: 'yaml' is not an output format; use text (the default) or json.\n", error);
    }

    /// <summary>
    /// The rejected rows shown on standard error when no rejects file is asked for are in the
    /// document's notices too, as shown, for the commands that read an inventory.
    /// </summary>
    [Theory]
    [InlineData("run", "run", "--policy", "secmp0060", "--as-of", "2019-11-07", "--max-reject-percent", "100", "--max-removal-percent", "100")]
    [InlineData("stock", "stock", "--as-of", "2019-11-07", "--max-reject-percent", "100")]
    [InlineData("forecast", "forecast", "--policy", "secmp0060", "--from", "2019-11-07", "--months", "2", "--max-reject-percent", "100")]
    [InlineData("diff", "diff", "--policy", "secmp0060", "--against", "dcc-cr1022", "--as-of", "2019-11-07", "--max-reject-percent", "100")]
    public void RejectsShown_InTheDocumentsNotices(string kind, params string[] args)
    {
        var inventory = _cli.Write("rejects.csv", "device_id,device_type,status,status_since,prior_statuses\n88-73-84-57-00-00-00-01,ESME,Pending,2015-01-01,\n88-73-84-57-00-00-00-02,Toaster,Pending,2015-01-01,\n");

        var (exit, output, error) = _cli.Run([.. args, "--inventory", inventory, "--format", "json"]);

        Assert.True(exit == 0, error);
        using var document = Checked(kind, output);
        var notices = document.RootElement.GetProperty("notices").EnumerateArray().Select(n => n.GetString()!).ToArray();
        var shown = Assert.Single(notices, n => n.StartsWith("Rejected line 3 (88-73-84-57-00-00-00-02): device_type", StringComparison.Ordinal));
        Assert.Contains(shown, error, StringComparison.Ordinal);
    }

    private JsonDocument Run(string kind, int exit, params string[] args)
    {
        var result = _cli.Run(args);
        Assert.True(result.Exit == exit, $"exit {result.Exit}: {result.Error}");
        return Checked(kind, result.Output);
    }

    /// <summary>The document parses as one, passes its schema (by kind) and names its kind and version.</summary>
    internal static JsonDocument Checked(string kind, string output)
    {
        var document = JsonDocument.Parse(output);
        var schema = Schemas.GetOrAdd(kind, k => JsonSchema.FromFile(Path.Combine(Root, "schemas", "output", k + ".schema.json")));
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}")));
        Assert.Equal((kind, 1), (document.RootElement.GetProperty("kind").GetString(), document.RootElement.GetProperty("version").GetInt32()));
        return document;
    }
}
