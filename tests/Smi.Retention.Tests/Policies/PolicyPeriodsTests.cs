using FsCheck.Xunit;

namespace Smi.Retention.Tests.Policies;

/// <summary>A policy's periods: those its enabled rules name, each once, shortest first, however the rules write and order them.</summary>
public class PolicyPeriodsTests
{
    [Property(MaxTest = 200, QuietOnSuccess = true)]
    public bool Periods_AreTheEnabledRulesPeriods_DistinctAndSorted(byte[] picks, bool[] enabled, bool inYears)
    {
        // Up to 12 rules of one or two periods each, drawn from 15 lengths (1 to 1,200 months), some written in years.
        var lengths = new[] { 1, 6, 11, 12, 13, 24, 36, 48, 60, 100, 120, 240, 600, 1188, 1200 };
        var rules = new List<(int[] Months, bool Enabled)>();
        for (var i = 0; i + 1 < picks.Length && rules.Count < 12; i += 2)
        {
            var first = lengths[picks[i] % lengths.Length];
            var second = lengths[picks[i + 1] % lengths.Length];
            rules.Add((picks[i + 1] % 3 == 0 ? [first] : [first, second], i / 2 >= enabled.Length || enabled[i / 2]));
        }

        if (!rules.Any(r => r.Enabled))
        {
            return true; // a policy with no enabled rule is refused: nothing to compare
        }

        string Period(int months) => inYears && months % 12 == 0 ? $"P{months / 12}Y" : $"P{months}M";
        var json = "{ \"WorkflowName\": \"p\", \"Rules\": [" + string.Join(",", rules.Select((r, i) =>
            $$"""{ "RuleName": "r{{i}}", "Expression": "{{string.Join(" || ", r.Months.Select(m => $"device.PendingFor(\\\"{Period(m)}\\\")"))}}", "SuccessEvent": "Remove", "Enabled": {{(r.Enabled ? "true" : "false")}} }""")) + "] }";
        var policy = PolicyCatalog.Parse(json).Versions[0].Policy;

        var expected = rules.Where(r => r.Enabled).SelectMany(r => r.Months).Distinct().Order().ToArray();
        return policy.Periods.Select(p => p.Months).SequenceEqual(expected);
    }
}
