using System.Xml.Linq;
using Smi.Retention.Tests.Policies;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// <c>smi-retention test</c>: the built-ins' shipped cases pass, a policy that differs by one month
/// fails them with the explanation of each failing decision, and the JUnit XML says the same.
/// </summary>
public sealed class PolicyTestCommandTests : IDisposable
{
    private static readonly string TestsFolder = Path.Combine(BuiltInPolicyTests.RepositoryRoot(), "src", "Smi.Retention", "Policies", "BuiltIn", "tests");
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
            "secmp0060.tests.json(31,5): FAIL month end: 2020-02-29 + 36 months is 2023-02-28: expected Remove, but the policy decides Retain; expected rule 'pending-36-months', but none decides; expected due date 2023-02-28, but it is 2023-03-29\n",
            output,
            StringComparison.Ordinal);
        Assert.Contains("\n           - status held for P37M: no (2020-02-29 + 37 months = 2023-03-29;", output, StringComparison.Ordinal);
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
    public void TestsFile_RelativePolicyPath_ResolvedBesideTheFile()
    {
        Directory.CreateDirectory(_cli.PathOf("repo/tests"));
        _cli.Write("repo/my-policy.json", PolicyCatalog.BuiltInText("dcc-cr1022"));
        var tests = _cli.Write("repo/tests/my.tests.json", """
            { "Policy": "../my-policy.json", "Cases": [
              { "Name": "hub kept", "Type": "CHF", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Retain", "Rule": "exclude-communications-hubs" } } ] }
            """);

        var (exit, output, _) = _cli.Run("test", tests);

        Assert.Equal(0, exit);
        Assert.Contains("my.tests.json: 1 of 1 passed (dcc-cr1022, sha256 ", output, StringComparison.Ordinal);
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
