using System.Reflection;

namespace Smi.Retention.Tests;

/// <summary>
/// Every code block of the README and of every docs page runs, or is checked, here: a C# block is a
/// copy of a <c>README:begin</c> region of a test that runs it; each tool command in a shell block
/// runs (in a scratch copy of the files it names) and exits 0; a text block that starts with
/// <c>$ smi-retention ...</c> is exactly what that command prints; anything else says how it is
/// held: <c>docs:excerpt &lt;file&gt;</c> (a part of that file), <c>docs:checked-by &lt;Class.Method&gt;</c>
/// (a test that checks it), or <c>docs:not-run &lt;why&gt;</c>. A new block with none of these fails.
/// </summary>
[Collection(WorkingDirectoryTests.Name)]
public class DocsBlocksTests
{
    private const string RunFromSource = "dotnet run --project src/Smi.Retention.Cli -- ";

    public static TheoryData<string> Blocks() => [.. DocPages.Blocks().Select(b => $"{b.Page}:{b.Line}")];

    [Theory]
    [MemberData(nameof(Blocks))]
    public void EveryCodeBlock_RunsOrIsChecked(string where)
    {
        var block = DocPages.Blocks().Single(b => $"{b.Page}:{b.Line}" == where);
        switch (block.Marker?.Split(' ', 2) ?? [""])
        {
            case ["docs:not-run", var why]:
                Assert.True(why.Trim().Length > 5, $"{block}: say why it is not run");
                return;
            case ["docs:excerpt", var file]:
                Assert.True(block.Body.Trim().Length > 0, $"{block}: an empty block is a part of any file");
                var whole = File.ReadAllText(Path.Combine(Repository.Root(), file.Trim())).Replace("\r\n", "\n", StringComparison.Ordinal);
                // A part of the file as it stands there, at whatever indent it has in the file.
                var part = Enumerable.Range(0, 16).Select(n => string.Concat(block.Body.TrimEnd('\n').Split('\n').Select((l, i) => (i > 0 ? "\n" : "") + (l.Length > 0 ? new string(' ', n) + l : l))));
                Assert.True(part.Any(p => whole.Contains(p, StringComparison.Ordinal)), $"{block} is not a part of {file}");
                return;
            case ["docs:checked-by", var test]:
                // The test must exist and find this block by this very marker, so it reads what is shown.
                Assert.True(IsATest(test.Trim()), $"{block}: {test} is not a test of this project");
                Assert.True(TestSourceNames(block.Marker!), $"{block}: no test source looks the block up by '{block.Marker}'");
                return;
        }

        switch (block.Language.Split(' ')[0])
        {
            case "csharp":
                Assert.True(DocPages.Regions().Values.Contains(block.Body.TrimEnd('\n')), $"{block} is not a copy of any README:begin region of the tests, so nothing runs it");
                break;
            case "sh":
                RunsAndExitsZero(block);
                break;
            case "text" when block.Body.StartsWith("$ smi-retention ", StringComparison.Ordinal):
                var command = block.Body[..block.Body.IndexOf('\n', StringComparison.Ordinal)];
                var (exit, output, error) = InACopy(command["$ smi-retention ".Length..]);
                Assert.True(exit is 0 or 1, $"{block}: {command} exited {exit}\n{error}");
                Assert.Equal(block.Body[(command.Length + 1)..], output);
                break;
            default:
                Assert.Fail($"{block} is neither run nor checked: mark it docs:excerpt, docs:checked-by or docs:not-run, or start a text block with the command that prints it");
                break;
        }
    }

    [Fact]
    public void Blocks_AreFoundWhateverTheirFence()
    {
        var blocks = DocPages.Blocks().ToList();
        Assert.Contains(blocks, b => b.Page == "benchmarks/README.md" && b.Language == "sh");
        Assert.Contains(blocks, b => b.Page == "README.md" && b.Language == "sh");
        Assert.Contains(blocks, b => b.Page == "docs/hosting.md" && b.Language == "csharp");
        Assert.Contains(blocks, b => b.Page == "docs/tool.md" && b.Body.StartsWith("$ smi-retention forecast", StringComparison.Ordinal));
        Assert.True(blocks.Count >= 20, $"only {blocks.Count} blocks found");

        // Every fence CommonMark knows is found, with its marker and body: none can hide a block.
        var page = "<!-- docs:not-run a -->\n~~~bash\nx\n~~~\n\n````sh title=\"y\"\nsmi-retention policies\n```\nstill inside\n````\n\n- a list item:\n\n  ```C#\n  var z = 1;\n  ```\n";
        var found = DocPages.Parse("page.md", page).ToList();
        Assert.Equal(3, found.Count);
        Assert.Equal(("docs:not-run a", "bash", "x\n"), (found[0].Marker, found[0].Language, found[0].Body));
        Assert.Equal(("sh title=\"y\"", "smi-retention policies\n```\nstill inside\n"), (found[1].Language, found[1].Body));
        Assert.Equal(("C#", "var z = 1;\n"), (found[2].Language, found[2].Body));
    }

    private static void RunsAndExitsZero(DocBlock block)
    {
        foreach (var line in block.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line == "dotnet test -c Release" && block.Page == "README.md")
            {
                continue; // .ci/run runs it (ReadmeTests.Readme_StartsWithTheTwoCommandsCiRuns)
            }

            var args = line.StartsWith("smi-retention ", StringComparison.Ordinal) ? line["smi-retention ".Length..]
                : line.StartsWith(RunFromSource, StringComparison.Ordinal) ? line[RunFromSource.Length..]
                : null;
            Assert.True(args is not null, $"{block}: '{line}' is not a command the tests can run; mark the block docs:not-run and say why");
            var (exit, output, error) = InACopy(args!);
            Assert.True(exit == 0, $"{block}: {line}: exit {exit}\n{output}{error}");
        }
    }

    private static (int Exit, string Output, string Error) InACopy(string args)
    {
        var folder = DocPages.CopyOfExamples();
        try
        {
            return DocPages.RunIn(folder, args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool TestSourceNames(string marker) =>
        Directory.GetFiles(Path.Combine(Repository.Root(), "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(nameof(DocsBlocksTests) + ".cs", StringComparison.Ordinal))
            .Any(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal));

    private static bool IsATest(string name) =>
        name.Split('.') is [var type, var method]
        && typeof(DocsBlocksTests).Assembly.GetTypes().FirstOrDefault(t => t.Name == type)?.GetMethod(method) is { } found
        && found.GetCustomAttributes<FactAttribute>().Any();
}
