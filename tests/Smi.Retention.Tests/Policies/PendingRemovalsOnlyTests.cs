using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Policies;

/// <summary>
/// Law 10 for every policy, not only the built-in ones: AC 7.2 removes pending devices alone, so a
/// policy with a Remove rule that removes a device of any other status (a meter in service, a
/// Type 2 device, whose status is never Pending) is refused as it loads, with the rule, its place
/// and a fix; a policy that loads removes pending devices only, as RulesEngine (the independent
/// reference) decides it too. A hostile review's case: <c>device.HeldFor("P12M")</c> removed an
/// IHD and a Commissioned meter, with a lint notice alone.
/// </summary>
public class PendingRemovalsOnlyTests
{
    private static readonly NodaTime.LocalDate AsOf = new(2019, 11, 7);

    [Theory]
    [InlineData("device.HeldFor(\\\"P12M\\\")", "ESME and status Whitelisted")]
    [InlineData("device.Type == \\\"IHD\\\"", "IHD and status NotApplicable")]
    [InlineData("device.IsCommunicationsHub", "CHF and status Whitelisted")]
    [InlineData("device.HeldBefore(\\\"Commissioned\\\")", "ESME and status Whitelisted")]
    [InlineData("device.Status == \\\"Commissioned\\\" && device.Model == \\\"Aldor E1\\\"", "ESME and status Commissioned")]
    [InlineData("device.Generation == \\\"SMETS1\\\"", "ESME and status Whitelisted")]
    [InlineData("device.Status != \\\"Pending\\\"", "ESME and status Whitelisted")]
    [InlineData("device.PendingFor(\\\"P12M\\\") || device.Type == \\\"CAD\\\"", "CAD and status NotApplicable")]
    [InlineData("!device.PendingFor(\\\"P12M\\\")", "ESME and status Whitelisted")]
    [InlineData("(device.Status == \\\"Pending\\\") == (device.Type in (\\\"ESME\\\", \\\"GSME\\\"))", "CHF and status Whitelisted")]
    public void RemoveRuleThatRemovesADeviceNotPending_Refused_NamingTheRuleADeviceAndTheFixThatWorks(string expression, string device)
    {
        var json = $$"""
            { "WorkflowName": "p", "Rules": [
              { "RuleName": "hubs", "Expression": "device.IsCommunicationsHub && device.Status == \"Pending\"", "SuccessEvent": "Retain" },
              { "RuleName": "wide", "Expression": "{{expression}}", "SuccessEvent": "Remove" },
              { "RuleName": "rest", "Expression": "device.PendingFor(\"P36M\")", "SuccessEvent": "Remove" } ] }
            """;

        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, "p.json")).Problems);

        Assert.Equal((3, 3, "wide"), (problem.Line, problem.Column, problem.Rule));
        Assert.Equal(
            $"Rule 'wide' removes devices whose status is not Pending (a device of type {device}, for one), and AC 7.2 removes pending devices only: a removed device can never be installed. Make the whole condition hold for pending devices alone: device.Status == \"Pending\" && (...), or use device.PendingFor(...) for its period.",
            problem.Message);

        // The fix as the message words it, applied as written: the policy loads.
        var fixedJson = json.Replace($"\"{expression}\"", $"\"device.Status == \\\"Pending\\\" && ({expression})\"", StringComparison.Ordinal);
        Assert.NotEqual(json, fixedJson);
        Assert.Equal("p", PolicyCatalog.Parse(fixedJson, "p.json").Versions[0].Policy.Name);
    }

    // A review's case: a rule that cannot be reached hid the refusal of the rule before it, which
    // the author met only after following the first message. Both are said at once.
    [Fact]
    public void UnreachableRuleAfterOneThatRemovesDevicesNotPending_BothSaid()
    {
        var json = """
            { "WorkflowName": "p", "Rules": [
              { "RuleName": "all", "Expression": "true", "SuccessEvent": "Remove" },
              { "RuleName": "gas", "Expression": "device.Type == \"GSME\"", "SuccessEvent": "Remove" } ] }
            """;

        var problems = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, "p.json")).Problems;

        Assert.Equal(["all", "gas"], problems.Select(p => p.Rule));
        Assert.StartsWith("Rule 'all' removes devices whose status is not Pending", problems[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("Rule 'gas' can never be reached: rule 'all' before it matches every device.", problems[1].Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Exactly what the rules decide, not what a rule says alone: an earlier Retain rule that keeps
    /// every device not pending lets a wide Remove rule through, and a rule that holds for pending
    /// devices alone however it is written loads; a disabled rule removes nothing, and is refused
    /// when enabled.
    /// </summary>
    [Theory]
    [InlineData("""{ "RuleName": "others", "Expression": "device.Status != \"Pending\"", "SuccessEvent": "Retain" }, { "RuleName": "wide", "Expression": "device.HeldFor(\"P12M\")", "SuccessEvent": "Remove" }""")]
    [InlineData("""{ "RuleName": "pending", "Expression": "!(device.Status != \"Pending\") && device.HeldFor(\"P12M\")", "SuccessEvent": "Remove" }""")]
    [InlineData("""{ "RuleName": "pending", "Expression": "device.HeldFor(\"P12M\") ? device.Status == \"Pending\" : false", "SuccessEvent": "Remove" }""")]
    [InlineData("""{ "RuleName": "never", "Expression": "device.Type == \"IHD\" && device.Status == \"Pending\"", "SuccessEvent": "Remove" }, { "RuleName": "p", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }""")]
    [InlineData("""{ "RuleName": "off", "Expression": "device.HeldFor(\"P12M\")", "SuccessEvent": "Remove", "Enabled": false }, { "RuleName": "p", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }""")]
    public void RulesThatRemovePendingDevicesAlone_Load(string rules)
    {
        var policy = CompiledPolicy.Compile(PolicyCatalog.Parse("""{ "WorkflowName": "p", "Rules": [ """ + rules + " ] }", "p.json"));

        foreach (var device in SyntheticInventory.Generate(5_000, 3, AsOf))
        {
            Assert.False(device.Status != SmiStatus.Pending && policy.Evaluate(device, AsOf).IsRemoval, device.ToString());
        }

        if (rules.Contains("\"Enabled\": false", StringComparison.Ordinal))
        {
            var enabled = rules.Replace("\"Enabled\": false", "\"Enabled\": true", StringComparison.Ordinal);
            var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse("""{ "WorkflowName": "p", "Rules": [ """ + enabled + " ] }", "p.json")).Problems);
            Assert.StartsWith("Rule 'off' removes devices whose status is not Pending", problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TimelineWithAVersionThatRemovesDevicesNotPending_Refused()
    {
        var files = new Dictionary<string, string>
        {
            ["timeline.json"] = """{ "TimelineName": "t", "Versions": [ { "Policy": "sec-ac72-v6.3" }, { "Policy": "later.json", "EffectiveFrom": "2020-03-01" } ] }""",
            ["later.json"] = """{ "WorkflowName": "later", "Rules": [ { "RuleName": "displays", "Expression": "device.Type == \"IHD\"", "SuccessEvent": "Remove" } ] }""",
        };
        var folder = Directory.CreateTempSubdirectory("smi-pending-");
        try
        {
            foreach (var (name, text) in files)
            {
                File.WriteAllText(Path.Combine(folder.FullName, name), text);
            }

            var error = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Load(Path.Combine(folder.FullName, "timeline.json")));
            var problem = Assert.Single(error.Problems);
            Assert.EndsWith("later.json", problem.Source, StringComparison.Ordinal);
            Assert.StartsWith("Rule 'displays' removes devices whose status is not Pending (a device of type IHD and status NotApplicable, for one)", problem.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // Random policies whose Remove rules are as drawn (most remove some device that is not pending):
    // each either is refused, for that or for a rule it cannot reach, or removes pending devices
    // alone, by the compiled evaluator and by RulesEngine; and the same policy with every Remove
    // rule made to hold for pending devices alone loads unless a rule cannot be reached.
    [Property(MaxTest = 200, QuietOnSuccess = true)]
    public Property AnyPolicy_RefusedOrRemovesPendingDevicesAlone() =>
        Prop.ForAll(
            Arb.From(PolicyArbitraries.Policies(pendingRemovals: false)),
            Arb.From(Gen.ArrayOf(PolicyArbitraries.DevicesOnDates(), 30)),
            (generated, batch) =>
            {
                if (!PolicyArbitraries.Loads(generated)) // refused for either reason; for any other it throws
                {
                    return;
                }

                var timeline = PolicyCatalog.Parse(generated.Json, "generated.json");
                var compiled = CompiledPolicy.Compile(timeline);
                var reference = new ReferenceEvaluator(timeline);
                foreach (var (device, asOf) in batch.Where(b => b.Device.Status != SmiStatus.Pending))
                {
                    Assert.False(compiled.Evaluate(device, asOf).IsRemoval, $"{device} as of {asOf}: {compiled.Evaluate(device, asOf)}");
                    Assert.NotEqual(RetentionAction.Remove, reference.EvaluateAsync(device, asOf).AsTask().GetAwaiter().GetResult().Action);
                }
            });

    [Fact]
    public void RandomPolicies_ManyRefused_ManyLoad_AndEveryOneLoadsOnceItsRemovalsArePending()
    {
        var drawn = PolicyArbitraries.Policies(pendingRemovals: false).Sample(300, 20191107).ToArray();
        var refused = drawn.Count(p => !PolicyArbitraries.Loads(p));
        Assert.InRange(refused, 60, 240); // both kinds occur often: the check is neither vacuous nor all-refusing

        foreach (var policy in drawn)
        {
            var guarded = System.Text.RegularExpressions.Regex.Replace(
                policy.Json,
                "\"Expression\": \"(?<e>(?:[^\"\\\\]|\\\\.)*)\", \"SuccessEvent\": \"Remove\"",
                m => $"\"Expression\": \"device.Status == \\\"Pending\\\" && ({m.Groups["e"].Value})\", \"SuccessEvent\": \"Remove\"");
            try
            {
                PolicyCatalog.Parse(guarded, "guarded.json");
            }
            catch (PolicyValidationException e)
            {
                Assert.All(e.Problems, p => Assert.Contains("can never be reached", p.Message, StringComparison.Ordinal));
            }
        }
    }
}
