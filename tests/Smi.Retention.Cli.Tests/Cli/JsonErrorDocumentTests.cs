using System.Text.Json;
using System.Text.RegularExpressions;
using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// <c>--format json</c> on every exit path: each failing command writes exactly one document, the
/// <c>error</c> document of schemas/output/error.schema.json, whose code is one of the catalogue's,
/// comes with the exit code the process returns, and is listed in docs/tool.md with its meaning.
/// </summary>
public sealed partial class JsonErrorDocumentTests : IDisposable
{
    private static readonly string Root = Repository.Root();
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string Sample => Path.Combine(Root, "samples", "inventory.csv");

    [Theory]
    [InlineData("run", "--policy", "nope", "--inventory", "x", "--as-of", "2019-11-07")]
    [InlineData("explain", "--policy", "nope", "--type", "GSME", "--status", "Pending", "--since", "2016-01-01", "--as-of", "2019-11-07")]
    [InlineData("test", "--policy", "nope", "EXAMPLES")]
    [InlineData("diff", "--policy", "nope", "--against", "secmp0060", "--inventory", "x", "--as-of", "2019-11-07")]
    [InlineData("forecast", "--policy", "nope", "--inventory", "x", "--from", "2019-11-07")]
    [InlineData("subset", "--policy", "nope", "--of", "secmp0060")]
    public void UnknownPolicy_EveryCommand_ErrorDocumentWithCodeExitTwo(params string[] args)
    {
        var (exit, document) = Failed([.. args.Select(a => a == "EXAMPLES" ? Path.Combine(Root, "examples") : a), "--format", "json"]);

        Assert.Equal((2, "SMI2101", args[0]), (exit, Code(document), document.RootElement.GetProperty("command").GetString()));
        Assert.Contains("'nope' is neither a built-in policy", document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IssueExample_RunWithAnUnknownPolicy_JsonWithCodeExitTwo()
    {
        var (exit, output, _) = _cli.RunIn(Root, "run", "--policy", "nope", "--inventory", "x", "--as-of", "2019-11-07", "--format", "json");

        Assert.Equal(2, exit);
        Assert.Equal("SMI2101", JsonDocument.Parse(output).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public void InvalidPolicy_EachProblemAtItsPlace()
    {
        var policy = _cli.Write("bad.json", "{ \"WorkflowName\": \"w\",\n  \"Rules\": [ { \"RuleName\": \"r\", \"Expression\": \"device.Statu == \\\"Pending\\\"\", \"SuccessEvent\": \"Remove\" } ] }");

        var (exit, document) = Failed("run", "--policy", policy, "--inventory", Sample, "--as-of", "2019-11-07", "--format", "json");
        var problems = document.RootElement.GetProperty("problems").EnumerateArray().ToArray();

        Assert.Equal((2, "SMI2102"), (exit, Code(document)));
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal(("SMI2102", policy, 2, "r"), (p.GetProperty("code").GetString(), p.GetProperty("source").GetString(), p.GetProperty("line").GetInt32(), p.GetProperty("rule").GetString())));
    }

    [Fact]
    public void Refused_ExitThree_FactsAndNothingWritten()
    {
        var (exit, document) = Failed("run", "--policy", "sec-timeline", "--inventory", Sample, "--as-of", "2019-11-07", "--max-removals", "3", "--out", _cli.PathOf("d.csv"), "--format", "json");
        var facts = document.RootElement.GetProperty("facts");

        Assert.Equal((3, "SMI3001"), (exit, Code(document)));
        Assert.Equal((139m, 10_000m, 3m), (facts.GetProperty("removals").GetDecimal(), facts.GetProperty("decided").GetDecimal(), facts.GetProperty("maxRemovals").GetDecimal()));
        Assert.Equal(0, document.RootElement.GetProperty("written").GetArrayLength());
        Assert.False(File.Exists(_cli.PathOf("d.csv")));
    }

    [Fact]
    public void TooManyRejects_ExitFour_TheRejectsNamedAsWritten()
    {
        var inventory = _cli.Write("inv.csv", "device_id,device_type,status,status_since,prior_statuses\n00-00-00-00-00-00-00-01,GSME,Pending,2015-01-01,\n00-00-00-00-00-00-00-02,NOPE,Pending,2015-01-01,\n");
        var rejects = _cli.PathOf("r.csv");

        var (exit, document) = Failed("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07", "--rejects", rejects, "--max-removal-percent", "100", "--format", "json");
        var written = Assert.Single(document.RootElement.GetProperty("written").EnumerateArray());

        Assert.Equal((4, "SMI4001"), (exit, Code(document)));
        Assert.Equal(("--rejects", rejects, true), (written.GetProperty("option").GetString(), written.GetProperty("path").GetString(), written.GetProperty("complete").GetBoolean()));
        Assert.Equal(1m, document.RootElement.GetProperty("facts").GetProperty("rejected").GetDecimal());
        Assert.True(File.Exists(rejects));
    }

    [Theory]
    [InlineData("SMI2001", "run", "--policy", "secmp0060", "--inventory", "x", "--as-of", "2019-11-07", "--bogus", "--format", "json")]
    [InlineData("SMI2001", "rnu", "--format", "json")]
    [InlineData("SMI2001", "diff", "--policy", "secmp0060", "--format=json")]
    [InlineData("SMI2001", "run", "--format", "json", "--format", "json", "--policy", "secmp0060", "--inventory", "x", "--as-of", "2019-11-07")]
    [InlineData("SMI2001", "--format", "json", "run", "--policy", "secmp0060", "--inventory", "x", "--as-of", "2019-11-07")]
    [InlineData("SMI2001", "validate", "--policy", "secmp0060", "--format:json", "--bogus")] // the parser's other spelling of a value
    [InlineData("SMI2001", "rnu", "--format:JSON")]
    [InlineData("SMI2001", "validate", "--policy", "a\uFFFDb", "--format", "json")] // an argument not UTF-8: refused before anything, as a document too
    [InlineData("SMI2002", "diff", "--symbolic", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", "x", "--format", "json")]
    [InlineData("SMI2002", "diff", "--symbolic", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--as-of", "9999-11-30", "--format", "json")]
    [InlineData("SMI2002", "run", "--policy", "secmp0060", "--inventory", "x", "--as-of", "2019-02-30", "--format", "json")]
    [InlineData("SMI2002", "forecast", "--policy", "secmp0060", "--inventory", "x", "--from", "2019-11-07", "--months", "0", "--format", "json")]
    [InlineData("SMI2201", "run", "--policy", "secmp0060", "--inventory", "no-such.csv", "--as-of", "2019-11-07", "--format", "json")]
    [InlineData("SMI2201", "diff", "--policy", "secmp0060", "--against", "bryt-previously-commissioned", "--inventory", "no-such.csv", "--as-of", "2019-11-07", "--format", "json")]
    [InlineData("SMI2301", "run", "--policy", "secmp0060", "--inventory", "SAMPLE", "--as-of", "2019-11-07", "--out", "SAMPLE", "--format", "json")]
    [InlineData("SMI2401", "test", "no-tests-here/*.tests.json", "--format", "json")]
    [InlineData("SMI2501", "explain", "--policy", "secmp0060", "--inventory", "SAMPLE", "--device-id", "FF-FF-FF-FF-FF-FF-FF-FF", "--as-of", "2019-11-07", "--format", "json")]
    public void EveryFailure_OneErrorDocument_ItsCodeComesWithTheExitCode(string code, params string[] args)
    {
        var (exit, document) = Failed([.. args.Select(a => a == "SAMPLE" ? Sample : a)]);

        Assert.Equal(code, Code(document));
        Assert.Equal(ProblemCodes.All.Single(c => c.Id == code).ExitCode, exit);
    }

    /// <summary>
    /// Each thing wrong with a command line is its own problem of the document (two values left out
    /// were one), a word's suggestion in the problem that names the word (not a problem of its own),
    /// the hint to run --help in none.
    /// </summary>
    [Theory]
    [InlineData(new[] { "run", "--policy", "--inventory", "--as-of", "2019-11-07", "--format", "json" }, new[] { "--policy has no value", "--inventory has no value" })]
    [InlineData(new[] { "run", "--polcy", "secmp0060", "--inventry", "x", "--as-of", "2019-11-07", "--format", "json" }, new[] { "Unrecognized command or argument '--polcy'. '--polcy': did you mean '--policy'?", "Unrecognized command or argument '--inventry'. '--inventry': did you mean '--inventory'?" })]
    [InlineData(new[] { "validate", "--policy", "secmp0060", "--format", "json", "--", "--strct" }, new[] { "Unrecognized command or argument '--strct'. '--strct' comes after '--', after which every word is an argument, never an option: remove the '--' to give it as an option (did you mean '--strict'?)." })]
    [InlineData(new[] { "rnu", "'rnu'", "--format", "json" }, new[] { "Unrecognized command or argument 'rnu'. 'rnu': did you mean 'run'?", "Unrecognized command or argument ''rnu''." })]
    public void CommandLineProblems_EachItsOwnEntry(string[] args, string[] starts)
    {
        var (exit, document) = Failed(args);
        var problems = document.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("message").GetString()!).ToArray();

        Assert.Equal((2, "SMI2001"), (exit, Code(document)));
        foreach (var start in starts)
        {
            Assert.Single(problems, p => p.StartsWith(start, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(problems, p => p.StartsWith('\''));
        Assert.Equal(problems.Length, problems.Sum(p => Regex.Count(p, "Unrecognized|Option '|has no value|Required command"))); // a hint joined to its own word's complaint, not another's
        Assert.DoesNotContain(problems, p => p.Contains("--help", StringComparison.Ordinal));
        Assert.EndsWith("Run 'smi-retention --help' for the commands and their options.", document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Words after '--' are arguments: one that reads '--format=json' there does not ask for a document.</summary>
    [Theory]
    [InlineData("validate", "--policy", "secmp0060", "--", "--format=json")]
    [InlineData("validate", "--policy", "secmp0060", "--", "--format", "json")]
    [InlineData("rnu", "--FORMAT=json")] // no such option: the parser's names are exact
    [InlineData("generate", "--devices", "5", "--as-of", "2019-11-07", "--out", "-", "--format=json")] // a command without --format
    public void FormatJsonWhereItIsNoOption_TextOnly(params string[] args)
    {
        var (exit, output, error) = _cli.Run(args);

        Assert.Equal((2, ""), (exit, output));
        Assert.Contains("Unrecognized command or argument", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Interrupted_ErrorDocumentExit130()
    {
        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();

        var (exit, output, _) = _cli.RunWith(null, null, interrupt.Token, "run", "--policy", "secmp0060", "--inventory", Sample, "--as-of", "2019-11-07", "--format", "json");

        Assert.Equal(130, exit);
        Assert.Equal("SMI1301", Code(Checked(output)));
    }

    [Fact]
    public void WithoutJson_NothingOnStandardOutput()
    {
        var (exit, output, error) = _cli.Run("run", "--policy", "nope", "--inventory", "x", "--as-of", "2019-11-07");

        Assert.Equal((2, ""), (exit, output));
        Assert.Contains("neither a built-in policy", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolPage_ListsEveryCodeWithItsExitCodeAndMeaning()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "docs", "tool.md"));
        var rows = CodeRow().Matches(readme).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[3].Value)).ToArray();

        Assert.Equal(ProblemCodes.All.Select(c => (c.Id, c.ExitCode, c.Meaning)), rows);
    }

    [Fact]
    public void Codes_AreUniqueAndNamedByTheirExitCode()
    {
        Assert.Equal(ProblemCodes.All.Count, ProblemCodes.All.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ProblemCodes.All, c => Assert.Matches($"^SMI{c.ExitCode}[0-9]+$", c.Id));
        Assert.All(ProblemCodes.All, c => Assert.Equal(7, c.Id.Length));
    }

    [Fact]
    public void Schema_ListsExactlyTheCatalogue()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "schemas", "output", "error.schema.json")));
        var codes = schema.RootElement.GetProperty("$defs").GetProperty("code").GetProperty("enum").EnumerateArray().Select(e => e.GetString());

        Assert.Equal(ProblemCodes.All.Select(c => c.Id), codes);
    }

    private (int Exit, JsonDocument Document) Failed(params string[] args)
    {
        var (exit, output, error) = _cli.Run(args);
        Assert.True(exit != 0, $"exit 0: {output}");
        var document = Checked(output);
        Assert.Equal(exit, document.RootElement.GetProperty("exitCode").GetInt32());
        Assert.EndsWith(document.RootElement.GetProperty("message").GetString()!, error.TrimEnd('\n'), StringComparison.Ordinal);
        return (exit, document);
    }

    private static JsonDocument Checked(string output) => JsonOutputTests.Checked("error", output); // exactly one document: a second would not parse

    private static string? Code(JsonDocument document) => document.RootElement.GetProperty("code").GetString();

    [GeneratedRegex(@"^\| `(SMI\d{4})` \| (\d+) \| (.*) \|$", RegexOptions.Multiline)]
    private static partial Regex CodeRow();
}
