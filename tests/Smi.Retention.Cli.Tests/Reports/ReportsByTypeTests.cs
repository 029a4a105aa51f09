using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodaTime;

namespace Smi.Retention.Tests.Reports;

/// <summary>
/// A report by device type adds up to its totals in every format, and <c>forecast --out</c> carries
/// the backlog ("now") as the text does, so that its rows add up to the forecast's removals in all.
/// A policy that would remove Type 2 devices (IHD, CAD: never Pending) is refused by every command
/// that takes one (it was valid, with a warning, and its removals had a column of their own).
/// </summary>
public sealed partial class ReportsByTypeTests : IDisposable
{
    private const string RemovesDisplays = """
        {"WorkflowName":"displays-too","Rules":[
          {"RuleName":"displays","Expression":"device.Type == \"IHD\"","SuccessEvent":"Remove"},
          {"RuleName":"pending","Expression":"device.PendingFor(\"P36M\")","SuccessEvent":"Remove"}]}
        """;

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Sample => Path.Combine(Repository.Root(), "samples", "inventory.csv");

    private string Policy(string name) => name == "displays-too" ? _cli.Write("displays-too.json", RemovesDisplays) : name;

    [Theory]
    [InlineData("sec-timeline", false)]
    [InlineData("dcc-cr1022", false)]
    public void Forecast_TextJsonCsvAndHtml_ColumnsAddUpToTheTotals_TheBacklogInTheCsv(string policyName, bool displays)
    {
        var policy = Policy(policyName);
        string[] args = ["forecast", "--policy", policy, "--inventory", Sample, "--from", "2019-11-07", "--months", "12"];
        var (exit, text, error) = _cli.Run([.. args, "--out", _cli.PathOf("months.csv"), "--html", _cli.PathOf("forecast.html")]);
        Assert.True(exit == 0, error);
        var (jsonExit, json, jsonError) = _cli.Run([.. args, "--format", "json"]);
        Assert.True(jsonExit == 0, jsonError);
        var document = JsonNode.Parse(json)!;
        var backlog = document["backlog"]!.GetValue<long>();
        var inAll = backlog + document["removalsInWindow"]!.GetValue<long>();
        var laterAndUndetermined = document["dueLater"]!.GetValue<long>() + document["undetermined"]!.GetValue<long>();

        // JSON: the backlog's and every month's types add up to their totals; IHD is there when it is removed.
        Assert.Equal(backlog, Sum(document["backlogByType"]!));
        Assert.All(document["months"]!.AsArray(), month => Assert.Equal(month!["total"]!.GetValue<long>(), Sum(month["byType"]!)));
        Assert.Equal(document["dueLater"]!.GetValue<long>(), Sum(document["dueLaterByType"]!));
        Assert.Equal(document["undetermined"]!.GetValue<long>(), Sum(document["undeterminedByType"]!));
        Assert.Equal(displays, document["backlogByType"]!.AsObject().ContainsKey("IHD"));
        Assert.True(!displays || document["backlogByType"]!["IHD"]!.GetValue<long>() > 0);

        // Text: each row of the table, its types' cells then its total.
        var rows = text.Split('\n').Where(l => TableRow().IsMatch(l)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Equal(15, rows.Length); // now, 12 months, later, undetermined
        Assert.All(rows, row => Assert.Equal(Number(row[^1]), row[1..^1].Sum(Number)));
        Assert.Equal(displays, text.Contains(" IHD ", StringComparison.Ordinal));

        // CSV: a column for every type; the backlog first, as "now"; the rows add up to the removals in all.
        var csv = File.ReadAllLines(_cli.PathOf("months.csv"));
        Assert.Equal("month_start,ESME,GSME,CHF,GPF,PPMID,HCALCS,IHD,CAD,total,cost_low,cost_high", csv[0]);
        Assert.StartsWith(FormattableString.Invariant($"now,"), csv[1], StringComparison.Ordinal);
        Assert.Equal(16, csv.Length);
        Assert.StartsWith("later,", csv[^2], StringComparison.Ordinal);
        Assert.StartsWith("undetermined,", csv[^1], StringComparison.Ordinal);
        var cells = csv.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(cells, row => Assert.Equal(Number(row[9]), row[1..9].Sum(Number)));
        Assert.Equal(backlog, Number(cells[0][9]));
        Assert.Equal(inAll, cells[..^2].Sum(row => Number(row[9])));
        Assert.Equal(laterAndUndetermined, cells[^2..].Sum(row => Number(row[9])));

        // HTML: every row of the table adds up too, and the chart has a key for IHD when it is counted.
        var html = File.ReadAllText(_cli.PathOf("forecast.html"));
        var tableRows = HtmlRow().Matches(html).Select(m => HtmlCell().Matches(m.Value).Select(c => c.Groups[1].Value).ToArray()).Where(r => r.Length > 2).ToArray();
        Assert.Equal(15, tableRows.Length);
        Assert.All(tableRows, row => Assert.Equal(Number(row[^1]), row[1..^1].Sum(Number)));
        Assert.Equal(displays, html.Contains("</span>IHD</span>", StringComparison.Ordinal));
    }

    // The devices due after the window and the undetermined were totals alone: no type in any
    // format and not in the CSV, so its rows left them out (a review). One of each kind, exactly.
    [Fact]
    public void Forecast_LaterAndUndetermined_ByTypeInEveryFormat()
    {
        var policy = _cli.Write("by-model.json", """
            { "WorkflowName": "by-model", "Rules": [
              { "RuleName": "keep-aldor", "Expression": "device.Model == \"Aldor E1-100\"", "SuccessEvent": "Retain" },
              { "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);
        var inventory = _cli.Write("models.csv", "device_id,device_type,status,status_since,prior_statuses,device_model\n"
            + "88-73-84-57-00-00-00-01,ESME,Pending,2015-01-15,,Other E1\n" // the backlog
            + "88-73-84-57-00-00-00-02,ESME,Pending,2015-01-15,,\n" // no model: undetermined
            + "88-73-84-57-00-00-00-03,IHD,NotApplicable,2015-01-15,,\n" // no model, and kept whatever it is: no rule may remove a Type 2 device
            + "88-73-84-57-00-00-00-04,GSME,Pending,2019-01-15,,Other G1\n" // due 2020-01-15: in the window
            + "88-73-84-57-00-00-00-05,GSME,Pending,2019-06-01,,Other G1\n" // due 2020-06-01: later
            + "88-73-84-57-00-00-00-06,GSME,Pending,2019-06-01,,Aldor E1-100\n"); // kept, no due date
        string[] args = ["forecast", "--policy", policy, "--inventory", inventory, "--from", "2019-11-07", "--months", "6"];

        var (exit, text, error) = _cli.Run([.. args, "--out", _cli.PathOf("months.csv"), "--html", _cli.PathOf("forecast.html")]);
        Assert.True(exit == 0, error);
        var rows = text.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Contains(rows, l => l.StartsWith("  month from", StringComparison.Ordinal) && !l.Contains(" IHD ", StringComparison.Ordinal));
        Assert.Equal(["later", "0", "1", "0", "0", "0", "0", "1"], rows.Single(l => l.StartsWith("  later ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["undetermined", "1", "0", "0", "0", "0", "0", "1"], rows.Single(l => l.StartsWith("  undetermined ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var (jsonExit, json, jsonError) = _cli.Run([.. args, "--format", "json"]);
        Assert.True(jsonExit == 0, jsonError);
        var document = JsonNode.Parse(json)!;
        Assert.Equal(1, document["dueLaterByType"]!["GSME"]!.GetValue<long>());
        Assert.Equal(1, document["undeterminedByType"]!["ESME"]!.GetValue<long>());
        Assert.Equal(1, Sum(document["undeterminedByType"]!));

        var csv = File.ReadAllLines(_cli.PathOf("months.csv"));
        Assert.Equal("later,0,1,0,0,0,0,0,0,1,,", csv[^2]);
        Assert.Equal("undetermined,1,0,0,0,0,0,0,0,1,,", csv[^1]);
        Assert.Equal(4, csv.Skip(1).Sum(l => Number(l.Split(',')[9]))); // every device but the two kept for good

        var html = File.ReadAllText(_cli.PathOf("forecast.html"));
        var tableRows = HtmlRow().Matches(html).Select(m => HtmlCell().Matches(m.Value).Select(c => c.Groups[1].Value).ToArray()).Where(r => r.Length > 2).ToArray();
        Assert.Contains(["later", "0", "1", "0", "0", "0", "0", "1"], tableRows);
        Assert.Contains(["undetermined", "1", "0", "0", "0", "0", "0", "1"], tableRows);
    }

    [Theory]
    [InlineData("run", "--inventory", "SAMPLE", "--as-of", "2019-11-07", "--out", "OUT")]
    [InlineData("diff", "--against", "secmp0060", "--inventory", "SAMPLE", "--as-of", "2019-11-07", "--out", "OUT")]
    [InlineData("forecast", "--inventory", "SAMPLE", "--from", "2019-11-07", "--months", "12", "--out", "OUT")]
    [InlineData("diff", "--against", "secmp0060", "--symbolic")]
    [InlineData("subset", "--of", "sec-ac72-v6.3")]
    [InlineData("explain", "--type", "IHD", "--status", "NotApplicable", "--since", "2015-01-01", "--as-of", "2019-11-07")]
    [InlineData("validate")]
    public void PolicyRemovingTypeTwoDevices_RefusedByEveryCommand_NothingWritten(params string[] args)
    {
        var policy = Policy("displays-too");
        var output = _cli.PathOf("out.csv");
        string[] command = [args[0], "--policy", policy, .. args[1..].Select(a => a switch { "SAMPLE" => Sample, "OUT" => output, _ => a })];

        var (exit, text, error) = _cli.Run(command);

        Assert.True(exit == 2, text + error);
        Assert.Contains("rule 'displays': Rule 'displays' removes devices whose status is not Pending (a device of type IHD and status NotApplicable, for one)", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    // Changes to or from Undetermined ("other") were a total alone: no type in the text or JSON,
    // nowhere on the page, whose table then added up to less than its summary (a review).
    [Fact]
    public void Diff_OtherChanges_ByTypeInEveryFormat()
    {
        var policy = _cli.Write("by-model.json", """
            { "WorkflowName": "by-model", "Rules": [
              { "RuleName": "keep-aldor", "Expression": "device.Model == \"Aldor E1-100\"", "SuccessEvent": "Retain" },
              { "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """);
        var inventory = _cli.Write("models.csv", "device_id,device_type,status,status_since,prior_statuses,device_model\n"
            + "88-73-84-57-00-00-00-01,ESME,Pending,2015-01-15,,Aldor E1-100\n"
            + "88-73-84-57-00-00-00-02,ESME,Pending,2015-01-15,,\n" // no model: Undetermined here, removed by secmp0060
            + "88-73-84-57-00-00-00-03,GSME,Pending,2015-01-15,,\n"
            + "88-73-84-57-00-00-00-04,GSME,Pending,2018-01-15,,\n"); // no model: Undetermined here, retained by secmp0060
        string[] args = ["diff", "--policy", policy, "--against", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07"];

        var (exit, text, error) = _cli.Run([.. args, "--html", _cli.PathOf("diff.html")]);
        var (jsonExit, json, _) = _cli.Run([.. args, "--format", "json"]);

        Assert.True(exit == 0 && jsonExit == 0, error);
        Assert.Contains("other 3", text, StringComparison.Ordinal);
        var table = text.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.Contains("type", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Equal(3, table.Sum(row => Number(row[3])));
        Assert.Equal(["ESME", "0", "1", "1"], table.Single(row => row[0] == "ESME"));
        Assert.Equal(["GSME", "0", "0", "2"], table.Single(row => row[0] == "GSME"));
        var changes = JsonNode.Parse(json)!["changes"]!;
        Assert.Equal(3, Sum(changes["otherByType"]!));
        Assert.Equal(3, changes["other"]!.GetValue<long>());

        var html = File.ReadAllText(_cli.PathOf("diff.html"));
        Assert.Contains("<th>other (to or from undetermined)</th>", html, StringComparison.Ordinal);
        Assert.Contains("data-label=\"other (to or from undetermined)\" data-total=\"3\"", html, StringComparison.Ordinal);
        var rows = HtmlRow().Matches(html).Select(m => HtmlCell().Matches(m.Value).Select(c => c.Groups[1].Value).ToArray()).Where(r => r.Length == 4).ToArray();
        Assert.Equal(3, rows.Sum(row => Number(row[3])));
    }

    [Fact]
    public void Workbench_APolicyRemovingTypeTwoDevices_InvalidWithTheRuleAndItsPlace()
    {
        var asOf = new LocalDate(2019, 11, 7);
        var devices = SyntheticInventory.Generate(3000, seed: 5, asOf).ToArray();
        var baseline = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn("secmp0060"));
        var setup = new Smi.Retention.Cli.Workbench.WorkbenchSetup(RemovesDisplays, _cli.PathOf("displays-too.json"), baseline, devices, "generated.csv", asOf, BoundaryMode.OnCorrespondingDate, null, null, false);

        var check = new Smi.Retention.Cli.Workbench.WorkbenchSession(setup).Check(RemovesDisplays);

        Assert.False(check.Valid);
        var problem = Assert.Single(check.Problems);
        Assert.Equal((2, 3, "displays"), (problem.Line, problem.Column, problem.Rule));
        Assert.StartsWith("Rule 'displays' removes devices whose status is not Pending", problem.Message, StringComparison.Ordinal);
        Assert.Null(check.Diff);
        Assert.Null(check.Forecast);
    }

    private static long Sum(JsonNode byType) => byType.AsObject().Sum(p => p.Value!.GetValue<long>());

    private static long Number(string text) => long.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^  (now|later|undetermined|\d{4}-\d{2}-\d{2}) ")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"<tr>.*?</tr>")]
    private static partial Regex HtmlRow();

    [GeneratedRegex(@"<td>(?:<span[^>]*></span>)?([^<]*)</td>")]
    private static partial Regex HtmlCell();
}
