namespace Smi.Retention.Tests.Policies;

/// <summary>
/// Each bad policy in Golden/InvalidPolicies is rejected at load with every problem listed, each
/// with its location and a hint, exactly as in the .txt file beside it.
/// </summary>
public class InvalidPolicyTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Golden.Folder("InvalidPolicies"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BadPolicy_RejectedWithEveryProblemExactly(string name)
    {
        var folder = Golden.Folder("InvalidPolicies");
        var json = File.ReadAllText(Path.Combine(folder, name + ".json"));

        var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, name + ".json"));

        Assert.NotEmpty(error.Problems);
        Assert.All(error.Problems, p => Assert.True(p.Line > 0 && p.Column > 0, $"{p} has no location"));
        Golden.AssertMatches(Path.Combine(folder, name + ".txt"), error.Message + "\n");
    }

    [Fact]
    public void Cases_CoverEveryKindOfProblemTheIssueNames() =>
        Assert.Superset(
            new HashSet<string>
            {
                "malformed-json", "misspelt-field", "duplicate-rule-names", "unknown-action", "expression-does-not-parse",
                "unknown-member", "wrong-type", "invalid-periods", "unreachable-rule", "empty-policy", "reflection",
                "wall-clock", "unbounded-computation", "many-problems",
            },
            Directory.GetFiles(Golden.Folder("InvalidPolicies"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f) ?? "").ToHashSet());

    [Fact]
    public void Load_UnknownName_SaysWhatIsBuiltInAndTheNearest() =>
        Assert.Equal(
            "'secmp0061' is neither a built-in policy (sec-ac72-v6.3, secmp0060, dcc-cr1022, bryt-previously-commissioned, sec-timeline) nor an existing file; did you mean 'secmp0060'? Give a built-in name or the path of a policy JSON file.",
            Assert.Throws<FileNotFoundException>(() => PolicyCatalog.Load("secmp0061")).Message);

    [Theory]
    [InlineData("secmp0060.json", "secmp0060")]
    [InlineData("sec-ac72", "sec-ac72-v6.3")]
    [InlineData("SEC-TIMELIN", "sec-timeline")]
    public void Load_ABuiltInNameTypedAsAFileOrCutShort_TheBuiltInSuggested(string typed, string meant) =>
        Assert.Contains(
            $"did you mean '{meant}'?",
            Assert.Throws<FileNotFoundException>(() => PolicyCatalog.Load(typed)).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Load_UnknownNameFarFromAny_NoSuggestion() =>
        Assert.EndsWith(
            "nor an existing file; give a built-in name or the path of a policy JSON file.",
            Assert.Throws<FileNotFoundException>(() => PolicyCatalog.Load("my-policy")).Message,
            StringComparison.Ordinal);

    // A timeline's version naming the built-in timeline was told that 'sec-timeline' is no built-in.
    [Theory]
    [InlineData(false, "sec-timeline")]
    [InlineData(true, "sec-timeline")]
    [InlineData(false, "SEC-TIMELINE")]
    public void Timeline_AVersionNamingABuiltInTimeline_ToldAVersionIsOnePolicy(bool fromAFile, string named)
    {
        var json = $$"""{ "TimelineName": "t", "Versions": [ { "Policy": "{{named}}" } ] }""";
        var folder = Directory.CreateTempSubdirectory("smi-policy-");
        try
        {
            var path = Path.Combine(folder.FullName, "timeline.json");
            File.WriteAllText(path, json);
            var error = Assert.Throws<PolicyValidationException>(() => fromAFile ? PolicyCatalog.Load(path) : PolicyCatalog.Parse(json, "timeline.json"));

            var problem = Assert.Single(error.Problems);
            Assert.Equal(
                "'sec-timeline' is a built-in timeline, and a timeline's version is one policy: name a built-in policy (sec-ac72-v6.3, secmp0060, dcc-cr1022, bryt-previously-commissioned) or a policy file in each version, with its EffectiveFrom date ('smi-retention policies' shows what 'sec-timeline' is made of).",
                problem.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadFile_TimelineWithRelativePolicy_ResolvesBesideIt()
    {
        var folder = Directory.CreateTempSubdirectory("smi-policy-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "mine.json"), PolicyCatalog.BuiltInText("secmp0060").Replace("\"secmp0060\"", "\"mine\"", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(folder.FullName, "timeline.json"), """
                { "TimelineName": "t", "Versions": [ { "Policy": "sec-ac72-v6.3" }, { "Policy": "mine.json", "EffectiveFrom": "2020-01-01" } ] }
                """);

            var timeline = PolicyCatalog.Load(Path.Combine(folder.FullName, "timeline.json"));

            Assert.Equal(["sec-ac72-v6.3", "mine"], timeline.Versions.Select(v => v.Policy.Name));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
