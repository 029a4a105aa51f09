namespace Smi.Retention.Tests.Policies;

/// <summary>
/// The policies the compile benchmark measures (<see cref="SyntheticPolicies.Worst"/>) are valid and
/// at the limits: they load, compile and lint, and they use the budget they are meant to exhaust.
/// (Their cost is measured by WorstPolicyBenchmarks, never here.)
/// </summary>
public class WorstPolicyTests
{
    [Theory]
    [InlineData("many-rules")]
    [InlineData("expanding")]
    [InlineData("timeline")]
    [InlineData("details")]
    public void Worst_LoadsCompilesAndLints_AtTheLimits(string kind)
    {
        var timeline = Load(kind);
        var compiled = CompiledPolicy.Compile(timeline);
        Assert.NotNull(compiled.For(new NodaTime.LocalDate(2026, 12, 4)));
        Assert.NotNull(Smi.Retention.Impact.PolicyLint.Check(timeline));

        var tests = timeline.Versions.Sum(v => v.Policy.Rules.Sum(r => ConditionLogic.Size(r.Condition)));
        switch (kind)
        {
            case "many-rules":
                Assert.InRange(tests, PolicyLimits.MaxPolicyTests - 5, PolicyLimits.MaxPolicyTests);
                Assert.Equal(PolicyLimits.MaxPeriods, timeline.Versions[0].Policy.Periods.Count);
                Assert.True(compiled.Versions[0].Table.Classes > 500, $"{compiled.Versions[0].Table.Classes} history classes");
                break;
            case "expanding":
                Assert.InRange(ConditionLogic.Size(timeline.Versions[0].Policy.Rules[0].Condition), (PolicyLimits.MaxConditionSize / 2) - 16, PolicyLimits.MaxConditionSize); // one more comparison would double it past the limit
                break;
            case "details":
                Assert.InRange(tests, PolicyLimits.MaxPolicyTests - 7, PolicyLimits.MaxPolicyTests);
                Assert.Equal(PolicyLimits.MaxModels, compiled.Versions[0].Table.ModelSlots - 2);
                Assert.InRange(compiled.Versions[0].Table.Classes, PolicyLimits.MaxDeviceClasses / 2, PolicyLimits.MaxDeviceClasses);
                break;
            default:
                Assert.Equal(PolicyLimits.MaxVersions, timeline.Versions.Count);
                Assert.InRange(tests, PolicyLimits.MaxTimelineTests - (5 * PolicyLimits.MaxVersions), PolicyLimits.MaxTimelineTests);
                break;
        }
    }

    /// <summary>
    /// An evaluator is made for each as-of date (the test runner's cases, <c>explain</c>'s later
    /// dates, the workbench's requests): it costs its date's cutoffs, not a table the size of the
    /// policy. A review found 57 MB allocated a date for <c>details</c> (a test file of 100 cases
    /// took 10 GB), when the dated entries were made per evaluator; they are made once per compiled
    /// policy, and not at all for a table past <see cref="Smi.Retention.Evaluation.DatedEntry.MaxEntries"/>.
    /// </summary>
    [Theory]
    [InlineData("many-rules")]
    [InlineData("expanding")]
    [InlineData("timeline")]
    [InlineData("details")]
    [InlineData("secmp0060")]
    [InlineData("bryt-previously-commissioned")]
    public void AnEvaluatorPerDate_CostsItsCutoffs_NotATableThePolicysSize(string kind)
    {
        var compiled = CompiledPolicy.Compile(PolicyCatalog.BuiltInNames.Contains(kind) ? PolicyCatalog.LoadBuiltIn(kind) : Load(kind));
        Assert.NotNull(compiled.For(new NodaTime.LocalDate(2026, 12, 4))); // the first makes what is made once

        for (var day = 5; day < 8; day++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.NotNull(compiled.For(new NodaTime.LocalDate(2026, 12, day)));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64 * 1024, $"{kind}: {allocated:N0} bytes for an evaluator of one more date");
        }
    }

    /// <summary>One of <see cref="SyntheticPolicies.Worst"/>'s policies, loaded from its files.</summary>
    private static RetentionTimeline Load(string kind)
    {
        var folder = Directory.CreateTempSubdirectory("smi-worst-").FullName;
        try
        {
            var files = SyntheticPolicies.Worst(kind);
            foreach (var (name, json) in files)
            {
                File.WriteAllText(Path.Combine(folder, name), json);
            }

            return PolicyCatalog.Load(Path.Combine(folder, files[0].Name));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TooManyModelsOrClasses_RefusedBeforeTheTableIsMade()
    {
        var models = string.Join(", ", Enumerable.Range(0, PolicyLimits.MaxModels + 1).Select(i => $"\"M{i}\""));
        var tooMany = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(PolicyJson.OneRule($"device.Model in ({models}) && device.PendingFor(\"P12M\")"), "models.json"));
        Assert.Contains("at most 32 are supported", Assert.Single(tooMany.Problems).Message, StringComparison.Ordinal);

        // Many history classes, times 3 for the generation, times 32 for 30 models: over the limit.
        var classes = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(PolicyJson.OneRule($"(device.HeldBefore(\"Pending\") ? device.Generation == \"SMETS2\" : device.HeldBefore(\"Withdrawn\")) && device.HeldBefore(\"Commissioned\") != device.HeldBefore(\"Recovery\") && device.HeldBefore(\"Suspended\") != device.HeldBefore(\"Whitelisted\") && device.HeldBefore(\"Decommissioned\") != device.HeldBefore(\"Recovered\") && device.HeldBefore(\"InstalledNotCommissioned\") != device.HeldBefore(\"NotApplicable\") && device.Model in ({string.Join(", ", Enumerable.Range(0, 30).Select(i => $"\"M{i}\""))})"), "classes.json"));
        Assert.Contains("classes of devices", Assert.Single(classes.Problems).Message, StringComparison.Ordinal);
    }
}
