
namespace Smi.Retention.Tests.Cli;

/// <summary>The smi-retention tool end to end, in-process: each command and each exit code.</summary>
public sealed class CliTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Sample => Path.Combine(Repository.Root(), "samples", "inventory.csv");

    // validate listed two rules under "1 rule": a disabled one was listed but not counted (a review).
    [Fact]
    public void Validate_CountsTheRulesItLists_DisabledOnesSaid()
    {
        var policy = _cli.Write("dis.json", """
            { "WorkflowName": "dis", "Rules": [
              { "RuleName": "hubs", "Expression": "device.IsCommunicationsHub", "SuccessEvent": "Retain", "Enabled": false },
              { "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);

        var (exit, output, _) = _cli.Run("validate", "--policy", policy);

        Assert.Equal(0, exit);
        Assert.Contains("  dis, from the beginning: 2 rules (1 disabled), periods P12M\n    1. hubs -> Retain (disabled): device.IsCommunicationsHub\n    2. pending -> Remove:", output, StringComparison.Ordinal);
    }

    // A cost per device with pence was shown rounded to pounds ("3-3" for 3.19), a single figure as
    // a range of one ("5,560-5,560"); an analysis' outputs were written without a word (a review).
    [Theory]
    [InlineData("3.19", "  now               21      23      47      47       0       1      139   443.41\n")]
    [InlineData("40", "  now               21      23      47      47       0       1      139   5,560\n")]
    [InlineData("36-50", "  now               21      23      47      47       0       1      139   5,004-6,950\n")]
    [InlineData("36-50.5", "  now               21      23      47      47       0       1      139   5,004.00-7,019.50\n")] // both ends alike
    public void Forecast_CostAsGiven_AndItsOutputsSaid(string cost, string backlog)
    {
        var (exit, output, error) = _cli.Run("forecast", "--policy", "sec-timeline", "--inventory", Sample, "--from", "2019-11-07", "--months", "2", "--cost-per-device", cost, "--out", _cli.PathOf("months.csv"), "--html", _cli.PathOf("forecast.html"));

        Assert.True(exit == 0, error);
        Assert.Contains(backlog, output, StringComparison.Ordinal);
        Assert.EndsWith($"Written    --out: {_cli.PathOf("months.csv")}; --html: {_cli.PathOf("forecast.html")}\n", output, StringComparison.Ordinal);
    }

    // An undetermined device that a later period removes whatever its generation: the text said the
    // day, the JSON did not (a review); the forecast counts it in that month.
    [Fact]
    public void Explain_UndeterminedRemovedWhateverItLacks_TheDayInTextAndJson()
    {
        var policy = _cli.Write("smets1-later.json", """
            { "WorkflowName": "smets1-later", "Rules": [
              { "RuleName": "smets1", "Expression": "device.Generation == \"SMETS1\" && !device.PendingFor(\"P36M\")", "SuccessEvent": "Retain" },
              { "RuleName": "rest", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);
        string[] args = ["explain", "--policy", policy, "--type", "ESME", "--status", "Pending", "--since", "2016-12-20", "--as-of", "2019-11-07"];

        var (exit, text, error) = _cli.Run(args);
        var (jsonExit, json, jsonError) = _cli.Run([.. args, "--format", "json"]);
        var (keptExit, kept, _) = _cli.Run("explain", "--policy", policy, "--type", "ESME", "--status", "Pending", "--since", "2019-06-20", "--as-of", "2019-11-07", "--format", "json");

        Assert.True(exit == 0 && jsonExit == 0 && keptExit == 0, error + jsonError);
        Assert.Contains("Removed whatever it lacks on: 2019-12-20, if nothing about the device changes", text, StringComparison.Ordinal);
        Assert.Equal("2019-12-20", System.Text.Json.Nodes.JsonNode.Parse(json)!["removedWhateverItLacksOn"]!.GetValue<string>());
        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse(kept)!["removedWhateverItLacksOn"]);
    }

    // A price with pence gave a column of bands in two formats ("146-201" beside "10,001.00-13,768.50"),
    // and the page named its sum row "total" where the text says "in all", and only with a cost (a review).
    [Theory]
    [InlineData("36.5-50.25", true)]
    [InlineData("36.555-40.005", true)] // a fraction of a penny: bands shown to it, so that they add up as shown
    [InlineData("36-50", false)]
    [InlineData(null, false)]
    public void Forecast_ACostColumnInOneFormat_TheSumRowInAllEverywhere(string? cost, bool pence)
    {
        string[] args = ["forecast", "--policy", "sec-timeline", "--inventory", Sample, "--from", "2019-11-07", "--months", "12", "--html", _cli.PathOf("forecast.html")];
        var (exit, output, error) = _cli.Run(cost is null ? args : [.. args, "--cost-per-device", cost]);

        Assert.True(exit == 0, error);
        var costs = output.Split('\n').Where(l => l.StartsWith("  now ", StringComparison.Ordinal) || l.StartsWith("  20", StringComparison.Ordinal) || l.StartsWith("  in all ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1]).ToArray();
        Assert.Equal(14, costs.Length);
        Assert.All(costs, c => Assert.Equal(pence, c.Contains('.', StringComparison.Ordinal)));
        Assert.Single(costs.Select(c => c.Contains('.', StringComparison.Ordinal) ? c.Split('-')[0].Length - c.IndexOf('.', StringComparison.Ordinal) : 0).Distinct()); // as many decimals in every band
        static decimal Low(string band) => decimal.Parse(band.Split('-')[0].Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Low(costs[^1]), costs[..^1].Sum(Low)); // the bands add up to "in all" as shown
        var html = File.ReadAllText(_cli.PathOf("forecast.html"));
        Assert.Contains("<tr><th>in all</th>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<th>total</th><th></th>", html, StringComparison.Ordinal);
    }

    // An exclusion switched off ("Enabled": false) removes what it kept; validate --strict refuses
    // it, and the commands that decide an inventory said nothing of it (a review: 152 hubs removed).
    [Theory]
    [InlineData("run")]
    [InlineData("diff")]
    [InlineData("forecast")]
    public void PolicyWithADisabledExclusion_EveryCommandOverAnInventorySaysIt(string command)
    {
        var policy = _cli.Write("hubs-off.json", """
            { "WorkflowName": "hubs-off", "Rules": [
              { "RuleName": "hubs", "Expression": "device.IsCommunicationsHub", "SuccessEvent": "Retain", "Enabled": false },
              { "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);
        string[] args = command switch
        {
            "run" => ["run", "--policy", policy, "--inventory", Sample, "--as-of", "2019-11-07", "--max-removal-percent", "100"],
            "diff" => ["diff", "--policy", policy, "--against", "secmp0060", "--inventory", Sample, "--as-of", "2019-11-07"],
            _ => ["forecast", "--policy", policy, "--inventory", Sample, "--from", "2019-11-07", "--months", "2"],
        };

        var (exit, _, error) = _cli.Run(args);
        var (jsonExit, json, _) = _cli.Run([.. args, "--format", "json"]);

        Assert.Equal((0, 0), (exit, jsonExit));
        Assert.Contains("hubs-off.json(2,3): warning: policy 'hubs-off', rule 'hubs': This Retain rule is disabled", error, StringComparison.Ordinal);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Contains(document.RootElement.GetProperty("notices").EnumerateArray(), n => n.ToString().Contains("This Retain rule is disabled", StringComparison.Ordinal));
    }

    /// <summary>Did-you-mean for commands and options (issue 24): the nearest known word by spelling.</summary>
    [Theory]
    [InlineData(new[] { "rnu" }, "'rnu': did you mean 'run'?")]
    [InlineData(new[] { "forecats", "--policy", "secmp0060" }, "'forecats': did you mean 'forecast'?")]
    [InlineData(new[] { "run", "--polcy", "secmp0060", "--inventory", "x.csv", "--as-of", "2019-11-07" }, "'--polcy': did you mean '--policy'?")]
    [InlineData(new[] { "validate", "--policy", "secmp0060", "--strcit" }, "'--strcit': did you mean '--strict'?")]
    public void MisspeltCommandOrOption_ExitTwoWithTheNearestName(string[] args, string hint)
    {
        var (exit, _, error) = _cli.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(hint, error, StringComparison.Ordinal);
        Assert.DoesNotContain("options go after the command's name", error, StringComparison.Ordinal); // every option here is after it
    }

    /// <summary>
    /// A misspelt option's value and the option meant said to be missing follow from the slip: only
    /// the slip and its nearest name are said, so the one thing to fix is not buried (an option whose
    /// name it starts, '--device' for '--device-id', counts as nearest). What is missing besides is still said.
    /// </summary>
    [Fact]
    public void MisspeltOption_ItsConsequencesNotSaid()
    {
        var (exit, _, error) = _cli.Run("run", "--polcy", "secmp0060", "--inventry", "x.csv", "--as-of", "2019-11-07");
        var device = _cli.Run("explain", "--device", "00-00-00-00-00-00-00-01", "--policy", "secmp0060");

        Assert.Equal(2, exit);
        Assert.Equal("Unrecognized command or argument '--polcy'.\nUnrecognized command or argument '--inventry'.\n'--polcy': did you mean '--policy'?\n'--inventry': did you mean '--inventory'?\nRun 'smi-retention --help' for the commands and their options.\n", error);
        Assert.Equal("Unrecognized command or argument '--device'.\nOption '--as-of' is required.\n'--device': did you mean '--device-id'?\nRun 'smi-retention --help' for the commands and their options.\n", device.Error);
    }

    /// <summary>
    /// The fourth review's cases: a word that starts one option is taken for it before any nearer
    /// spelling ('--bou' is not '--out'), one that starts several names them all and takes none, a
    /// '=value' is set aside, help's name counts, a misspelt option before the command is told to go
    /// after it; and only values that are the misspelt option's are left unsaid.
    /// </summary>
    [Theory]
    [InlineData("run --policy secmp0060 INV --as-of 2024-01-01 --bou after", "'--bou': did you mean '--boundary'?", "'after'|'--out'")]
    [InlineData("run --policy secmp0060 INV --as-of 2024-01-01 --max-removal 5", "'--max-removal': did you mean '--max-removals' or '--max-removal-percent'?|Unrecognized command or argument '5'.", "")]
    [InlineData("--polcy secmp0060 run INV --as-of 2024-01-01", "'--polcy': options go after the command's name (smi-retention run ... --policy ...).|Unrecognized command or argument 'secmp0060'.", "did you mean")]
    [InlineData("run --polcy=secmp0060 INV --as-of 2024-01-01", "'--polcy=secmp0060': did you mean '--policy'?", "is required")]
    [InlineData("run --polcy a --polcy b INV --as-of 2024-01-01", "'--polcy': did you mean '--policy'?", "'a'|'b'")]
    [InlineData("run --polcy a INV --as-of 2024-01-01 a", "Unrecognized command or argument 'a'.", "")] // a stray copy of the value is said
    [InlineData("run --policy secmp0060 INV --as-of 2024-01-01 --ou -", "'--ou': did you mean '--out'?", "'-'")]
    [InlineData("run --policy secmp0060 INV --as-of 2024-01-01 --he", "'--he': did you mean '--help'?", "")]
    [InlineData("run --polcy secmp0060 INV --as-of 2024-01-01 --policy secmp0060", "'--polcy': did you mean '--policy'? It is given already: remove one of them.", "is required")]
    [InlineData("run --policy secmp0060 INV --as-of 2024-01-01 --polcy=secmp0060", "'--polcy=secmp0060': did you mean '--policy'? It is given already: remove one of them.", "")]
    [InlineData("run --policy secmp0060 INV --as-of 2024-01-01 --max-removal 3 --max-removals 4", "'--max-removal': did you mean '--max-removals' or '--max-removal-percent'? ('--max-removals' is given already.)", "")]
    public void MisspeltOption_TheNameItStartsOrTheNearest_AndOnlyItsOwnValueUnsaid(string line, string said, string unsaid)
    {
        var (exit, _, error) = _cli.Run([.. line.Split(' ').SelectMany(w => w == "INV" ? ["--inventory", Sample] : new[] { w })]);

        Assert.Equal(2, exit);
        Assert.All(said.Split('|'), s => Assert.Contains(s, error, StringComparison.Ordinal));
        Assert.All(unsaid.Split('|', StringSplitOptions.RemoveEmptyEntries), s => Assert.DoesNotContain(s, error, StringComparison.Ordinal));
    }

    // An empty word (a script's variable unset): nothing was said of it but that the parser did not know it.
    [Theory]
    [InlineData(new[] { "", "--format", "json" }, "'': an empty word where the command goes (a variable unset in a script?); give one of the commands: run, validate,")]
    [InlineData(new[] { "" }, "'': an empty word where the command goes")]
    [InlineData(new[] { "run", "--policy", "secmp0060", "", "--as-of", "2024-01-01" }, "'': an empty word, which is no option or value here (a variable unset in a script?); remove it, or give what it stood for.")]
    [InlineData(new[] { " ", "--format", "json" }, "' ': a word of blanks only where the command goes (a variable unset in a script?); give one of the commands: run,")]
    [InlineData(new[] { "run", "--policy", "secmp0060", "\t", "--as-of", "2024-01-01" }, "'\\u{0009}': a word of blanks only, which is no option or value here")]
    public void EmptyWord_SaidAsSuch(string[] args, string said)
    {
        var (exit, _, error) = _cli.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(said, error, StringComparison.Ordinal);
    }

    // Another command's option (the as-of date of 'run' given to 'forecast', which starts --from a
    // month): the parser said only that it was not recognised, with no word of where it belongs.
    [Theory]
    [InlineData("forecast --policy secmp0060 INV --as-of 2024-01-01", "'--as-of': forecast has no such option (run, explain, generate, diff, stock and serve take it); 'smi-retention forecast --help' lists its options.")]
    [InlineData("validate --policy secmp0060 --out x.csv", "'--out': validate has no such option (")]
    [InlineData("explain --policy secmp0060 --type ESME --status Pending --since 2020-01-01 --as-of 2024-01-01 --rejects r.csv", "'--rejects': explain has no such option (run takes it); 'smi-retention explain --help' lists its options.")]
    public void OptionOfAnotherCommand_SaidWhichTakeIt(string line, string said)
    {
        var (exit, _, error) = _cli.Run([.. line.Split(' ').SelectMany(w => w == "INV" ? ["--inventory", Sample] : new[] { w })]);

        Assert.Equal(2, exit);
        Assert.Contains(said, error, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", error, StringComparison.Ordinal);
    }

    // An option before the command: it belongs after it, and that is what is said.
    [Fact]
    public void OptionBeforeTheCommand_SaidToGoAfterIt()
    {
        var (exit, _, error) = _cli.Run("--policy", "secmp0060", "validate");

        Assert.Equal(2, exit);
        Assert.Contains("'--policy': options go after the command's name", error, StringComparison.Ordinal);
    }

    /// <summary>An option or command after '--' is an argument there: the '--' is what to remove, not the option to move.</summary>
    [Theory]
    [InlineData(new[] { "validate", "--policy", "secmp0060", "--", "--strict" }, "'--strict' comes after '--', after which every word is an argument, never an option: remove the '--' to give it as an option.")]
    [InlineData(new[] { "run", "--", "--policy", "secmp0060" }, "'--policy' comes after '--', after which every word is an argument, never an option: remove the '--' to give it as an option.")]
    [InlineData(new[] { "--", "validate", "--policy", "secmp0060" }, "'validate' comes after '--', after which every word is an argument, never a command: remove the '--' to give it as a command.")]
    [InlineData(new[] { "validate", "--policy", "secmp0060", "--strict", "--", "--strict" }, "'--strict' comes after '--', after which every word is an argument, never an option: --strict is given before the '--' already, so remove this one.")]
    [InlineData(new[] { "validate", "--policy", "secmp0060", "--", "--policy=secmp0060" }, "'--policy=secmp0060' comes after '--', after which every word is an argument, never an option: --policy is given before the '--' already, so remove this one.")]
    [InlineData(new[] { "validate", "--policy", "secmp0060", "--", "--STRICT" }, "'--STRICT' comes after '--', after which every word is an argument, never an option: remove the '--' to give it as an option (did you mean '--strict'?).")]
    [InlineData(new[] { "validate", "--", "--policy=x" }, "'--policy=x' comes after '--', after which every word is an argument, never an option: remove the '--' to give it as an option.")]
    [InlineData(new[] { "validate", "--policy", "secmp0060", "--", "--help" }, "'--help' comes after '--', after which every word is an argument, never an option: remove the '--' to give it as an option.")]
    public void OptionOrCommandAfterTwoDashes_SaidToBeAnArgumentThere(string[] args, string said)
    {
        var (exit, _, error) = _cli.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains(said, error, StringComparison.Ordinal);
        Assert.DoesNotContain("options go after the command's name", error, StringComparison.Ordinal);
        Assert.DoesNotContain("': did you mean", error, StringComparison.Ordinal); // a suggestion that, followed, would still be after '--'
    }

    /// <summary>A word after '--' that is no option of the command, nor near one, nor a command, is only an argument too many: no hint that, followed, fails again.</summary>
    [Theory]
    [InlineData("--inventory")] // another command's option
    [InlineData("--version")] // the root's alone: not valid after a command either
    [InlineData("---x")]
    [InlineData("--")]
    [InlineData("-5")]
    [InlineData("-")]
    public void WordAfterTwoDashes_NoOptionOfTheCommand_OnlyTheParsersComplaint(string word)
    {
        var (exit, _, error) = _cli.Run("validate", "--policy", "secmp0060", "--", word);

        Assert.Equal(2, exit);
        Assert.Equal($"Unrecognized command or argument '{word}'.\nRun 'smi-retention --help' for the commands and their options.\n", error);
    }

    /// <summary>
    /// A word wrong before '--' and again after it is said as it is before (a misspelling, with the
    /// nearest name), not as an option given twice; an option's name given before is escaped and cut.
    /// </summary>
    [Fact]
    public void WordBeforeAndAfterTwoDashes_SaidAsItIsBefore_AndShownEscaped()
    {
        var misspelt = _cli.Run("validate", "--policy", "secmp0060", "--polcy", "x", "--", "--polcy");
        var command = _cli.Run("rnu", "--policy", "x", "--", "rnu");
        var hostile = "--max-removal-percent\u001B[2J\u001B]0;pwn\u0007";
        var escaped = _cli.Run("run", "--policy", "secmp0060", hostile, "5", "--", hostile);

        Assert.Contains("'--polcy': did you mean '--policy'?", misspelt.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("given before", misspelt.Error, StringComparison.Ordinal);
        Assert.Contains("'rnu': did you mean 'run'?", command.Error, StringComparison.Ordinal);
        Assert.Equal(2, escaped.Exit);
        Assert.DoesNotContain('\u001B', escaped.Error);
        Assert.DoesNotContain('\u0007', escaped.Error);
    }

    /// <summary>Help with an option left without its value is a usage error (exit 2), never an internal one (the parser has no value to give).</summary>
    [Theory]
    [InlineData("validate", "--help", "--format")]
    [InlineData("-h", "validate", "--format")]
    public void HelpAndAnOptionWithoutValue_UsageError(params string[] args)
    {
        var (exit, _, error) = _cli.Run(args);

        Assert.Equal(2, exit);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }

    /// <summary>What follows a misspelt command is its options and values: only the command is suggested ('text' is not a misspelt 'test').</summary>
    [Fact]
    public void MisspeltCommand_OnlyItSuggested()
    {
        var (exit, _, error) = _cli.Run("rnu", "--format", "text");

        Assert.Equal(2, exit);
        Assert.Contains("'rnu': did you mean 'run'?", error, StringComparison.Ordinal);
        Assert.DoesNotContain("'text'", error.Replace("argument 'text'", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    /// <summary>An option that takes a value given last, with none ('--out d.csv --out'): the parser counted the first use's value and ran.</summary>
    [Theory]
    [InlineData("--out", "first.csv", "--out")]
    [InlineData("--max-removals", "1", "--max-removals")]
    [InlineData("--out", "first.csv", "--out", "--")]
    [InlineData("--out", "first.csv", "--out=")] // the parser reads an empty '=' or ':' value as the bare option
    [InlineData("--out", "first.csv", "--out:")]
    public void OptionGivenLastWithoutAValue_Refused(params string[] extra)
    {
        var (exit, _, error) = _cli.Run(["run", "--policy", "secmp0060", "--inventory", Sample, "--as-of", "2019-11-07", "--max-removal-percent", "100", .. extra.Select(e => e == "first.csv" ? _cli.PathOf(e) : e)]);

        Assert.Equal(2, exit);
        Assert.StartsWith($"{extra.Last(e => e != "--").TrimEnd('=', ':')} has no value: " + (extra[^1] == "--" ? "it is followed by '--', after which no word is an option's value." : "nothing follows it."), error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("first.csv")));
    }

    /// <summary>The words of a missing-value refusal are shown escaped and cut, as every command-line word is: none drives the terminal.</summary>
    [Fact]
    public void OptionWithoutValue_WordsEscapedAndCut()
    {
        var (exit, _, error) = _cli.Run("run", "--out", "--policy=\u001B]0;pwn\u0007" + new string('a', 5000));

        Assert.Equal(2, exit);
        Assert.DoesNotContain('\u001B', error);
        Assert.DoesNotContain('\u0007', error);
        Assert.True(error.Length < 1500, error);
    }

    [Fact]
    public void Policies_ListsEveryBuiltIn()
    {
        var (exit, output, _) = _cli.Run("policies");
        Assert.Equal(0, exit);
        Assert.Equal(PolicyCatalog.BuiltInNames, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public void Validate_BuiltIn_ExitZeroListingRules()
    {
        var (exit, output, _) = _cli.Run("validate", "--policy", "dcc-cr1022");
        Assert.Equal(0, exit);
        Assert.StartsWith("dcc-cr1022 is valid (sha256 ", output, StringComparison.Ordinal);
        Assert.Contains("    1. exclude-communications-hubs -> Retain: device.Type in (\"CHF\", \"GPF\")", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadPolicy_ExitTwoListingEveryProblem()
    {
        var path = _cli.Write("bad.json", File.ReadAllText(Path.Combine(Golden.Folder("InvalidPolicies"), "many-problems.json")));
        var (exit, output, error) = _cli.Run("validate", "--policy", path);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith($"Policy {path} is invalid (8 problems); nothing was evaluated:", error, StringComparison.Ordinal);
        Assert.Contains($"{path}(4,84): rule 'a': SuccessEvent 'Delete' is not an action; use \"Remove\" or \"Retain\".", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SampleInventory_WritesOneDecisionPerRowInInputOrder()
    {
        var output = _cli.PathOf("decisions.csv");
        var (exit, summary, error) = _cli.Run("run", "--policy", "sec-timeline", "--inventory", Sample, "--as-of", "2019-11-07", "--out", output);

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Rows       10,000 read = 10,000 decided + 0 rejected", summary, StringComparison.Ordinal);
        Assert.Contains("Policy     sec-timeline (sha256 ", summary, StringComparison.Ordinal);
        Assert.Matches(@"\nElapsed    \d+\.\d\d s, [\d,]+ rows/s\n", summary);
        Assert.Contains($"\nWritten    decisions: {output}; rejects: (none)\n", summary, StringComparison.Ordinal);

        var decisions = File.ReadAllLines(output);
        var inventory = File.ReadAllLines(Sample);
        Assert.Equal("device_id,action,rule,due_date,alert", decisions[0]);
        Assert.Equal(inventory.Length, decisions.Length);
        Assert.Equal(inventory.Skip(1).Select(l => l[..23]), decisions.Skip(1).Select(l => l[..23]));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void Run_SampleInventory_DecisionsMatchTheLibrary()
    {
        var output = _cli.PathOf("decisions.csv");
        Assert.Equal(0, _cli.Run("run", "--policy", "dcc-cr1022", "--inventory", Sample, "--as-of", "2019-11-07", "--out", output).Exit);

        var evaluator = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("dcc-cr1022")).For(TestDevices.Date("2019-11-07"));
        var expected = File.ReadLines(Sample).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            var device = new DeviceRecord(DeviceId.Parse(f[0]), DeviceTypes.Parse(f[1]), SmiStatuses.Parse(f[2]), TestDevices.Date(f[3]), SmiStatusSet.Parse(f[4]));
            var d = evaluator.Evaluate(device);
            return $"{device.Id},{d.Action},{d.Rule?.Name},{d.DueDate?.ToString("uuuu-MM-dd", null)},{d.Alert}";
        });
        Assert.Equal(expected, File.ReadLines(output).Skip(1));
    }

    [Fact]
    public void Run_EveryKindOfBadRow_RejectedWithLineAndReason_ReadEqualsDecidedPlusRejected()
    {
        var inventory = _cli.Write("bad-rows.csv", string.Join('\n',
            Header,
            "88-73-84-57-00-2F-96-1E,ESME,Pending,2018-01-01,",
            "88-73-84-57-00-2F-96-1,ESME,Pending,2018-01-01,",
            "88-73-84-57-00-2F-96-1F,COMMSHUB,Pending,2018-01-01,",
            "88-73-84-57-00-2F-96-20,ESME,Live,2018-01-01,",
            "88-73-84-57-00-2F-96-21,ESME,Pending,2018-02-30,",
            "88-73-84-57-00-2F-96-22,,Pending,2018-01-01,",
            "88-73-84-57-00-2F-96-23,ESME,Pending",
            "88-73-84-57-00-2F-96-1E,GSME,Pending,2018-01-01,",
            "88-73-84-57-00-2F-96-24,ESME,Pending,2019-11-08,",
            "88-73-84-57-00-2F-96-25,IHD,Pending,2018-01-01,",
            "88-73-84-57-00-2F-96-26,ESME,Pending,2018-01-01,Commissioned;Installed",
            "not-an-id,chf,unknown,yesterday,",
            "88-73-84-57-00-2F-96-27,GPF,Pending,2018-06-30T23:30:00Z,") + "\n");
        var rejects = _cli.PathOf("rejects.csv");
        var decisions = _cli.PathOf("decisions.csv");

        var (exit, summary, _) = _cli.Run("run", "--policy", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--rejects", rejects, "--out", decisions, "--max-removal-percent", "100", "--max-reject-percent", "100");

        Assert.Equal(0, exit);
        // Line 9 repeats the device of line 2: neither row can be trusted, so both are rejected.
        Assert.Contains("Rows       13 read = 1 decided + 12 rejected", summary, StringComparison.Ordinal);
        Golden.AssertMatches(Path.Combine(Golden.Folder("Cli"), "bad-rows-rejects.csv"), File.ReadAllText(rejects));
        Assert.Equal(
            ["device_id,action,rule,due_date,alert", "88-73-84-57-00-2F-96-27,Remove,pending-12-months,2019-07-01,"],
            File.ReadAllLines(decisions));
    }

    [Fact]
    public void Run_QuotedFieldsCrlfAndColumnsInAnyOrder_Accepted()
    {
        var inventory = _cli.Write("quoted.csv",
            "status,\"prior_statuses\",extra,device_id,status_since,device_type,notifying_party\r\n" +
            "Pending,\"Commissioned;Decommissioned\",\"a, b\",\"00-1b-c5-0c-00-00-00-2a\",2018-10-07,esme,\"Supplier \"\"A\"\"\"\r\n" +
            "\"Pending\",,x,00-1B-C5-0C-00-00-00-2B,\"2019-10-07\",GSME,\r\n");
        var decisions = _cli.PathOf("decisions.csv");

        var (exit, summary, error) = _cli.Run("run", "--policy", "bryt-previously-commissioned", "--inventory", inventory, "--as-of", "2019-11-07", "--out", decisions, "--max-removal-percent", "100");

        Assert.Equal(0, exit);
        Assert.Empty(error);
        Assert.Contains("Rows       2 read = 2 decided + 0 rejected", summary, StringComparison.Ordinal);
        Assert.Equal(
            ["device_id,action,rule,due_date,alert", "00-1B-C5-0C-00-00-00-2A,Remove,previously-commissioned-pending-12-months,2019-10-07,N8", "00-1B-C5-0C-00-00-00-2B,Retain,,,"],
            File.ReadAllLines(decisions));
    }

    [Fact]
    public void Run_EmptyFile_ExitTwoSayingWhatAHeaderIs()
    {
        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", _cli.Write("empty.csv", ""), "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Equal($"{_cli.PathOf("empty.csv")} is empty: an inventory CSV starts with a header line naming its columns, at least {Header}.\n", error);
    }

    [Fact]
    public void Run_HeaderOnly_ExitZeroWithNoRows()
    {
        var decisions = _cli.PathOf("decisions.csv");
        var (exit, summary, _) = _cli.Run("run", "--policy", "secmp0060", "--inventory", _cli.Write("header.csv", Header + "\n"), "--as-of", "2019-11-07", "--out", decisions);
        Assert.Equal(0, exit);
        Assert.Contains("Rows       0 read = 0 decided + 0 rejected", summary, StringComparison.Ordinal);
        Assert.Equal(["device_id,action,rule,due_date,alert"], File.ReadAllLines(decisions));
    }

    [Fact]
    public void Run_MissingColumns_ExitTwoNamingThem()
    {
        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", _cli.Write("cols.csv", "device_id,type,status\n"), "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Equal(
            $"{_cli.PathOf("cols.csv")} has no columns device_type, status_since, prior_statuses; the header has device_id, type, status. Name the columns {Header} (any order; notifying_party, smets_generation, device_model are optional; extra columns are ignored).\n",
            error);
    }

    [Fact]
    public void Run_OverTheGuard_ExitThreeAndNothingWritten()
    {
        var inventory = _cli.Write("backlog.csv", Header + "\n" + string.Join('\n', Enumerable.Range(0, 20).Select(i =>
            $"88-73-84-57-00-00-00-{i:X2},CHF,{(i < 12 ? "Pending" : "Commissioned")},2017-06-01,")) + "\n");
        var decisions = _cli.PathOf("decisions.csv");
        var rejects = _cli.PathOf("rejects.csv");

        var (exit, output, error) = _cli.Run("run", "--policy", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--out", decisions, "--rejects", rejects);

        Assert.Equal(3, exit);
        Assert.Empty(output);
        Assert.Equal("Refused: the run would remove 12 of 20 devices decided, over the limit of 5% (--max-removal-percent, the default). Nothing was written. Check the policy and the inventory; if the count is expected, give --max-removals 12 (which replaces the default percentage) or a higher --max-removal-percent.\n", error);
        Assert.Empty(Directory.GetFiles(_cli.Folder, "*decisions*"));
        Assert.Empty(Directory.GetFiles(_cli.Folder, "*rejects*"));

        var byCount = _cli.Run("run", "--policy", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--max-removal-percent", "100", "--max-removals", "11");
        Assert.Equal(3, byCount.Exit);
        Assert.StartsWith("Refused: the run would remove 12 of 20 devices decided, over the limit of 11 devices (--max-removals).", byCount.Error, StringComparison.Ordinal);

        // A count alone replaces the default percentage, as the message says.
        Assert.Equal(0, _cli.Run("run", "--policy", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--max-removals", "12").Exit);

        Assert.Equal(0, _cli.Run("run", "--policy", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--max-removal-percent", "60", "--out", decisions).Exit);
        Assert.True(File.Exists(decisions));
    }

    [Fact]
    public void Run_InvalidPolicy_ExitTwoAndNothingWritten()
    {
        var policy = _cli.Write("bad.json", "{ \"WorkflowName\": \"x\", \"Rules\": [] }");
        var decisions = _cli.PathOf("decisions.csv");
        var (exit, _, error) = _cli.Run("run", "--policy", policy, "--inventory", Sample, "--as-of", "2019-11-07", "--out", decisions);
        Assert.Equal(2, exit);
        Assert.Contains("The policy has no rules, so it would retain every device; add at least one rule.", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_cli.Folder, "*decisions*"));
    }

    [Theory]
    [InlineData("--as-of", "07/11/2019", "--as-of '07/11/2019' is not a date; write a London date as yyyy-MM-dd, e.g. 2019-11-07.")]
    [InlineData("--as-of", "-2019-11-07", "--as-of '-2019-11-07' is not a date; write a London date as yyyy-MM-dd, e.g. 2019-11-07.")] // a sign: every row was then rejected as after the as-of date (exit 4)
    [InlineData("--as-of", "+2019-11-07", "--as-of '+2019-11-07' is not a date; write a London date as yyyy-MM-dd, e.g. 2019-11-07.")]
    [InlineData("--as-of", "0000-01-01", "--as-of '0000-01-01' is not a date; write a London date as yyyy-MM-dd, e.g. 2019-11-07.")]
    [InlineData("--boundary", "strict", "--boundary 'strict' is not a boundary; use 'on' (removable on the corresponding date) or 'after' (from the day after).")]
    [InlineData("--inventory", "/no/such/file.csv", "Cannot read /no/such/file.csv: there is no such file.")]
    public void Run_BadArgument_ExitTwoSayingWhy(string option, string value, string message)
    {
        var args = new Dictionary<string, string> { ["--policy"] = "secmp0060", ["--inventory"] = Sample, ["--as-of"] = "2019-11-07", [option] = value };
        var (exit, _, error) = _cli.Run(["run", .. args.SelectMany(a => new[] { a.Key, a.Value })]);
        Assert.Equal(2, exit);
        Assert.Equal(message + "\n", error);
    }

    // Numbers are read one way everywhere (docs/tool.md): digits. --months, --devices, --seed and
    // --port were read by the command-line library, which took a sign, spaces and leading zeros
    // and named a .NET type when it failed ('System.Int32'); --max-removals refused the same text.
    [Theory]
    [InlineData("forecast --policy secmp0060 --inventory SAMPLE --from 2019-11-07 --months +12", "--months '+12' is not a number of months from 1 to 1,200; write it with digits only, e.g. 12.")]
    [InlineData("forecast --policy secmp0060 --inventory SAMPLE --from 2019-11-07 --months 1e3", "--months '1e3' is not a number of months from 1 to 1,200; write it with digits only, e.g. 12.")]
    [InlineData("forecast --policy secmp0060 --inventory SAMPLE --from 2019-11-07 --months 0", "--months '0' is not a number of months from 1 to 1,200; write it with digits only, e.g. 12.")]
    [InlineData("generate --devices -3 --as-of 2019-11-07 --out -", "--devices '-3' is not a number of rows from 0 to 999,999,999,999,999,999; write it with digits only, e.g. 1000.")]
    [InlineData("generate --devices 3 --seed 99999999999999999999 --as-of 2019-11-07 --out -", "--seed '99999999999999999999' is not a seed from 0 to 999,999,999,999,999,999; write it with digits only, e.g. 1.")]
    [InlineData("serve --as-of 2019-11-07 --port 70000", "--port '70000' is not a port (0 for any free one) from 0 to 65,535; write it with digits only, e.g. 5380.")]
    [InlineData("forecast --policy secmp0060 --inventory SAMPLE --from 2019-11-07 --boundary after_", "--boundary 'after_' is not a boundary; use 'on' (removable on the corresponding date) or 'after' (from the day after).")]
    [InlineData("run --policy secmp0060 --inventory SAMPLE --as-of 2019-11-07 --out --hepl", "--out --hepl looks like an option, not a file; give --out a file (or - for standard output), or write a file of that name as ./--hepl.")]
    [InlineData("run --policy secmp0060 --inventory SAMPLE --as-of 2019-11-07 --rejects -5", "--rejects -5 looks like an option, not a file; give --rejects a file (or - for standard output), or write a file of that name as ./-5.")]
    public void Option_ValueInAnotherForm_RefusedSayingHowToWriteIt(string line, string message)
    {
        var (exit, _, error) = _cli.Run([.. line.Split(' ').Select(a => a == "SAMPLE" ? Sample : a)]);
        Assert.Equal(2, exit);
        Assert.Equal(message + "\n", error);
    }

    [Theory]
    [InlineData("--months", " 12")]
    [InlineData("--boundary", " after")]
    public void Option_ValueWithSpaces_Refused(string option, string value)
    {
        var (exit, _, error) = _cli.Run("forecast", "--policy", "secmp0060", "--inventory", Sample, "--from", "2019-11-07", option, value);
        Assert.Equal(2, exit);
        Assert.Contains($"'{value}'", error, StringComparison.Ordinal);
    }

    // An option's value left out: the parser took the next option's name for it and said only that
    // the value after was not recognised.
    [Fact]
    public void Option_ValueLeftOut_SaidPlainly()
    {
        var (exit, _, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", Sample, "--as-of", "2019-11-07", "--out", "--rejects", _cli.PathOf("r.csv"));
        Assert.Equal(2, exit);
        Assert.Contains("--out has no value: it is followed by --rejects, which was taken for its value. Give --out its value.", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("r.csv")));
    }

    // The third review's case: where the parser takes the next option's name for the value and finds
    // nothing else wrong, the command ran with it ('validate --policy --strict' looked for a policy
    // named --strict, and did not validate strictly; '--junit --policy p.json' wrote a JUnit file
    // named --policy). Every such pair is refused, with or without another error.
    [Theory]
    [InlineData("validate", "--policy", "--strict")]
    [InlineData("test", "--junit", "--policy", "secmp0060")]
    [InlineData("explain", "--policy", "--as-of", "2019-11-07")]
    [InlineData("run", "--inventory", "--format", "text")]
    [InlineData("validate", "--policy", "/h")] // the fifth review's: the hint was './/h', another file than /h
    [InlineData("run", "--out", "--help")] // an option's name as an output: before, "looks like an option, not a file"
    [InlineData("run", "--rejects", "-h")]
    [InlineData("validate", "--policy", "-h")] // help and version are every command's options (the fourth review's)
    [InlineData("explain", "--policy", "-?")]
    [InlineData("validate", "--policy", "--version")]
    [InlineData("validate", "--policy", "--strict=true")] // the fifth review's: the parser's own words
    [InlineData("run", "--inventory", "--format=text")]
    [InlineData("test", "--policy", "--strict", "x.tests.json")] // the second review of 2003ebf: another command's option
    [InlineData("validate", "--policy=", "--strict")] // the third's: an empty value given with '=' is the bare option to the parser
    [InlineData("generate", "--seed", "--devices", "5", "--as-of", "2019-11-07", "--out", "g.csv")] // nothing else said: '5' unrecognised and '--devices' missing followed from the shift
    public void Option_FollowedByAnotherOption_RefusedSayingSo(params string[] args)
    {
        var (exit, output, error) = _cli.Run(args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        // A word that starts with '-' is refused as an output's value whatever the spelling (docs/tool.md: ./--name); '/h' may be given with '='.
        var option = args[1].TrimEnd('=', ':');
        var how = args[2].StartsWith('-') ? "." : $" (to give {args[2]} itself, write {option}={args[2]}).";
        Assert.Equal($"{option} has no value: it is followed by {args[2]}, which was taken for its value. Give {option} its value{how}\nRun 'smi-retention --help' for the commands and their options.\n", error);
        Assert.Empty(Directory.GetFileSystemEntries(_cli.Folder, "--*"));
    }

    // The hint's way out works: the option's name as the value, given with '='.
    [Fact]
    public void Option_ValueThatIsAnOptionsName_GivenWithEquals()
    {
        var (exit, _, error) = _cli.Run("validate", "--policy=--strict");

        Assert.Equal(2, exit);
        Assert.StartsWith("'--strict' is neither a built-in policy", error, StringComparison.Ordinal);
    }

    // A directive of the command-line library: '[suggest] run' printed nothing and exited 0.
    [Fact]
    public void Directive_NotACommand_ExitTwo()
    {
        Assert.Equal(2, _cli.Run("[suggest]", "run").Exit);
        Assert.Equal(2, _cli.Run("[diagram]", "run").Exit);
    }

    // The third review's case: generate --devices 999999999999999999 wrote until the disk was full
    // (then exit 74, the file removed), filling the disk every other program shares. A count whose
    // fewest bytes exceed the room where the output is made is refused before any row.
    [Theory]
    [InlineData("big.csv")]
    [InlineData("-")]
    public void Generate_MoreRowsThanTheDiskHolds_RefusedBeforeAnyRow(string output)
    {
        var destination = output == "-" ? "-" : _cli.PathOf(output);

        var (exit, written, error) = _cli.Run("generate", "--devices", "999999999999999999", "--as-of", "2026-12-01", "--out", destination);

        Assert.Equal((2, ""), (exit, written));
        Assert.StartsWith("--devices 999,999,999,999,999,999 would write at least 51,000,000.0 TB (51 bytes a row at the fewest, and the header), more than the ", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_cli.Folder));
    }

    // The bound is a lower one: no generated row is shorter.
    [Fact]
    public void Generate_NoRowShorterThanTheBound()
    {
        Assert.Equal(0, _cli.Run("generate", "--devices", "20000", "--as-of", "2026-12-01", "--out", _cli.PathOf("g.csv")).Exit);
        Assert.True(File.ReadLines(_cli.PathOf("g.csv")).Skip(1).Min(line => line.Length + 1) >= Smi.Retention.Cli.Commands.GenerateCommand.MinRowBytes);
    }

    // The review's case: generate as of year 1 wrote status dates of year 0 and before as
    // 0000-05-07 and 000+-10-21, rows no reader takes. Statuses go back ten years.
    [Fact]
    public void Generate_AsOfTooEarlyForItsStatuses_RefusedAndAtTheEarliestEveryRowValid()
    {
        var early = _cli.Run("generate", "--devices", "3", "--as-of", "0010-12-31", "--out", _cli.PathOf("early.csv"));
        Assert.Equal(2, early.Exit);
        Assert.Equal("--as-of: No inventory can be generated as of 0010-12-31: its statuses go back up to ten years, before the calendar's first date (0001-01-01). Give a date from 0011-01-01.\n", early.Error);
        Assert.False(File.Exists(_cli.PathOf("early.csv")));

        var earliest = _cli.Run("generate", "--devices", "20000", "--as-of", "0011-01-01", "--out", _cli.PathOf("earliest.csv"));
        Assert.True(earliest.Exit == 0, earliest.Error);
        var (exit, output, error) = _cli.Run("run", "--policy", "secmp0060", "--inventory", _cli.PathOf("earliest.csv"), "--as-of", "0011-01-01", "--format", "json");
        Assert.True(exit == 0, error);
        Assert.Contains("\"rejected\":0", output.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Smi.Retention.Inventory.SyntheticInventory.Generate(1, 1, new NodaTime.LocalDate(10, 12, 31)));
    }

    [Fact]
    public void Run_MissingRequiredOption_ExitTwo()
    {
        var (exit, _, error) = _cli.Run("run", "--inventory", Sample, "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Contains("--policy", error, StringComparison.Ordinal);
        Assert.Contains("smi-retention --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_DeviceInSample_PrintsTheTrace()
    {
        var id = File.ReadLines(Sample).Skip(1).First(l => l.Contains(",Pending,", StringComparison.Ordinal))[..23];
        var (exit, output, _) = _cli.Run("explain", "--policy", "secmp0060", "--inventory", Sample, "--device-id", id.ToLowerInvariant(), "--as-of", "2019-11-07");
        Assert.Equal(0, exit);
        Assert.Contains($"Device: {id} ", output, StringComparison.Ordinal);
        Assert.Contains("1. pending-36-months -> Remove: ", output, StringComparison.Ordinal);
        Assert.Contains("Decision: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnknownOrBadDevice_ExitTwo()
    {
        var notThere = _cli.Run("explain", "--policy", "secmp0060", "--inventory", Sample, "--device-id", "FF-FF-FF-FF-FF-FF-FF-FF", "--as-of", "2019-11-07");
        Assert.Equal(2, notThere.Exit);
        Assert.Equal($"Device FF-FF-FF-FF-FF-FF-FF-FF is not in {Sample}; check the id (8 pairs of hex digits joined by '-').\n", notThere.Error);

        var inventory = _cli.Write("one.csv", Header + "\n88-73-84-57-00-2F-96-1E,IHD,Pending,2018-01-01,\n");
        var bad = _cli.Run("explain", "--policy", "secmp0060", "--inventory", inventory, "--device-id", "88-73-84-57-00-2F-96-1E", "--as-of", "2019-11-07");
        Assert.Equal(2, bad.Exit);
        Assert.Equal("Device 88-73-84-57-00-2F-96-1E on line 2 is not a valid record, so no policy decides it: IHD devices are Type 2 devices with no SMI status, so the status must be NotApplicable, not Pending.\n", bad.Error);

        var malformed = _cli.Run("explain", "--policy", "secmp0060", "--inventory", inventory, "--device-id", "88-73", "--as-of", "2019-11-07");
        Assert.Equal(2, malformed.Exit);
        Assert.StartsWith("--device-id: Device ID '88-73' has 5 characters", malformed.Error, StringComparison.Ordinal);
    }

    // Bryt's answer means commissioned: a device only whitelisted, installed or withdrawn before is kept; one decommissioned is removed.
    [Theory]
    [InlineData("Whitelisted", "Decision: Retain (no rule matched)")]
    [InlineData("InstalledNotCommissioned", "Decision: Retain (no rule matched)")]
    [InlineData("Withdrawn", "Decision: Retain (no rule matched)")]
    [InlineData("Decommissioned", "Decision: Remove by rule 'previously-commissioned-pending-12-months'")]
    [InlineData("Whitelisted;Commissioned", "Decision: Remove by rule 'previously-commissioned-pending-12-months'")]
    public void Explain_BrytWithAHistory_RemovesOnlyTheOnceCommissioned(string prior, string decision)
    {
        var (exit, output, error) = _cli.Run("explain", "--policy", "bryt-previously-commissioned", "--type", "ESME", "--status", "Pending", "--since", "2017-01-01", "--prior", prior, "--as-of", "2019-11-07");

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains("\n" + decision + "\n", output, StringComparison.Ordinal);
    }

    // An author's question without an inventory: "what about a GSME pending since 2018-02-28 that was once commissioned?"
    [Fact]
    public void Explain_DescribedDevice_DecidedAsTheSameDeviceInAnInventory()
    {
        var described = _cli.Run("explain", "--policy", "bryt-previously-commissioned", "--type", "gsme", "--status", "Pending", "--since", "2018-02-28", "--prior", "Commissioned", "--as-of", "2019-11-07");
        var inventory = _cli.Write("gsme.csv", Header + "\n00-00-00-00-00-00-00-00,GSME,Pending,2018-02-28,Commissioned\n");
        var listed = _cli.Run("explain", "--policy", "bryt-previously-commissioned", "--inventory", inventory, "--device-id", "00-00-00-00-00-00-00-00", "--as-of", "2019-11-07");

        Assert.Equal((0, ""), (described.Exit, described.Error));
        Assert.Equal(listed.Output, described.Output);
        Assert.Contains("Decision: Remove by rule 'previously-commissioned-pending-12-months'\nRemovable since: 2019-02-28\n", described.Output, StringComparison.Ordinal);

        var neverInService = _cli.Run("explain", "--policy", "bryt-previously-commissioned", "--type", "GSME", "--status", "Pending", "--since", "2018-02-28", "--as-of", "2019-11-07");
        Assert.Contains("Decision: Retain (no rule matched)", neverInService.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--type", "GSME", "--status", "Pendin", "--since", "2018-02-30", "--prior", "Foo" }, "--status: 'Pendin' is not an SMI status;", "--since: '2018-02-30' is not a date", "--prior: 'Foo' is not an SMI status;")]
    [InlineData(new[] { "--type", "GSME" }, "A described device needs --type, --status and --since", null, null)]
    [InlineData(new[] { "--type", "IHD", "--status", "Pending", "--since", "2018-01-01" }, "IHD devices are Type 2 devices with no SMI status", null, null)]
    [InlineData(new string[0], "Say which device to explain: either --inventory <csv> with --device-id <EUI-64>, or a device described", null, null)]
    [InlineData(new[] { "--device-id", "88-73-84-57-00-2F-96-1E" }, "Say which device to explain", null, null)]
    [InlineData(new[] { "--device-id", "88-73-84-57-00-2F-96-1E", "--type", "ESME", "--status", "Pending", "--since", "2019-01-01" }, "Say which device to explain", null, null)]
    public void Explain_DescribedDeviceWrongOrMixed_ExitTwoSayingWhatToFix(string[] device, string first, string? second, string? third)
    {
        var (exit, output, error) = _cli.Run(["explain", "--policy", "secmp0060", "--as-of", "2019-11-07", .. device]);

        Assert.Equal((2, ""), (exit, output));
        Assert.StartsWith(first, error, StringComparison.Ordinal);
        Assert.All(new[] { second, third }.OfType<string>(), line => Assert.Contains("\n" + line, error, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_SameSeed_SameFile_DifferentSeed_DifferentFile()
    {
        string Generate(string name, string seed)
        {
            var path = _cli.PathOf(name);
            Assert.Equal(0, _cli.Run("generate", "--devices", "5000", "--seed", seed, "--as-of", "2019-11-07", "--out", path).Exit);
            return File.ReadAllText(path);
        }

        var first = Generate("a.csv", "42");
        Assert.Equal(first, Generate("b.csv", "42"));
        Assert.NotEqual(first, Generate("c.csv", "43"));
        Assert.Equal(5001, first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Generate_Mix_LooksLikeTheSmi()
    {
        var path = _cli.PathOf("mix.csv");
        Assert.Equal(0, _cli.Run("generate", "--devices", "60000", "--seed", "1", "--as-of", "2026-11-28", "--out", path).Exit);
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).ToArray();
        int Count(Func<string[], bool> where) => rows.Count(where);

        Assert.InRange(Count(r => r[1] == "CHF") - Count(r => r[1] == "GPF"), 0, 1);
        Assert.InRange(Count(r => r[2] == "Commissioned") / (double)rows.Length, 0.6, 0.8);
        Assert.InRange(Count(r => r[2] == "Pending") / (double)rows.Length, 0.01, 0.06);
        Assert.True(Count(r => r[2] == "Pending" && r[4].Contains("Decommissioned", StringComparison.Ordinal)) > 100);
        Assert.Equal(rows.Length, rows.Select(r => r[0]).Distinct().Count());
        Assert.All(rows.Where(r => r[1] is "IHD" or "CAD"), r => Assert.Equal("NotApplicable", r[2]));

        // The SMI's own facts: smets_generation, device_model, notifying_party; SMETS1 older on average; a few not recorded.
        Assert.Equal("device_id,device_type,status,status_since,prior_statuses,smets_generation,device_model,notifying_party", File.ReadLines(path).First());
        double MeanYear(string generation) => rows.Where(r => r[5] == generation).Average(r => int.Parse(r[3][..4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(MeanYear("SMETS1") < MeanYear("SMETS2") - 0.5, $"SMETS1 devices are not older: {MeanYear("SMETS1")} against {MeanYear("SMETS2")}");
        Assert.InRange(Count(r => r[5] == "") / (double)rows.Length, 0.005, 0.05);
        Assert.InRange(Count(r => r[6] == "") / (double)rows.Length, 0.005, 0.05);
        Assert.InRange(Count(r => r[7] == "") / (double)rows.Length, 0.002, 0.05);
        Assert.InRange(rows.Where(r => r[1] == "ESME").Select(r => r[6]).Where(m => m.Length > 0).Distinct().Count(), 3, 8);
        Assert.InRange(rows.Select(r => r[7]).Where(p => p.Length > 0).Distinct().Count(), 3, 20);
        // A Communications Hub is one unit: its GPF (the row after its CHF) has the CHF's generation and model.
        Assert.All(Enumerable.Range(1, rows.Length - 1).Where(i => rows[i][1] == "GPF"), i => Assert.Equal((rows[i - 1][1], rows[i - 1][5], rows[i - 1][6]), ("CHF", rows[i][5], rows[i][6])));
    }

    [Fact]
    public void Run_OneMillionGeneratedRows_ReadEqualsDecidedPlusRejected()
    {
        var inventory = _cli.PathOf("million.csv");
        Assert.Equal(0, _cli.Run("generate", "--devices", "1000000", "--seed", "5", "--as-of", "2026-11-28", "--out", inventory).Exit);
        File.AppendAllText(inventory, "88-73-84-57-00-2F-96-1E,ESME,Pending,2030-01-01,\nbad,ESME,Pending,2020-01-01,\n");

        var (exit, summary, error) = _cli.Run("run", "--policy", "dcc-cr1022", "--inventory", inventory, "--as-of", "2026-11-28", "--out", _cli.PathOf("d.csv"), "--rejects", _cli.PathOf("r.csv"));

        Assert.Equal(0, exit);
        Assert.All(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches("^[0-9,]+ rows read$", line)); // progress only: the file is over 64 MB
        Assert.Contains("Rows       1,000,002 read = 1,000,000 decided + 2 rejected", summary, StringComparison.Ordinal);
        Assert.Equal(1_000_001, File.ReadLines(_cli.PathOf("d.csv")).Count());
        Assert.Equal(3, File.ReadLines(_cli.PathOf("r.csv")).Count());
    }

    [Fact]
    public void Validate_SmellyPolicy_PrintsWarningsButExitsZero()
    {
        var path = _cli.Write("smelly.json", """{ "WorkflowName": "smelly", "Rules": [ { "RuleName": "six", "Expression": "device.PendingFor(\"P6M\")", "SuccessEvent": "Remove" } ] }""");
        var (exit, output, _) = _cli.Run("validate", "--policy", path);
        Assert.Equal(0, exit);
        Assert.Contains("warning: policy 'smelly', rule 'six': The period P6M is shorter than 12 months", output, StringComparison.Ordinal);
        Assert.EndsWith("1 warning.\n", output, StringComparison.Ordinal);
        Assert.EndsWith("No warnings.\n", _cli.Run("validate", "--policy", "sec-timeline").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateStrict_Warnings_ExitOneEachPlacedAtItsRule()
    {
        var path = _cli.Write("smelly.json", "{\n  \"WorkflowName\": \"smelly\",\n  \"Rules\": [\n    { \"RuleName\": \"six\", \"Expression\": \"device.PendingFor(\\\"P6M\\\")\", \"SuccessEvent\": \"Remove\" } ] }");
        var (exit, output, error) = _cli.Run("validate", "--policy", path, "--strict");

        Assert.Equal(1, exit);
        Assert.Contains($"{path}(4,5): warning: policy 'smelly', rule 'six': The period P6M is shorter than 12 months", output, StringComparison.Ordinal);
        Assert.Equal("--strict: 1 warning, so the policy is not accepted; change the policy so each warning goes, or run without --strict.\n", error);
        Assert.Equal(0, _cli.Run("validate", "--policy", "sec-timeline", "--strict").Exit);
    }

    [Fact]
    public void Diff_WritesEveryChangedDevice()
    {
        var output = _cli.PathOf("diff.csv");
        var (exit, summary, _) = _cli.Run("diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", Sample, "--as-of", "2019-11-07", "--out", output);
        Assert.Equal(0, exit);
        Assert.Contains("Changes    105: newly removed 0, newly retained 105, other 0", summary, StringComparison.Ordinal);
        var rows = File.ReadAllLines(output);
        Assert.Equal("device_id,device_type,direction,action_against,rule_against,action_policy,rule_policy", rows[0]);
        Assert.Equal(106, rows.Length);
        Assert.All(rows.Skip(1), r => Assert.EndsWith(",NewlyRetained,Remove,pending-12-months,Retain,", r, StringComparison.Ordinal));
    }

    [Fact]
    public void Forecast_BadCostOrMonths_ExitTwo()
    {
        var cost = _cli.Run("forecast", "--policy", "secmp0060", "--inventory", Sample, "--from", "2019-11-07", "--cost-per-device", "50-36");
        Assert.Equal(2, cost.Exit);
        Assert.Equal("--cost-per-device: '50-36' is not a cost per device; write a figure or a range, lower first, in digits with a '.' for pence, such as 36-50 or 36.50 (pounds per removed device, at most 1,000,000).\n", cost.Error);
        Assert.Equal(2, _cli.Run("forecast", "--policy", "secmp0060", "--inventory", Sample, "--from", "2019-11-07", "--months", "0").Exit);
    }

    [Fact]
    public void Subset_Yes_ExitZero() =>
        Assert.Equal(
            (0, "Yes: every device bryt-previously-commissioned removes, on any date, sec-ac72-v6.3 removes too.\n"),
            _cli.Run("subset", "--policy", "bryt-previously-commissioned", "--of", "sec-ac72-v6.3") is var r ? (r.Exit, r.Output) : default);
}
