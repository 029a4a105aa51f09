using System.Globalization;
using System.Text.Json;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// The SMI's own facts through the tool: N8 alerts addressed to Service Users (<c>run --alerts</c>),
/// the stock-ageing report (<c>stock</c>), a device lacking its generation Undetermined in run and
/// explain, and the warning for a rule that needs a column the inventory lacks.
/// </summary>
public sealed class SmiFactsCommandTests : IDisposable
{
    private static readonly string Example = Path.Combine(Repository.Root(), "examples", "policies", "smets2-pending-24-months.json");
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Generated(int devices, long seed, string asOf = "2019-11-07")
    {
        var path = _cli.PathOf($"inventory-{devices}-{seed}.csv");
        Assert.Equal(0, _cli.Run("generate", "--devices", devices.ToString(CultureInfo.InvariantCulture), "--seed", seed.ToString(CultureInfo.InvariantCulture), "--as-of", asOf, "--out", path).Exit);
        return path;
    }

    // A decisions file larger than a sync step (64 MiB) is made durable in steps while it is written
    // (fdatasync on another thread): the file holds exactly what standard output is given.
    [Fact]
    public void Run_DecisionsLargerThanASyncStep_SameBytesAsOnStandardOutput()
    {
        var inventory = Generated(1_600_000, 5, "2026-11-28");
        var decisions = _cli.PathOf("decisions-large.csv");
        string[] run = ["run", "--policy", "dcc-cr1022", "--inventory", inventory, "--as-of", "2026-11-28", "--max-removal-percent", "100", "--out"];

        Assert.Equal(0, _cli.Run([.. run, decisions]).Exit);
        using var standardOutput = new MemoryStream();
        Assert.Equal(0, _cli.RunWith(null, standardOutput, default, [.. run, "-"]).Exit);

        Assert.True(new FileInfo(decisions).Length > 64L << 20);
        Assert.True(standardOutput.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(decisions)));
    }

    // Every removal that carries an alert is one line of --alerts, and nothing else is; grouped by Service User, none recorded last.
    [Property(MaxTest = 12, QuietOnSuccess = true)]
    public bool RunAlerts_AreTheRemovalsThatCarryAnAlert_EachOnce_GroupedByServiceUser(ushort seed, bool timeline)
    {
        var inventory = Generated(3_000, seed);
        var (decisions, alerts) = (_cli.PathOf($"d{seed}.csv"), _cli.PathOf($"a{seed}.csv"));
        var (exit, summary, _) = _cli.Run("run", "--policy", timeline ? "sec-timeline" : "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--out", decisions, "--alerts", alerts, "--max-removal-percent", "100");
        Assert.Equal(0, exit);

        var decided = File.ReadLines(decisions).Skip(1).Select(l => l.Split(',')).Where(r => r[1] == "Remove" && r[4].Length > 0).Select(r => (Id: r[0], Alert: r[4])).ToArray();
        var lines = File.ReadLines(alerts).ToArray();
        Assert.Equal("notifying_party,device_id,device_type,alert,rule,policy_sha256", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var parties = File.ReadLines(inventory).Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[0], r => r[7]);
        var order = rows.Select(r => r[0]).Distinct().ToArray();
        var named = order.Where(p => p.Length > 0).ToArray();
        var unaddressed = rows.Count(r => r[0].Length == 0);
        return rows.Select(r => (r[1], r[3])).Order().SequenceEqual(decided.Order())
            && rows.All(r => parties[r[1]] == r[0])
            && named.SequenceEqual(named.Order(StringComparer.Ordinal))
            && (unaddressed == 0 || order[^1].Length == 0)
            && rows.Select(r => r[1]).Distinct().Count() == rows.Length
            && summary.Contains(string.Create(CultureInfo.InvariantCulture, $"Alerts     {rows.Length:N0} to {named.Length:N0} Service User"), StringComparison.Ordinal)
            && (unaddressed == 0 || summary.Contains(string.Create(CultureInfo.InvariantCulture, $"; {unaddressed:N0} with no Service User recorded"), StringComparison.Ordinal));
    }

    [Fact]
    public void RunAlerts_CommittedWithTheOtherOutputs_NothingWhenTheGuardRefuses()
    {
        var inventory = Generated(2_000, 1);
        var alerts = _cli.PathOf("alerts.csv");
        var (exit, _, error) = _cli.Run("run", "--policy", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--alerts", alerts, "--max-removals", "1");
        Assert.Equal(3, exit);
        Assert.Contains("Nothing was written", error, StringComparison.Ordinal);
        Assert.False(File.Exists(alerts));
    }

    [Fact]
    public void Run_DeviceWithoutAGeneration_UndeterminedWithTheReason_AndExplainShowsWhy()
    {
        var inventory = _cli.Write("meters.csv",
            "device_id,device_type,status,status_since,prior_statuses,smets_generation,device_model,notifying_party\n"
            + "88-73-84-57-00-00-00-01,ESME,Pending,2019-01-15,Commissioned,SMETS2,Brack E2-410,Supplier A\n"
            + "88-73-84-57-00-00-00-02,ESME,Pending,2019-01-15,Commissioned,,Brack E2-410,Supplier A\n"
            + "88-73-84-57-00-00-00-03,ESME,Pending,2019-01-15,Commissioned,smets1,,Supplier B\n");

        var (exit, summary, error) = _cli.Run("run", "--policy", Example, "--inventory", inventory, "--as-of", "2021-06-30", "--out", _cli.PathOf("d.csv"), "--max-removal-percent", "100");

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains("Decisions  Remove 1, Retain 1, Undetermined 1", summary, StringComparison.Ordinal);
        Assert.Contains("Undetermined: The rules need this device's SMETS generation, which its record does not give (smets_generation missing or empty)", summary, StringComparison.Ordinal);
        Assert.Equal(
            ["88-73-84-57-00-00-00-01,Remove,smets2-meters-pending-24-months-previously-commissioned,2021-01-15,N8", "88-73-84-57-00-00-00-02,Undetermined,,,", "88-73-84-57-00-00-00-03,Retain,,,"],
            File.ReadLines(_cli.PathOf("d.csv")).Skip(1));

        var explained = _cli.Run("explain", "--policy", Example, "--inventory", inventory, "--device-id", "88-73-84-57-00-00-00-02", "--as-of", "2021-06-30");
        Assert.Equal(0, explained.Exit);
        Assert.Contains("generation: not recorded, model: Brack E2-410", explained.Output, StringComparison.Ordinal);
        Assert.Contains("  as SMETS2: Remove by rule 'smets2-meters-pending-24-months-previously-commissioned'", explained.Output, StringComparison.Ordinal);
        Assert.Contains("Decision: Undetermined: The rules need this device's SMETS generation", explained.Output, StringComparison.Ordinal);

        var json = _cli.Run("explain", "--policy", Example, "--inventory", inventory, "--device-id", "88-73-84-57-00-00-00-02", "--as-of", "2021-06-30", "--format", "json");
        using (var document = JsonOutputTests.Checked("explain", json.Output))
        {
            var possible = document.RootElement.GetProperty("possibleDevices").EnumerateArray().Select(p => (p.GetProperty("generation").GetString(), p.GetProperty("decision").GetProperty("action").GetString())).ToArray();
            Assert.Equal([("SMETS1", "Retain"), ("SMETS2", "Remove")], possible);
        }

        var runJson = _cli.Run("run", "--policy", Example, "--inventory", inventory, "--as-of", "2021-06-30", "--max-removal-percent", "100", "--format", "json");
        using (var document = JsonOutputTests.Checked("run", runJson.Output))
        {
            Assert.Equal([1L], document.RootElement.GetProperty("undeterminedCounts").EnumerateArray().Select(n => n.GetInt64()));
        }

        var described = _cli.Run("explain", "--policy", Example, "--type", "ESME", "--status", "Pending", "--since", "2019-01-15", "--prior", "Commissioned", "--generation", "smets2", "--model", "Brack E2-410", "--as-of", "2021-06-30");
        Assert.Contains("Decision: Remove by rule 'smets2-meters-pending-24-months-previously-commissioned'", described.Output, StringComparison.Ordinal);
        Assert.Equal(2, _cli.Run("explain", "--policy", Example, "--type", "ESME", "--status", "Pending", "--since", "2019-01-15", "--generation", "SMETS3", "--as-of", "2021-06-30").Exit);
    }

    [Fact]
    public void Explain_RetainedNowWithoutAGeneration_SaysFromWhenItWillNeedIt()
    {
        var policy = _cli.Write("pd.json", """{ "WorkflowName": "pd", "Rules": [ { "RuleName": "s2", "Expression": "device.Generation == \"SMETS2\" && device.PendingFor(\"P36M\")", "SuccessEvent": "Remove" } ] }""");

        var (exit, output, _) = _cli.Run("explain", "--policy", policy, "--type", "ESME", "--status", "Pending", "--since", "2019-06-30", "--as-of", "2021-06-30");

        Assert.Equal(0, exit);
        Assert.Contains("Decision: Retain (no rule matched)", output, StringComparison.Ordinal);
        Assert.Contains("From 2022-06-30, if nothing about the device changes, its decision needs what the record lacks", output, StringComparison.Ordinal);
        var inventory = _cli.Write("one.csv", "device_id,device_type,status,status_since,prior_statuses\n88-73-84-57-00-00-00-01,ESME,Pending,2019-06-30,\n");
        var mixed = _cli.Run("explain", "--policy", policy, "--inventory", inventory, "--device-id", "88-73-84-57-00-00-00-01", "--generation", "SMETS1", "--as-of", "2021-06-30");
        Assert.Equal(2, mixed.Exit);
        Assert.Contains("--generation and --model describe a device given by --type", mixed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RuleNeedsAColumnTheInventoryLacks_Warned_AndItsDevicesUndetermined()
    {
        var inventory = _cli.Write("five.csv", "device_id,device_type,status,status_since,prior_statuses\n88-73-84-57-00-00-00-01,ESME,Pending,2019-01-15,Commissioned\n");

        var (exit, summary, error) = _cli.Run("run", "--policy", Example, "--inventory", inventory, "--as-of", "2021-06-30");

        Assert.Equal(0, exit);
        Assert.Contains("warning: policy 'smets2-pending-24-months', rule 'smets2-meters-pending-24-months-previously-commissioned': The rule tests device.Generation, but", error, StringComparison.Ordinal);
        Assert.Contains("has no smets_generation column", error, StringComparison.Ordinal);
        Assert.Contains("Undetermined 1", summary, StringComparison.Ordinal);
        Assert.Contains("has no smets_generation column", _cli.Run("forecast", "--policy", Example, "--inventory", inventory, "--from", "2021-06-30", "--months", "2").Error, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2021-06-30").Error, StringComparison.Ordinal);

        // A program reading only the JSON document learns it too: its notices, each as said.
        var json = _cli.Run("run", "--policy", Example, "--inventory", inventory, "--as-of", "2021-06-30", "--format", "json");
        using var document = System.Text.Json.JsonDocument.Parse(json.Output);
        Assert.Equal(json.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), document.RootElement.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(document.RootElement.GetProperty("notices").EnumerateArray(), n => n.GetString()!.Contains("has no smets_generation column", StringComparison.Ordinal));
        using var quiet = System.Text.Json.JsonDocument.Parse(_cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2021-06-30", "--format", "json").Output);
        Assert.Equal(0, quiet.RootElement.GetProperty("notices").GetArrayLength());

        // One policy given twice warns once, in the text and the document alike.
        var twice = _cli.Run("diff", "--policy", Example, "--against", Example, "--inventory", inventory, "--as-of", "2021-06-30", "--format", "json");
        using var diff = System.Text.Json.JsonDocument.Parse(twice.Output);
        Assert.Single(diff.RootElement.GetProperty("notices").EnumerateArray());
        Assert.Single(twice.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("has no smets_generation column", StringComparison.Ordinal));
    }

    // A model is compared exactly: a misspelt or look-alike one in an exclusion keeps nothing, so it is warned of with the spelling the inventory has.
    [Theory]
    [InlineData("Aldor E1-1OO")]
    [InlineData("aldor e1-100")]
    [InlineData("\u0410ldor E1-100")]
    public void RuleNamesAModelNoDeviceHas_WarnedWithTheNearest(string model)
    {
        var inventory = Generated(2_000, 5);
        string Policy(string file, string named) => _cli.Write(file, $$"""
            { "WorkflowName": "typo", "Rules": [
              { "RuleName": "old-models-kept", "Expression": {{System.Text.Json.JsonSerializer.Serialize($"device.Model in (\"{named}\")")}}, "SuccessEvent": "Retain" },
              { "RuleName": "pending-12-months", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);
        var policy = Policy("typo.json", model);

        var run = _cli.Run("run", "--policy", policy, "--inventory", inventory, "--as-of", "2019-11-07", "--max-removal-percent", "100");
        var forecast = _cli.Run("forecast", "--policy", policy, "--inventory", inventory, "--from", "2019-11-07", "--months", "1");

        Assert.Equal((0, 0), (run.Exit, forecast.Exit));
        foreach (var error in new[] { run.Error, forecast.Error })
        {
            Assert.Contains("rule 'old-models-kept': The rule names the device model", error, StringComparison.Ordinal);
            Assert.Contains("which no device of", error, StringComparison.Ordinal);
            Assert.Contains("has; it has 'Aldor E1-100', which looks alike", error, StringComparison.Ordinal); // each look-alike named (here one)
        }

        var correct = Policy("right.json", "Aldor E1-100");
        Assert.DoesNotContain("no device of", _cli.Run("run", "--policy", correct, "--inventory", inventory, "--as-of", "2019-11-07", "--max-removal-percent", "100").Error, StringComparison.Ordinal);
    }

    // The model named is in the inventory, and so are spellings that look like it: the rule keeps
    // the one and not the others, which were removed unsaid (a review: a Cyrillic A, a U+2010 hyphen).
    [Theory]
    [InlineData("\u0410ldor E1-100", "(U+0410)")]
    [InlineData("Aldor E1\u2010100", "(U+2010)")]
    [InlineData("Aldor\u00A0E1-100", "(U+00A0)")]
    [InlineData("ALDOR E1-100", "")]
    [InlineData("\u0410ldor \u0415\u0031\u2011100", "(U+0410, U+0415, U+2011)")]
    public void RuleNamesAModelTheInventoryAlsoSpellsAlike_WarnedNamingEachSpelling(string lookAlike, string shown)
    {
        var rows = string.Concat(new[] { "Aldor E1-100", lookAlike, "Aldor E1-101" }.Select((model, i) =>
            FormattableString.Invariant($"88-73-84-57-00-00-00-0{i + 1},ESME,Pending,2015-01-15,,SMETS2,{model},Supplier A\n")));
        var inventory = _cli.Write("alike.csv", "device_id,device_type,status,status_since,prior_statuses,smets_generation,device_model,notifying_party\n" + rows);
        var policy = KeepAldorPolicy();

        var run = _cli.Run("run", "--policy", policy, "--inventory", inventory, "--as-of", "2019-11-07", "--max-removal-percent", "100", "--max-reject-percent", "100");

        Assert.True(run.Exit == 0, run.Error);
        if (lookAlike.Contains('\u00A0', StringComparison.Ordinal))
        {
            // A no-break space in a model is refused in the row itself: never decided, so never removed.
            Assert.Contains("Rejected line 3", run.Error, StringComparison.Ordinal);
            return;
        }

        Assert.Contains(
            $"rule 'keep-aldor': The rule names the device model 'Aldor E1-100'; {inventory} also has '{lookAlike}'{(shown.Length == 0 ? "" : " " + shown)}, which looks alike (in case, or drawn alike: dashes, spaces, l and 1, O and 0, Cyrillic, Greek, fullwidth or mathematical characters) but is not it",
            run.Error,
            StringComparison.Ordinal);
        Assert.DoesNotContain("E1-101'", run.Error, StringComparison.Ordinal); // another model, not a look-alike
    }

    // The model a rule names is in no row, but several spellings that look like it are: only the
    // first was named ("did you mean"), so correcting it left the others' devices unmatched (a review).
    [Fact]
    public void RuleNamesAModelNoRowHas_EverySpellingThatLooksLikeItNamed()
    {
        var rows = string.Concat(new[] { "Aldor E1\u2010100", "\u0410ldor E1-100", "\uFF21ldor E1-100", "Aldor E1-101" }.Select((model, i) =>
            FormattableString.Invariant($"88-73-84-57-00-00-00-0{i + 1},ESME,Pending,2015-01-15,,{model}\n")));
        var inventory = _cli.Write("only-alike.csv", "device_id,device_type,status,status_since,prior_statuses,device_model\n" + rows);
        var policy = KeepAldorPolicy();

        var run = _cli.Run("run", "--policy", policy, "--inventory", inventory, "--as-of", "2019-11-07", "--max-removal-percent", "100");

        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains($"The rule names the device model 'Aldor E1-100', which no device of {inventory} has; it has ", run.Error, StringComparison.Ordinal);
        Assert.Contains("'Aldor E1\u2010100' (U+2010)", run.Error, StringComparison.Ordinal);
        Assert.Contains("'\u0410ldor E1-100' (U+0410)", run.Error, StringComparison.Ordinal);
        Assert.Contains("'\uFF21ldor E1-100' (U+FF21)", run.Error, StringComparison.Ordinal);
        Assert.Contains("which look alike", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("E1-101'", run.Error, StringComparison.Ordinal);
    }

    // A device_model column with every value empty (or no rows at all): the warning's suggestion
    // of the nearest model met no model, and every command failed with an internal error (a review).
    [Theory]
    [InlineData("88-73-84-57-00-00-00-01,ESME,Pending,2018-01-01,,\n")]
    [InlineData("")]
    public void RuleNamesAModel_TheInventoryHasNone_WarnedNotFailed(string rows)
    {
        var inventory = _cli.Write("blank-models.csv", "device_id,device_type,status,status_since,prior_statuses,device_model\n" + rows);
        var policy = _cli.Write("x1.json", """
            { "WorkflowName": "x1", "Rules": [ { "RuleName": "x1", "Expression": "device.Model == \"X1\" && device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);

        var run = _cli.Run("run", "--policy", policy, "--inventory", inventory, "--as-of", "2020-01-01");
        var forecast = _cli.Run("forecast", "--policy", policy, "--inventory", inventory, "--from", "2020-01-01", "--months", "2");

        Assert.True(run.Exit == 0, run.Error);
        Assert.True(forecast.Exit == 0, forecast.Error);
        Assert.Contains("The rule names the device model 'X1', which no device of", run.Error, StringComparison.Ordinal);
        Assert.EndsWith("Write the model as the inventory's device_model gives it.\n", run.Error.Split("rule 'x1': ")[1].Split('\n')[0] + "\n", StringComparison.Ordinal);
    }

    // More distinct models than are kept (a hostile inventory, one a row): the model checks were
    // dropped unsaid, and a look-alike of the model an exclusion names was removed (a review).
    [Fact]
    public void TooManyModelsToKeep_EachModelARuleNamesSaidUnchecked()
    {
        var rows = new System.Text.StringBuilder("device_id,device_type,status,status_since,prior_statuses,smets_generation,device_model,notifying_party\n");
        rows.Append("88-73-84-57-00-00-00-01,ESME,Pending,2015-01-15,,SMETS2,Aldor E1-100,Supplier A\n");
        rows.Append("88-73-84-57-00-00-00-02,ESME,Pending,2015-01-15,,SMETS2,Aldor E1\u2010100,Supplier A\n");
        for (var i = 0; i < 40_000; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"88-73-84-57-01-{i >> 16:X2}-{(i >> 8) & 255:X2}-{i & 255:X2},ESME,Commissioned,2015-01-15,,SMETS2,Model {i:D6},Supplier A\n");
        }

        var inventory = _cli.Write("many-models.csv", rows.ToString());
        var policy = KeepAldorPolicy();

        var run = _cli.Run("run", "--policy", policy, "--inventory", inventory, "--as-of", "2019-11-07", "--max-removal-percent", "100");

        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains($"rule 'keep-aldor': The rule names the device model 'Aldor E1-100', but {inventory} has too many distinct models to keep them all: whether any device has this model, or one spelled alike, was not checked", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SMETS3", "is not a SMETS generation")]
    [InlineData("2", "is not a SMETS generation")]
    [InlineData("SMETS 2", "is not a SMETS generation")]
    public void Run_BadGeneration_RowRejectedSayingWhy(string generation, string message)
    {
        var inventory = _cli.Write("bad.csv", $"device_id,device_type,status,status_since,prior_statuses,smets_generation\n88-73-84-57-00-00-00-01,ESME,Pending,2019-01-15,,{generation}\n");
        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2021-06-30", "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("Rejected line 2 (88-73-84-57-00-00-00-01)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadRequiredAndOptionalValues_EveryProblemOfTheRowListed()
    {
        var inventory = _cli.Write("many.csv", "device_id,device_type,status,status_since,prior_statuses,smets_generation,device_model,notifying_party\n88-73-84-57-00-00-00-01,ESMX,Pending,2019-01-15,,SMETS9, E470\u202E,Supplier\u200B A\n");
        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2021-06-30", "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("'ESMX' is not a device type", error, StringComparison.Ordinal);
        Assert.Contains("smets_generation 'SMETS9' is not a SMETS generation", error, StringComparison.Ordinal);
        Assert.Contains("device_model: the device model", error, StringComparison.Ordinal);
        Assert.Contains("notifying_party", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ModelWithHiddenCharactersOrTooLong_RowRejected()
    {
        var inventory = _cli.Write("models.csv",
            "device_id,device_type,status,status_since,prior_statuses,device_model\n"
            + "88-73-84-57-00-00-00-01,ESME,Pending,2019-01-15,,E4\u200B70\n"
            + $"88-73-84-57-00-00-00-02,ESME,Pending,2019-01-15,,{new string('m', 65)}\n"
            + "88-73-84-57-00-00-00-03,ESME,Pending,2019-01-15,,\"E470, rev B\"\n"
            + $"88-73-84-57-00-00-00-04,ESME,Pending,2019-01-15,,{MathematicalDigits(64)}\n" // 64 characters, 128 UTF-16 units: a model
            + $"88-73-84-57-00-00-00-05,ESME,Pending,2019-01-15,,{MathematicalDigits(65)}\n");
        var (exit, summary, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2021-06-30", "--max-reject-percent", "100");
        Assert.Equal(0, exit);
        Assert.Contains("Rows       5 read = 2 decided + 3 rejected", summary, StringComparison.Ordinal);
        Assert.Contains("the device model is 65 characters long", error, StringComparison.Ordinal);
        Assert.Contains("device_model: the device model 'E4\\u{200B}70'", error, StringComparison.Ordinal);
        Assert.Contains("over the limit of 64", error, StringComparison.Ordinal);
    }

    // A model's length was its UTF-16 units: 40 mathematical digits were "80 characters long".
    private static string MathematicalDigits(int count) => string.Concat(Enumerable.Repeat("\U0001D7CE", count));

    [Fact]
    public void SymbolicDiff_PolicyTestingTheGeneration_RefusedPointingToTheInventoryDiff()
    {
        var (exit, _, error) = _cli.Run("diff", "--symbolic", "--policy", Example, "--against", "secmp0060");
        Assert.Equal(2, exit);
        Assert.Contains("diff --inventory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stock_OneMillionGeneratedRows_BandsAddUpToThePending()
    {
        var inventory = Generated(1_000_000, 20191107);
        var csv = _cli.PathOf("stock.csv");

        var (exit, output, error) = _cli.Run("stock", "--inventory", inventory, "--as-of", "2019-11-07", "--hub-monthly-rate", "1.20", "--format", "json", "--out", csv);

        Assert.Equal(0, exit);
        Assert.All(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches("^[0-9,]+ rows read$", line));
        using var document = JsonOutputTests.Checked("stock", output);
        var root = document.RootElement;
        var pending = root.GetProperty("pending").GetInt64();
        var bands = root.GetProperty("bands").EnumerateArray().ToArray();
        var models = root.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(1_000_000, root.GetProperty("rows").GetProperty("counted").GetInt64());
        Assert.Equal(pending, bands.Sum(b => b.GetProperty("total").GetInt64()));
        Assert.All(bands, b => Assert.Equal(b.GetProperty("total").GetInt64(), b.GetProperty("byType").EnumerateObject().Sum(t => t.Value.GetInt64())));
        Assert.Equal(pending, models.Sum(m => m.GetProperty("pending").GetInt64()));
        Assert.All(models, m => Assert.Equal(m.GetProperty("pending").GetInt64(), m.GetProperty("byBand").EnumerateArray().Sum(n => n.GetInt64())));
        var means = models.Select(m => m.GetProperty("meanMonthsPending").GetDecimal()).ToArray();
        Assert.Equal(means.OrderDescending(), means);
        var hubs = root.GetProperty("hubs");
        Assert.Equal(hubs.GetProperty("pending").GetInt64(), bands.Sum(b => b.GetProperty("byType").GetProperty("CHF").GetInt64()));
        Assert.Equal(hubs.GetProperty("pending").GetDecimal() * 1.20m, hubs.GetProperty("monthlyCost").GetDecimal());

        var rows = File.ReadLines(csv).ToArray();
        Assert.Equal("device_type,smets_generation,device_model,devices,pending,pending_percent,months_0_6,months_6_12,months_12_24,months_24_36,months_36_plus,mean_months_pending,oldest_pending_since,longest_wait_months", rows[0]);
        Assert.Equal(models.Length, rows.Length - 1);
        Assert.Equal(pending, rows.Skip(1).Sum(r => long.Parse(r.Split(',')[4], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Stock_Text_TheBandsTheModelsAndTheHubs()
    {
        var sample = Path.Combine(Repository.Root(), "samples", "inventory.csv");
        var (exit, output, error) = _cli.Run("stock", "--inventory", sample, "--as-of", "2019-11-07");

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains("Rows       10,000 read = 10,000 counted + 0 rejected", output, StringComparison.Ordinal);
        Assert.Contains("  36 months or more ", output, StringComparison.Ordinal);
        Assert.Contains("Models, the longest waiting first", output, StringComparison.Ordinal);
        Assert.Contains("(give --hub-monthly-rate to cost them)", output, StringComparison.Ordinal);
        Assert.Equal(2, _cli.Run("stock", "--inventory", sample, "--as-of", "2019-11-07", "--hub-monthly-rate", "1,20").Exit);
        Assert.Equal(2, _cli.Run("stock", "--inventory", sample, "--as-of", "2019-11-07", "--hub-monthly-rate", "-1").Exit);
    }

    // A long model overran its column ("Aldor E1-100 with a ... (40 characters)" in 22), moving the rest of its row.
    [Fact]
    public void Stock_Text_ALongModelCutToItsColumn_TheRowsAligned()
    {
        var inventory = _cli.Write("models.csv", "device_id,device_type,status,status_since,prior_statuses,device_model\n"
            + "88-73-84-57-00-00-00-01,ESME,Pending,2019-01-15,,Aldor E1-100 with a very long model name\n"
            + "88-73-84-57-00-00-00-02,ESME,Pending,2019-01-15,,Short\n"
            + "88-73-84-57-00-00-00-03,GSME,Pending,2019-01-15,,Flonidan G4SRT mark II rev 3\n");
        var (exit, output, error) = _cli.Run("stock", "--inventory", inventory, "--as-of", "2020-01-01");

        Assert.Equal((0, ""), (exit, error));
        var lines = output.Split('\n');
        var header = lines.Single(l => l.StartsWith("  type   gen    model", StringComparison.Ordinal));
        var rows = lines.Where(l => l.StartsWith("  ESME ", StringComparison.Ordinal) || l.StartsWith("  GSME ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.All(rows, row => Assert.Equal(header.IndexOf("oldest since", StringComparison.Ordinal) + 2, row.IndexOf("2019-01-15", StringComparison.Ordinal)));
        Assert.Contains(rows, row => row.Contains(" Aldor E1-...odel name ", StringComparison.Ordinal));
    }

    [Fact]
    public void Stock_DeviceListedTwice_NeitherRowCounted()
    {
        var inventory = _cli.Write("twice.csv",
            "device_id,device_type,status,status_since,prior_statuses\n"
            + "88-73-84-57-00-00-00-01,CHF,Pending,2015-01-15,\n88-73-84-57-00-00-00-02,CHF,Pending,2015-01-15,\n88-73-84-57-00-00-00-01,CHF,Pending,2016-01-15,\n");
        var (exit, output, _) = _cli.Run("stock", "--inventory", inventory, "--as-of", "2019-11-07", "--max-reject-percent", "100", "--format", "json");
        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(1, document.RootElement.GetProperty("pending").GetInt64());
        Assert.Equal(2, document.RootElement.GetProperty("rows").GetProperty("rejected").GetInt64());
    }

    /// <summary>A policy that keeps the devices of model 'Aldor E1-100' and removes the rest after 12 months pending (the look-alike tests' exclusion).</summary>
    private string KeepAldorPolicy() => _cli.Write("keep.json", """
        { "WorkflowName": "keep", "Rules": [
          { "RuleName": "keep-aldor", "Expression": "device.Model == \"Aldor E1-100\"", "SuccessEvent": "Retain" },
          { "RuleName": "pending-12-months", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
        """);
}
