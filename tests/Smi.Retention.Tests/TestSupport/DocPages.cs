using System.Text.RegularExpressions;
using Smi.Retention.Tests.Policies;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>The README and the pages of docs/, as the tests that hold them to the code read them.</summary>
public static partial class DocPages
{
    /// <summary>Each page's path relative to the repository: the README, the docs pages, then each package's README.</summary>
    public static IReadOnlyList<string> Paths { get; } =
        ["README.md",
            .. Directory.GetFiles(Path.Combine(BuiltInPolicyTests.RepositoryRoot(), "docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p)).Order(StringComparer.Ordinal),
            .. Directory.GetDirectories(Path.Combine(BuiltInPolicyTests.RepositoryRoot(), "src")).Where(d => File.Exists(Path.Combine(d, "README.md")))
                .Select(d => "src/" + Path.GetFileName(d) + "/README.md").Order(StringComparer.Ordinal)];

    /// <summary>A page's text, with LF line ends.</summary>
    public static string Read(string path) =>
        File.ReadAllText(Path.Combine(BuiltInPolicyTests.RepositoryRoot(), path)).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Every page's text, one after another: where a fact is shown matters less than that it is shown once and right.</summary>
    public static string All() => string.Join("\n", Paths.Select(Read));

    /// <summary>Every fenced code block of every page, with the HTML comment just before it, if any.</summary>
    public static IEnumerable<DocBlock> Blocks()
    {
        foreach (var path in Paths)
        {
            var text = Read(path);
            foreach (Match block in Fenced().Matches(text))
            {
                var line = text[..block.Index].Count(c => c == '\n') + 1;
                yield return new DocBlock(path, line, block.Groups["marker"].Success ? block.Groups["marker"].Value.Trim() : null, block.Groups["language"].Value, block.Groups["body"].Value);
            }
        }
    }

    /// <summary>A scratch folder holding the files the pages' commands name, at their repository paths.</summary>
    public static string CopyOfExamples()
    {
        var root = BuiltInPolicyTests.RepositoryRoot();
        var folder = Directory.CreateTempSubdirectory("smi-docs-").FullName;
        foreach (var relative in new[] { Path.Combine("examples", "policies"), Path.Combine("src", "Smi.Retention", "Policies", "BuiltIn", "tests"), "samples" })
        {
            Directory.CreateDirectory(Path.Combine(folder, relative));
            foreach (var file in Directory.GetFiles(Path.Combine(root, relative)))
            {
                File.Copy(file, Path.Combine(folder, relative, Path.GetFileName(file)));
            }
        }

        return folder;
    }

    /// <summary>Runs the tool in <paramref name="folder"/>, as a reader would from there; callers hold the working-folder collection.</summary>
    public static (int Exit, string Output, string Error) RunIn(string folder, string[] args)
    {
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(folder);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var exit = Smi.Retention.Cli.SmiRetentionCli.Run(args, output, error, interactive: false);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    [GeneratedRegex(@"(?:<!-- (?<marker>[^\n]*?) -->\n)?^```(?<language>[a-z]*)\n(?<body>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fenced();
}

/// <summary>A fenced code block of a docs page.</summary>
/// <param name="Page">The page, relative to the repository.</param>
/// <param name="Line">The line of its opening fence.</param>
/// <param name="Marker">The text of the HTML comment on the line before it, if any.</param>
/// <param name="Language">Its language tag.</param>
/// <param name="Body">Its text, ending in a line end.</param>
public sealed record DocBlock(string Page, int Line, string? Marker, string Language, string Body)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Page}({Line}) ```{Language}";
}
