using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Smi.Retention.Cli;

namespace Smi.Retention.Tests;

/// <summary>
/// Facts that live outside C# are held to the code: the docs pages' tables of commands, exit codes,
/// log events and instruments, and the JSON schemas it names, each equal to what the code defines.
/// A command, an exit code, an event or a schema added, renamed or gone without its docs fails here.
/// </summary>
public sealed partial class DocsFactsTests
{
    private static readonly string Root = Repository.Root();

    /// <summary>The page for operators: commands, exit codes, outputs.</summary>
    private static string ToolPage() => DocPages.Read("docs/tool.md");

    /// <summary>The page for DSP engineers: events and instruments.</summary>
    private static string HostingPage() => DocPages.Read("docs/hosting.md");

    [Fact]
    public void CommandTables_ListEveryCommandTheToolHas()
    {
        using var context = new CliContext(TextWriter.Null, TextWriter.Null, interactive: false);
        var commands = SmiRetentionCli.Root(context).Subcommands.Select(c => c.Name).Order(StringComparer.Ordinal);

        var documented = Table(ToolPage(), "command").Select(row => CommandRow().Match(row)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(commands, documented);
    }

    [Fact]
    public void ExitCodeTable_ListsEveryExitCode()
    {
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetRawConstantValue()!).Distinct().Order();

        var documented = ExitRow().Matches(ToolPage()).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order();

        Assert.Equal(codes, documented);
    }

    // The install command names the version the repository packs, so it installs what was just built.
    [Fact]
    public void InstallFromALocalBuild_NamesTheVersionPacked()
    {
        var version = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(Root, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;
        Assert.NotEmpty(version);
        Assert.Contains($"dotnet tool install --global Smi.Retention.Cli --version {version} --add-source artifacts/packages\n", ToolPage(), StringComparison.Ordinal);
        Assert.Contains($"`[{version}]`", DocPages.Read("docs/architecture.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void EventTable_ListsEveryLogEventWithItsLevel()
    {
        var events = new[] { typeof(RetentionPolicy).Assembly, typeof(HousekeepingService).Assembly, typeof(Smi.Retention.Cli.SmiRetentionCli).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => (a.EventId, a.Level.ToString()))
            .Order();

        var documented = EventRow().Matches(HostingPage()).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value)).Order();

        Assert.Equal(events, documented);
    }

    [Fact]
    public void InstrumentTable_ListsEveryInstrument()
    {
        var source = string.Concat(Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Select(File.ReadAllText));
        var instruments = InstrumentCreated().Matches(source).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        var documented = InstrumentRow().Matches(HostingPage()).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        Assert.NotEmpty(instruments);
        Assert.Equal(instruments, documented);
    }

    [Fact]
    public void OutputSchemas_OnePerKindTheToolWrites_EachNamedInTheToolPage()
    {
        // Every document is a report model's (ReportSchemaTests holds each to its schema), and run --evidence's lines.
        var kinds = typeof(Smi.Retention.Cli.Reports.ICommandReport).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(Smi.Retention.Cli.Reports.ICommandReport).IsAssignableFrom(t))
            .Select(t => (string)t.GetProperty("Kind", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
            .Append("evidence").Order(StringComparer.Ordinal);
        var schemas = Directory.GetFiles(Path.Combine(Root, "schemas", "output"), "*.schema.json").Select(f => Path.GetFileName(f)[..^".schema.json".Length]).Order(StringComparer.Ordinal);

        Assert.Equal(kinds, schemas);
        Assert.All(schemas, s => Assert.Contains($"{s}.schema.json", ToolPage(), StringComparison.Ordinal));
    }

    [Fact]
    public void BenchmarkSummary_EveryReportItCitesExists_AndEveryReportIsCited()
    {
        var results = Path.Combine(Root, "benchmarks", "results");
        var summary = File.ReadAllText(Path.Combine(results, "SUMMARY.md"));
        var cited = CitedReport().Matches(summary).Select(m => m.Groups[1].Value.TrimEnd('/')).Distinct().ToArray();

        Assert.NotEmpty(cited);
        Assert.All(cited, path => Assert.True(File.Exists(Path.Combine(results, path)) || Directory.Exists(Path.Combine(results, path)), $"SUMMARY.md cites {path}, which is not there"));
        var runs = Directory.GetDirectories(Path.Combine(results, "history")).Select(d => "history/" + Path.GetFileName(d));
        Assert.All(runs, run => Assert.Contains(cited, c => c.StartsWith(run, StringComparison.Ordinal)));
        Assert.Equal(["SUMMARY.md", "cli-memory.md", "cli-vs-copy.md"], Directory.GetFiles(results).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>A public type is found by its file's name: no source file holds two (the Polly and NodaTime way).</summary>
    [Fact]
    public void SourceFiles_EachHoldsOnePublicTypeNamedAsTheFile()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var wrong = files
            .Select(f => (File: Path.GetRelativePath(Root, f), Types: PublicType().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value).ToArray()))
            .Where(f => f.Types.Length > 1 || (f.Types.Length == 1 && f.Types[0] != Path.GetFileNameWithoutExtension(f.File)))
            .Select(f => $"{f.File}: {string.Join(", ", f.Types)}");

        Assert.Empty(wrong);
    }

    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|readonly|partial)\s+)*(?:record struct|record|class|struct|enum|interface)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex PublicType();

    [GeneratedRegex(@"`((?:history/[a-z0-9-]+/)(?:[A-Za-z0-9.-]+\.md)?|cli-memory\.md|cli-vs-copy\.md)`")]
    private static partial Regex CitedReport();

    /// <summary>The rows of every table whose first column is headed <paramref name="heading"/>.</summary>
    private static IEnumerable<string> Table(string text, string heading)
    {
        var inTable = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith($"| {heading} |", StringComparison.Ordinal))
            {
                inTable = true;
            }
            else if (!line.StartsWith('|'))
            {
                inTable = false;
            }
            else if (inTable && !line.StartsWith("|---", StringComparison.Ordinal))
            {
                yield return line;
            }
        }
    }

    // "| `run --policy ...` |" in a command table: the command's name.
    [GeneratedRegex(@"^\| `([a-z]+)[ `]", RegexOptions.Multiline)]
    private static partial Regex CommandRow();

    [GeneratedRegex(@"^\| `([0-9]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ExitRow();

    [GeneratedRegex(@"^\| ([0-9]+) \| (Trace|Debug|Information|Warning|Error|Critical) \|", RegexOptions.Multiline)]
    private static partial Regex EventRow();

    [GeneratedRegex(@"Create(?:Counter|Histogram|UpDownCounter|Gauge)<[a-z]+>\(""([a-z._]+)""")]
    private static partial Regex InstrumentCreated();

    [GeneratedRegex(@"^\| `(smi\.retention\.[a-z._]+)` \|", RegexOptions.Multiline)]
    private static partial Regex InstrumentRow();

}
