
namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// Policy and timeline files that are not what they seem: pipes that would hang the load, devices
/// that never end, directories, huge files, and timelines that reach out of their folder by
/// <c>..</c>, absolute paths or symbolic links. Each is refused with a message, without hanging.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class HostilePolicyFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("smi-hostile-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_folder.FullName, name);

    /// <summary>Runs a load that must finish (a FIFO opened for reading would wait for a writer forever).</summary>
    private static Exception? Within10Seconds(Action load)
    {
        var task = Task.Run(load);
        Assert.True(Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))).GetAwaiter().GetResult() == task, "the load hung");
        return task.Exception?.InnerException;
    }

    private string Timeline(string reference)
    {
        var path = PathOf("timeline.json");
        File.WriteAllText(path, $$"""{ "TimelineName": "t", "Versions": [ { "Policy": "sec-ac72-v6.3" }, { "Policy": {{System.Text.Json.JsonSerializer.Serialize(reference)}}, "EffectiveFrom": "2020-01-01" } ] }""");
        return path;
    }

    private PolicyProblem TimelineProblem(string reference)
    {
        var path = Timeline(reference);
        var error = Within10Seconds(() => PolicyCatalog.Load(path));
        var problem = Assert.Single(Assert.IsType<PolicyValidationException>(error).Problems);
        var text = File.ReadAllText(path);
        Assert.Equal((1, text.LastIndexOf("\"Policy\": ", StringComparison.Ordinal) + 11), (problem.Line, problem.Column)); // at the reference
        return problem;
    }

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("sub/../../outside.json")]
    [InlineData("/etc/shadow")]
    [InlineData("/dev/zero")]
    [InlineData("~/policy.json")]
    [InlineData("C:/policy.json")]
    public void Load_TimelineReferenceOutsideItsFolder_Refused(string reference)
    {
        File.WriteAllText(Path.Combine(_folder.Parent!.FullName, "outside.json"), PolicyCatalog.BuiltInText("secmp0060"));
        var problem = TimelineProblem(reference);
        Assert.Equal(
            $"'{reference}' is neither a built-in policy nor a path inside the timeline's folder; a timeline may refer only to built-in policies and to files in its own folder or below, by relative path without '..'.",
            problem.Message);
    }

    [Theory]
    [InlineData("/etc/hostname")]
    [InlineData("/dev/zero")]
    [InlineData("../smi-elsewhere.json")]
    public void Load_TimelineReferenceThroughASymbolicLink_Refused(string target)
    {
        File.CreateSymbolicLink(PathOf("linked.json"), target);
        var problem = TimelineProblem("linked.json");
        Assert.Equal("'linked.json' passes through the symbolic link 'linked.json'; a timeline may refer only to real files in its own folder or below. Refer to the file itself.", problem.Message);
    }

    [Fact]
    public void Load_TimelineReferenceThroughALinkedFolder_Refused()
    {
        Directory.CreateSymbolicLink(PathOf("etc"), "/etc");
        var problem = TimelineProblem("etc/hostname");
        Assert.Contains("passes through the symbolic link 'etc'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TimelineReferenceToAFifo_RefusedWithoutWaiting()
    {
        Fifo.Make(PathOf("pipe.json"));
        Assert.Equal($"{PathOf("pipe.json")} is a named pipe (FIFO), not a regular file; give the path of the JSON file itself (a policy, timeline or tests file).", TimelineProblem("pipe.json").Message);
    }

    [Fact]
    public void Load_TimelineReferenceToAFolder_Refused()
    {
        Directory.CreateDirectory(PathOf("sub"));
        Assert.Equal($"{PathOf("sub")} is a directory, not a regular file; give the path of the JSON file itself (a policy, timeline or tests file).", TimelineProblem("sub").Message);
    }

    [Fact]
    public void Load_TimelineReferenceInASubfolder_Accepted()
    {
        Directory.CreateDirectory(PathOf("versions"));
        File.WriteAllText(PathOf("versions/mine.json"), PolicyCatalog.BuiltInText("secmp0060"));
        var timeline = PolicyCatalog.Load(Timeline("versions/mine.json"));
        Assert.Equal(["sec-ac72-v6.3", "secmp0060"], timeline.Versions.Select(v => v.Policy.Name));
    }

    // A version's problems were named by the timeline's folder as given joined to the reference as
    // written: ./t.json's ./v.json was "././v.json". Its "." segments are left out (but a leading
    // one, as the timeline was given), a ".." kept.
    [Theory]
    [InlineData("./v.json", "./t.json", "v.json")]
    [InlineData("v.json", "t.json", "v.json")]
    [InlineData("./sub/./v.json", "t.json", "sub/v.json")]
    [InlineData("sub/v.json", "in/../t.json", "in/../sub/v.json")]
    public void Load_TimelineVersionsProblem_NamedWithoutItsDotSegments(string reference, string timeline, string shown)
    {
        Directory.CreateDirectory(PathOf("sub"));
        Directory.CreateDirectory(PathOf("in"));
        File.WriteAllText(PathOf(reference), "[]");
        File.Move(Timeline(reference), PathOf("t.json"));

        Assert.Equal(PathOf(shown), Problem(PathOf(timeline)).Source);
        var relative = "./" + Path.GetRelativePath(Directory.GetCurrentDirectory(), _folder.FullName);
        Assert.Equal(Path.Combine(relative, shown), Problem(Path.Combine(relative, timeline)).Source); // "./" as given, once

        static PolicyProblem Problem(string path) =>
            Assert.Single(Assert.IsType<PolicyValidationException>(Within10Seconds(() => PolicyCatalog.Load(path))).Problems);
    }

    [Fact]
    public void Load_TimelineReferenceToAHugeFile_RefusedWithoutReadingIt()
    {
        using (var file = File.Create(PathOf("huge.json")))
        {
            file.SetLength(10L << 30); // 10 GiB, sparse
        }

        Assert.Equal($"{PathOf("huge.json")} is 10,737,418,240 bytes; a policy or timeline file is at most 1,048,576 bytes (1 MiB). Split it, or check it is the policy you meant.", TimelineProblem("huge.json").Message);
    }

    [Fact]
    public void Load_Fifo_RefusedWithoutWaiting()
    {
        Fifo.Make(PathOf("pipe.json"));
        var error = Within10Seconds(() => PolicyCatalog.Load(PathOf("pipe.json")));
        Assert.Equal($"{PathOf("pipe.json")} is a named pipe (FIFO), not a regular file; give the path of the JSON file itself (a policy, timeline or tests file).", Assert.IsAssignableFrom<IOException>(error).Message);
    }

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/dev/null", "a character device")]
    [InlineData("/tmp", "a directory")]
    public void Load_NotARegularFile_Refused(string path, string kind)
    {
        var error = Within10Seconds(() => PolicyCatalog.Load(path));
        Assert.Equal($"{path} is {kind}, not a regular file; give the path of the JSON file itself (a policy, timeline or tests file).", Assert.IsAssignableFrom<IOException>(error).Message);
    }

    [Fact]
    public void Load_LinkToAPolicy_Followed()
    {
        // The operator's own --policy argument may be a link (a deployment's 'current' link); only a timeline's references are confined.
        File.WriteAllText(PathOf("v1.json"), PolicyCatalog.BuiltInText("secmp0060"));
        File.CreateSymbolicLink(PathOf("current.json"), PathOf("v1.json"));
        Assert.Equal("secmp0060", PolicyCatalog.Load(PathOf("current.json")).Name);
    }

    [Fact]
    public void Load_FileOverTheLimit_Refused()
    {
        File.WriteAllText(PathOf("big.json"), PolicyCatalog.BuiltInText("secmp0060") + new string(' ', PolicyLimits.MaxFileBytes));
        var error = Assert.ThrowsAny<IOException>(() => PolicyCatalog.Load(PathOf("big.json")));
        Assert.StartsWith($"{PathOf("big.json")} is 1,04", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TimelineReferenceInvalid_ProblemNamesTheFileAsTheTimelineDoes()
    {
        Directory.CreateDirectory(PathOf("tl"));
        File.WriteAllText(PathOf("tl/v.json"), """{ "WorkflowName": "v", "Rules": [ { "RuleName": "r", "Expression": "device.PendingFor(\"P0M\")", "SuccessEvent": "Remove" } ] }""");
        File.WriteAllText(PathOf("tl/t.json"), """{ "TimelineName": "t", "Versions": [ { "Policy": "v.json" } ] }""");
        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Load(PathOf("tl/t.json")));
        Assert.Equal(Path.Combine(PathOf("tl"), "v.json"), Assert.Single(error.Problems).Source);
    }

    [Theory]
    [InlineData("v.json\u0000")]
    [InlineData("d/\u0000")]
    public void Load_TimelineReferenceWithANul_AProblemNotAnException(string reference)
    {
        File.WriteAllText(PathOf("v.json"), PolicyCatalog.BuiltInText("secmp0060"));
        var path = PathOf("t.json");
        File.WriteAllText(path, $$"""{ "TimelineName": "t", "Versions": [ { "Policy": {{System.Text.Json.JsonSerializer.Serialize(reference)}} } ] }""");
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Load(path)).Problems);
        Assert.StartsWith($"'{Untrusted.Show(reference)}' is neither a built-in policy", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PathWithANul_IOExceptionNotArgumentException()
    {
        File.WriteAllText(PathOf("v.json"), PolicyCatalog.BuiltInText("secmp0060"));
        var error = Assert.ThrowsAny<IOException>(() => PolicyCatalog.Load(PathOf("v.json") + "\0.bak"));
        Assert.Contains("holds a NUL character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PolicyWithAByteOrderMark_RefusedSayingSo()
    {
        // Strict JSON: Python's json refuses a byte-order mark, so the tool does too, at (1,1), saying how to save the file.
        File.WriteAllBytes(PathOf("bom.json"), [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(PolicyCatalog.BuiltInText("secmp0060"))]);
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Load(PathOf("bom.json"))).Problems);
        Assert.Equal((1, 1), (problem.Line, problem.Column));
        Assert.StartsWith("The file starts with a byte-order mark (EF BB BF)", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-12-30")]
    [InlineData("1899-12-31")]
    public void Load_TimelineVersionAtTheEdgeOfTime_Refused(string from)
    {
        var path = PathOf("t.json");
        File.WriteAllText(path, $$"""{ "TimelineName": "t", "Versions": [ { "Policy": "sec-ac72-v6.3" }, { "Policy": "secmp0060", "EffectiveFrom": "{{from}}" } ] }""");
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Load(path)).Problems);
        Assert.Equal($"EffectiveFrom '{from}' is outside 1900-01-01 to 2999-12-31; give the date the version comes into force.", problem.Message);
    }

    // A hostile review's fail-open: a timeline given through a link and '..' was read where the
    // kernel found it (the link's target's folder) but its policies were looked for where .NET's text
    // put them (the link's own folder): another policy decided, a built-in name's check was missed.
    [Fact]
    public void TimelineThroughALinkAndDotDot_ItsPoliciesBesideItAsTheKernelFoundIt()
    {
        Directory.CreateDirectory(PathOf("real/inner"));
        File.CreateSymbolicLink(PathOf("lk"), PathOf("real/inner"));
        File.WriteAllText(PathOf("real/p.json"), PolicyCatalog.BuiltInText("secmp0060"));
        File.WriteAllText(PathOf("p.json"), PolicyCatalog.BuiltInText("dcc-cr1022")); // where the text 'lk/../' leads
        File.WriteAllText(PathOf("real/t.json"), """{ "TimelineName": "t", "Versions": [ { "Policy": "p.json" } ] }""");

        var timeline = PolicyCatalog.Load(PathOf("lk/../t.json"));

        Assert.Equal("secmp0060", Assert.Single(timeline.Versions).Policy.Name);
        Assert.Equal(PathOf("real/p.json"), timeline.Files[1]);

        File.WriteAllText(PathOf("real/t2.json"), """{ "TimelineName": "t", "Versions": [ { "Policy": "secmp0060" } ] }""");
        File.WriteAllText(PathOf("real/secmp0060"), "{}");
        Assert.Contains("names both a built-in policy and the file", Assert.ThrowsAny<Exception>(() => PolicyCatalog.Load(PathOf("lk/../t2.json"))).Message, StringComparison.Ordinal);

        File.WriteAllText(PathOf("real/p.tests.json"), """{ "Policy": "p.json", "Cases": [ { "Name": "c", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Remove" } } ] }""");
        var suite = Smi.Retention.Authoring.PolicyTestSuite.Load(PathOf("lk/../p.tests.json"));
        Assert.Equal(PathOf("real/p.json"), suite.PolicyPath);
    }

    // A file named exactly as a built-in, where a path would be looked for: the built-in was loaded
    // and the file (the one being edited) silently ignored. Which is meant cannot be told: refused.
    [Fact]
    public void BuiltInNameThatAFileHasToo_RefusedWhereverItIsLookedUp()
    {
        File.WriteAllText(PathOf("secmp0060"), PolicyCatalog.BuiltInText("dcc-cr1022"));

        var fromTimeline = Within10Seconds(() => PolicyCatalog.Load(Timeline("secmp0060")));
        Assert.Contains($"'secmp0060' names both a built-in policy and the file {PathOf("secmp0060")}: which is meant cannot be told", fromTimeline!.Message, StringComparison.Ordinal);
        var shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), Timeline("secmp0060"));
        Assert.Contains($"the file {Path.Combine(Path.GetDirectoryName(shown)!, "secmp0060")}: which", Within10Seconds(() => PolicyCatalog.Load(shown))!.Message, StringComparison.Ordinal); // named as the timeline was given
        Assert.Equal("t", PolicyCatalog.Load(Timeline("./secmp0060")).Name); // the file, by its path

        File.WriteAllText(PathOf("policy.tests.json"), """{ "Policy": "secmp0060", "Cases": [ { "Name": "c", "Type": "ESME", "Status": "Pending", "Since": "2015-01-01", "AsOf": "2019-11-07", "Expect": { "Action": "Remove" } } ] }""");
        var fromTests = Assert.Throws<PolicyValidationException>(() => Smi.Retention.Authoring.PolicyTestSuite.Load(PathOf("policy.tests.json")));
        Assert.Contains("'secmp0060' names both a built-in policy and the file", Assert.Single(fromTests.Problems).Message, StringComparison.Ordinal);

        File.Delete(PathOf("secmp0060"));
        Assert.Equal("secmp0060", Smi.Retention.Authoring.PolicyTestSuite.Load(PathOf("policy.tests.json")).Policy);

        // A folder, a pipe or a dangling link of that name can be no policy file: the built-in (the review's case).
        Directory.CreateDirectory(PathOf("secmp0060"));
        Fifo.Make(PathOf("dcc-cr1022"));
        File.CreateSymbolicLink(PathOf("sec-ac72-v6.3"), PathOf("nowhere.json"));
        Assert.Equal("t", PolicyCatalog.Load(Timeline("secmp0060")).Name);
        Assert.Equal("t", PolicyCatalog.Load(Timeline("dcc-cr1022")).Name);
        Assert.Equal("t", PolicyCatalog.Load(Timeline("sec-ac72-v6.3")).Name);
    }
}
