using System.Xml.Linq;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// <c>smi-retention test</c>: the built-ins' shipped cases pass, a policy that differs by one month
/// fails them with the explanation of each failing decision, and the JUnit XML says the same.
/// </summary>
public sealed class PolicyTestCommandTests : IDisposable
{
    private static readonly string TestsFolder = Path.Combine(Repository.Root(), "src", "Smi.Retention", "Policies", "BuiltIn", "tests");
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static string[] ShippedTests => Directory.GetFiles(TestsFolder, "*.tests.json").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void ShippedTests_EveryBuiltInHasCasesAndTheyAllPass()
    {
        Assert.Equal(
            PolicyCatalog.BuiltInNames.Order(StringComparer.Ordinal),
            ShippedTests.Select(f => PolicyTestSuite.Load(f).Policy).Order(StringComparer.Ordinal));

        var (exit, output, error) = _cli.Run(["test", .. ShippedTests]);

        var cases = ShippedTests.Sum(f => PolicyTestSuite.Load(f).Cases.Count);
        Assert.Equal((0, ""), (exit, error));
        Assert.EndsWith($"{cases} passed, 0 failed\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }

    // One month more in a built-in's period: its shipped cases catch it, each failure with its explanation.
    [Fact]
    public void ShippedTests_APeriodOneMonthLonger_FailsACaseWithItsExplanation()
    {
        var policy = _cli.Write("secmp0060-37.json", PolicyCatalog.BuiltInText("secmp0060").Replace("P36M", "P37M", StringComparison.Ordinal));
        var junit = _cli.PathOf("results.xml");

        var (exit, output, _) = _cli.Run("test", Path.Combine(TestsFolder, "secmp0060.tests.json"), "--policy", policy, "--junit", junit);

        Assert.Equal(1, exit);
        Assert.Contains(
            "secmp0060.tests.json(30,5): FAIL month end: 2020-02-29 + 36 months is 2023-02-28: expected Remove, but the policy decides Retain; expected rule 'pending-36-months', but none decides; expected due date 2023-02-28, but it is 2023-03-29\n",
            output,
            StringComparison.Ordinal);
        Assert.Contains("\n           - pending for P37M: no (2020-02-29 + 37 months = 2023-03-29;", output, StringComparison.Ordinal);
        Assert.EndsWith("0 passed, 4 failed\n", output, StringComparison.Ordinal);

        var xml = XDocument.Load(junit);
        Assert.Equal(("4", "4"), (xml.Root!.Attribute("tests")!.Value, xml.Root.Attribute("failures")!.Value));
        var failure = xml.Descendants("testcase").Single(t => t.Attribute("name")!.Value == "month end: 2020-02-29 + 36 months is 2023-02-28").Element("failure")!;
        Assert.StartsWith("expected Remove, but the policy decides Retain;", failure.Attribute("message")!.Value, StringComparison.Ordinal);
        Assert.Contains("Decision: Retain", failure.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void JUnit_AllPassing_OneTestCasePerCaseAndNoFailure()
    {
        var junit = _cli.PathOf("ok.xml");

        Assert.Equal(0, _cli.Run(["test", .. ShippedTests, "--junit", junit]).Exit);

        var xml = XDocument.Load(junit);
        Assert.Equal(ShippedTests.Length, xml.Descendants("testsuite").Count());
        Assert.Equal(ShippedTests.Sum(f => PolicyTestSuite.Load(f).Cases.Count), xml.Descendants("testcase").Count());
        Assert.Empty(xml.Descendants("failure"));
    }

    [Fact]
    public void JsonWithJUnitOnStandardOutput_RefusedBeforeAnyWork()
    {
        var (exit, output, error) = _cli.Run(["test", .. ShippedTests, "--format", "json", "--junit", "-"]);

        Assert.Equal(2, exit);
        Assert.Equal(("error", "SMI2002"), (System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("kind").GetString(), System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("code").GetString()));
        Assert.StartsWith("--format json writes its document to standard output", error, StringComparison.Ordinal);
    }

    // The report written over the tests file itself: refused, in words that say which file it is.
    [Fact]
    public void JUnitIsTheTestsFile_RefusedNamingIt()
    {
        var tests = _cli.Write("mine.tests.json", File.ReadAllText(Path.Combine(TestsFolder, "secmp0060.tests.json")));
        var before = File.ReadAllText(tests);

        var (exit, _, error) = _cli.Run("test", tests, "--junit", tests);

        Assert.Equal(2, exit);
        Assert.StartsWith($"--junit {tests} is the same file as the tests file {tests}; writing it would destroy that file.", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(tests));
    }

    // Names XML cannot hold (a control character in a file name) are escaped as the tool escapes them elsewhere.
    [Fact]
    public void JUnit_FileNameWithControlCharacters_EscapedAndWellFormed()
    {
        var tests = _cli.Write("ctl\u0001\u202e.tests.json", File.ReadAllText(Path.Combine(TestsFolder, "secmp0060.tests.json")));
        var junit = _cli.PathOf("out.xml");

        var (exit, _, error) = _cli.Run("test", tests, "--junit", junit);

        Assert.Equal((0, ""), (exit, error));
        var name = XDocument.Load(junit).Descendants("testsuite").Single().Attribute("name")!.Value;
        Assert.EndsWith("ctl\\u{0001}\\u{202E}.tests.json", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--junt", "'--junt' is not an option of test; did you mean '--junit'? Its options are --policy, --junit and --format; every other argument is a tests file, and one whose name starts with '-' is given as ./--junt or after '--'.")]
    [InlineData("--bogus", "'--bogus' is not an option of test. Its options are")] // the fifth review's: "...of test? Its options..."
    [InlineData("", "A tests file's path is empty;")]
    public void MisspeltOptionOrEmptyPath_SaysWhatToFix(string argument, string expected)
    {
        var (exit, output, error) = _cli.Run("test", argument, "out.xml");

        Assert.Equal((2, ""), (exit, output));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    // The fifth review's case: after '--' a tests file named like an option was refused as a
    // misspelt option, suggesting itself ("did you mean '--junit'?"). Words after '--' are files.
    [Fact]
    public void TestsFileNamedLikeAnOption_AfterTwoDashes_Run()
    {
        _cli.Write("--junit", """{ "Policy": "secmp0060", "Cases": [ { "Name": "c", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Remove" } } ] }""");

        var (exit, output, error) = _cli.RunIn(_cli.Folder, "test", "--", "--junit");

        Assert.True(exit == 0, error);
        Assert.Contains("--junit: 1 of 1 passed", output, StringComparison.Ordinal);
        Assert.Equal(2, _cli.RunIn(_cli.Folder, "test", "--junit").Exit); // without '--', the option without its value
    }

    [Fact]
    public void ExpectedAlertThatIsNoAlertCode_RefusedWhenTheFileIsRead()
    {
        var tests = _cli.Write("alert.tests.json", """
            { "Policy": "secmp0060", "Cases": [
              { "Name": "a", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Remove", "Alert": "x\u0001\u202ey" } } ] }
            """);

        var (exit, output, error) = _cli.Run("test", tests);

        Assert.Equal((2, ""), (exit, output));
        Assert.Contains("\"Alert\" 'x\\u{0001}\\u{202E}y' is not an alert code", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.tests.json", null, "does not exist")]
    [InlineData("folder", null, "")]
    [InlineData("bad.tests.json", """{ "Policy": "secmp0060", "Cases": [ { "Name": "a", "Typ": "ESME" } ] }""", "\"Typ\" is not a known field; did you mean \"Type\"?")]
    [InlineData("bad.tests.json", """{ "Policy": "no-such-policy", "Cases": [ { "Name": "a", "Type": "ESME", "Status": "Pending", "Since": "2019-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Retain" } } ] }""", "no-such-policy")]
    [InlineData("bad.tests.json", "{ \"Policy\": ", "")]
    public void BadTestsFile_ExitTwoNothingWritten(string name, string? content, string says)
    {
        if (name == "folder")
        {
            Directory.CreateDirectory(_cli.PathOf(name));
        }
        else if (content is not null)
        {
            _cli.Write(name, content);
        }

        var junit = _cli.PathOf("results.xml");
        var (exit, output, error) = _cli.Run("test", _cli.PathOf(name), "--junit", junit);

        Assert.Equal((2, ""), (exit, output));
        Assert.Contains(says, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(junit));
        Assert.Empty(_cli.Leftovers());
    }
}
