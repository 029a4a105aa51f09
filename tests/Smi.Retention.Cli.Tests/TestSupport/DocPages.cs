using System.Text.RegularExpressions;

namespace Smi.Retention.Tests.TestSupport;

/// <summary>The README and the pages of docs/, as the tests that hold them to the code read them.</summary>
public static partial class DocPages
{
    /// <summary>
    /// Each page's path relative to the repository: the README, every page under docs/, each package's
    /// README, the benchmarks' README and the CHANGELOG: every Markdown file a reader is sent to.
    /// </summary>
    public static IReadOnlyList<string> Paths { get; } =
        ["README.md",
            .. Directory.GetFiles(Path.Combine(Repository.Root(), "docs"), "*.md", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(Repository.Root(), p).Replace('\\', '/')).Order(StringComparer.Ordinal),
            .. Directory.GetDirectories(Path.Combine(Repository.Root(), "src")).Where(d => File.Exists(Path.Combine(d, "README.md")))
                .Select(d => "src/" + Path.GetFileName(d) + "/README.md").Order(StringComparer.Ordinal),
            "benchmarks/README.md",
            "CHANGELOG.md"];

    /// <summary>A page's text, with LF line ends.</summary>
    public static string Read(string path) =>
        File.ReadAllText(Path.Combine(Repository.Root(), path)).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Every page's text, one after another: where a fact is shown matters less than that it is shown once and right.</summary>
    public static string All() => string.Join("\n", Paths.Select(Read));

    /// <summary>
    /// Every fenced code block of every page, with the HTML comment just before it, if any: fences of
    /// backticks or tildes, three or more, at any indent (inside a list item too), with any info string.
    /// </summary>
    public static IEnumerable<DocBlock> Blocks() => Paths.SelectMany(path => Parse(path, Read(path)));

    /// <summary>The fenced code blocks of one page's text; see <see cref="Blocks"/>.</summary>
    public static IEnumerable<DocBlock> Parse(string path, string page)
    {
        {
            var lines = page.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var open = Fence().Match(lines[i]);
                if (!open.Success)
                {
                    continue;
                }

                var fence = open.Groups["fence"].Value;
                var body = new List<string>();
                var j = i + 1;
                for (; j < lines.Length; j++)
                {
                    var close = lines[j].Trim();
                    if (close.Length >= fence.Length && close.All(c => c == fence[0]))
                    {
                        break;
                    }

                    body.Add(lines[j]);
                }

                var indent = open.Groups["indent"].Value.Length;
                var text = string.Concat(body.Select(l => (l.Length - l.TrimStart(' ').Length >= indent ? l[indent..] : l.TrimStart(' ')) + "\n"));
                var marker = i > 0 && Comment().Match(lines[i - 1]) is { Success: true } comment ? comment.Groups["marker"].Value.Trim() : null;
                yield return new DocBlock(path, i + 1, marker, open.Groups["info"].Value.Trim(), text);
                i = j;
            }
        }
    }

    /// <summary>Every <c>README:begin</c> region of the tests' sources, by name, without its indent: the code a page's C# block must copy.</summary>
    public static IReadOnlyDictionary<string, string> Regions()
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root(), "tests"), "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].TrimStart().StartsWith("// README:begin ", StringComparison.Ordinal))
                {
                    continue;
                }

                var name = lines[i].TrimStart()["// README:begin ".Length..];
                var body = lines.Skip(i + 1).TakeWhile(l => l.Trim() != "// README:end " + name).ToArray();
                var indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
                regions.Add(name, string.Join('\n', body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())));
            }
        }

        return regions;
    }

    /// <summary>A scratch folder holding the files the pages' commands name, at their repository paths.</summary>
    public static string CopyOfExamples()
    {
        var root = Repository.Root();
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

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*<!-- (?<marker>.*?) -->\s*$")]
    private static partial Regex Comment();
}
/// <summary>A fenced code block of a docs page.</summary>
/// <param name="Page">The page, relative to the repository.</param>
/// <param name="Line">The line of its opening fence.</param>
/// <param name="Marker">The text of the HTML comment on the line before it, if any.</param>
/// <param name="Language">Its info string (the language tag and anything after it).</param>
/// <param name="Body">Its text, ending in a line end.</param>
public sealed record DocBlock(string Page, int Line, string? Marker, string Language, string Body)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Page}({Line}) ```{Language}";
}
