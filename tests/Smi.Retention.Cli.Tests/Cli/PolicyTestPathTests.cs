namespace Smi.Retention.Tests.Cli;

/// <summary>
/// Where a tests file's <c>Policy</c> may point: a built-in, or a file under the working folder (a
/// repository's root in CI), never a file outside it, so a tests file in a pull request cannot make
/// CI read <c>/etc/passwd</c> or the process's environment and print it in problems. These tests set
/// the working folder, so they run alone.
/// </summary>
[Collection(WorkingDirectoryTests.Name)]
public sealed class PolicyTestPathTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void RelativePolicyPath_UnderTheWorkingFolder_ResolvedBesideTheTestsFile()
    {
        Directory.CreateDirectory(_cli.PathOf("repo/policies"));
        Directory.CreateDirectory(_cli.PathOf("repo/tests"));
        _cli.Write("repo/policies/my-policy.json", PolicyCatalog.BuiltInText("dcc-cr1022"));
        _cli.Write("repo/tests/my.tests.json", """
            { "Policy": "../policies/my-policy.json", "Cases": [
              { "Name": "hub kept", "Type": "CHF", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Retain", "Rule": "exclude-communications-hubs" } } ] }
            """);

        var (exit, output, error) = _cli.RunIn(_cli.PathOf("repo"), "test", "tests/my.tests.json");

        Assert.Equal((0, ""), (exit, error));
        Assert.Contains("tests/my.tests.json: 1 of 1 passed (dcc-cr1022, sha256 ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("../../outside.json")]
    [InlineData("../../../../../../../../etc/passwd")]
    public void PolicyOutsideTheWorkingFolder_RefusedWithoutReadingIt(string policy)
    {
        Directory.CreateDirectory(_cli.PathOf("repo/tests"));
        _cli.Write("outside.json", """{ "WorkflowName": "SECRET-NAME", "password": "hunter2", "Rules": [] }""");
        _cli.Write("repo/tests/my.tests.json", $$"""
            { "Policy": "{{policy}}", "Cases": [
              { "Name": "a", "Type": "CHF", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Retain" } } ] }
            """);

        var (exit, output, error) = _cli.RunIn(_cli.PathOf("repo"), "test", "tests/my.tests.json");

        Assert.Equal((2, ""), (exit, output));
        Assert.Contains("is not a built-in", error, StringComparison.Ordinal);
        Assert.Contains("not a file under the working folder", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.DoesNotContain("password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyThroughALinkOutOfTheFolder_Refused()
    {
        Directory.CreateDirectory(_cli.PathOf("repo/tests"));
        _cli.Write("outside.json", PolicyCatalog.BuiltInText("secmp0060"));
        File.CreateSymbolicLink(_cli.PathOf("repo/tests/linked.json"), _cli.PathOf("outside.json"));
        _cli.Write("repo/tests/my.tests.json", """
            { "Policy": "linked.json", "Cases": [
              { "Name": "a", "Type": "CHF", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Retain" } } ] }
            """);

        var (exit, _, error) = _cli.RunIn(_cli.PathOf("repo"), "test", "tests/my.tests.json");

        Assert.Equal(2, exit);
        Assert.Contains("link", error, StringComparison.Ordinal);
    }
}
