namespace Smi.Retention.Tests.Cli;

/// <summary>
/// <c>test</c> in CI: folders and globs find the tests files, <c>--junit</c> creates its folder,
/// a tests file run from a sibling folder finds its policy beside it, and a case expecting a rule the
/// policy does not have is a problem when the file is loaded, not a failure at run time. These tests
/// set the working folder, so they run alone.
/// </summary>
[Collection(WorkingDirectoryTests.Name)]
public sealed class PolicyTestDiscoveryTests : IDisposable
{
    private const string Case = """{ "Name": "hub kept", "Type": "CHF", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Retain", "Rule": "RULE" } }""";
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private void Suite(string path, string policy = "dcc-cr1022", string rule = "exclude-communications-hubs") =>
        _cli.Write(path, $$"""{ "Policy": "{{policy}}", "Cases": [ {{Case.Replace("RULE", rule, StringComparison.Ordinal)}} ] }""");

    [Theory]
    [InlineData("tests")]
    [InlineData("tests/*.tests.json")]
    [InlineData("tests/**/*.tests.json")]
    public void FolderOrGlob_EveryTestsFileFoundAndRun(string argument)
    {
        Directory.CreateDirectory(_cli.PathOf("repo/tests/deeper"));
        Suite("repo/tests/a.tests.json");
        Suite("repo/tests/b.tests.json");
        Suite("repo/tests/deeper/c.tests.json");
        _cli.Write("repo/tests/notes.json", "not a tests file");

        var (exit, output, error) = _cli.RunIn(_cli.PathOf("repo"), "test", argument);

        Assert.True(exit == 0, error);
        var expected = argument == "tests/*.tests.json" ? 2 : 3;
        Assert.Contains($"{expected} passed, 0 failed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("notes.json", output, StringComparison.Ordinal);
    }

    [Fact]
    public void GlobMatchingNothing_ExitTwoSayingSo()
    {
        Directory.CreateDirectory(_cli.PathOf("repo/tests"));

        var (exit, _, error) = _cli.RunIn(_cli.PathOf("repo"), "test", "tests/*.tests.json");

        Assert.Equal(2, exit);
        Assert.Contains("No tests file matches tests/*.tests.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void JUnitIntoAFolderNotYetMade_FolderCreatedAndReportWritten()
    {
        Directory.CreateDirectory(_cli.PathOf("repo"));
        Suite("repo/my.tests.json");

        var (exit, _, error) = _cli.RunIn(_cli.PathOf("repo"), "test", "my.tests.json", "--junit", "test-results/junit/smi.xml");

        Assert.True(exit == 0, error);
        Assert.Contains("<testsuites", File.ReadAllText(_cli.PathOf("repo/test-results/junit/smi.xml")), StringComparison.Ordinal);
    }

    [Fact]
    public void TestsFileRunFromASiblingFolder_ItsPolicyFoundBesideIt()
    {
        Directory.CreateDirectory(_cli.PathOf("a"));
        Directory.CreateDirectory(_cli.PathOf("b"));
        _cli.Write("b/mine.json", PolicyCatalog.BuiltInText("dcc-cr1022"));
        Suite("b/mine.tests.json", policy: "mine.json");

        var (exit, output, error) = _cli.RunIn(_cli.PathOf("a"), "test", "../b/mine.tests.json");

        Assert.True(exit == 0, error);
        Assert.Contains("1 of 1 passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CaseExpectingARuleThePolicyLacks_AProblemAtLoadNamingItsPlace()
    {
        Directory.CreateDirectory(_cli.PathOf("repo"));
        Suite("repo/my.tests.json", rule: "exclude-communication-hubs");

        var (exit, output, error) = _cli.RunIn(_cli.PathOf("repo"), "test", "my.tests.json");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("my.tests.json(1,", error, StringComparison.Ordinal);
        Assert.Contains("case 'hub kept' expects rule 'exclude-communication-hubs', which dcc-cr1022 has in none of its versions; did you mean 'exclude-communications-hubs'?", error, StringComparison.Ordinal);
    }
}
