using System.Globalization;
using System.Text;
using System.Text.Json;
using Smi.Retention.Policies;

namespace Smi.Retention.Testing;

/// <summary>
/// Policies made to be as costly to validate and compile as <see cref="PolicyLimits"/> allow: the
/// most tests, the most periods, the most history classes, conditions that expand the most, and
/// timelines of the most versions. Each is valid (it loads), so the cost is the cost of a policy
/// an author, or an attacker, may hand the tool.
/// </summary>
public static class SyntheticPolicies
{
    private static readonly string[] Statuses = [.. SmiStatuses.All.ToArray().Select(s => s.ToString())];

    /// <summary>The kinds <see cref="Worst"/> makes.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["many-rules", "expanding", "timeline", "details"];

    /// <summary>
    /// A policy (or, for <c>timeline</c>, a timeline and the policies it refers to) of one kind:
    /// <c>many-rules</c>, as many rules as the test budget allows, each a period and two history
    /// tests over every period and every history class; <c>expanding</c>, one rule whose
    /// comparisons of conditions expand it to the most tests; <c>timeline</c>, the most versions,
    /// each with its own periods and history tests, up to the timeline's budget; <c>details</c>, as many
    /// rules as the test budget allows over every period, the SMETS generation, the most models and
    /// enough history to come near the most device classes.
    /// </summary>
    /// <param name="kind">One of <see cref="Kinds"/>.</param>
    /// <returns>The files by name; the first is the one to load.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not one of <see cref="Kinds"/>.</exception>
    public static IReadOnlyList<(string Name, string Json)> Worst(string kind) => kind switch
    {
        "many-rules" => [("many-rules.json", Policy("many-rules", ManyRules(PolicyLimits.MaxPolicyTests / 5, 0)))],
        "expanding" => [("expanding.json", Policy("expanding", [($"device.Status == \"Pending\" && {Expanding()}", "Remove"), ("device.PendingFor(\"P12M\")", "Remove")]))],
        "timeline" => Timeline(),
        "details" => [("details.json", Policy("details", Details()))],
        _ => throw new ArgumentException($"'{kind}' is not one of {string.Join(", ", Kinds)}.", nameof(kind)),
    };

    // Each rule: a period (30 of them in all), a status held before and another status held before or
    // not; a Remove rule's period is of a pending device's (a Remove rule removes pending devices only).
    private static List<(string Expression, string Action)> ManyRules(int count, int shift) =>
        [.. Enumerable.Range(0, count).Select(k => (
            $"device.{HeldFor(k)}(\"P{12 + ((k + shift) % PolicyLimits.MaxPeriods)}M\") && device.HeldBefore(\"{Statuses[(k + shift) % Statuses.Length]}\") && device.HeldBeforeOtherThan(\"{Statuses[((k / Statuses.Length) + shift) % Statuses.Length]}\")",
            k % 2 == 0 ? "Remove" : "Retain"))];

    // Each rule: a period, a status held before (3 of them: 8 history classes), a generation and a model (the most):
    // 8 x 3 x (32 + 2) classes, under the limit.
    private static List<(string Expression, string Action)> Details() =>
        [.. Enumerable.Range(0, PolicyLimits.MaxPolicyTests / 7).Select(k => (
            $"device.{HeldFor(k)}(\"P{12 + (k % PolicyLimits.MaxPeriods)}M\") && device.HeldBefore(\"{Statuses[3 + (k % 3)]}\") && device.Generation == \"SMETS{1 + (k % 2)}\" && device.Model == \"Model {k % PolicyLimits.MaxModels}\"",
            k % 2 == 0 ? "Remove" : "Retain"))];

    // The even rules remove, the odd ones retain: a Remove rule's period is how long the device has been pending.
    private static string HeldFor(int k) => k % 2 == 0 ? "PendingFor" : "HeldFor";

    // ((a == b) == c) == ...: each comparison of conditions doubles what it compares, up to the rule's limit.
    private static string Expanding()
    {
        var expression = "device.HeldBefore(\"Commissioned\")";
        var k = 0;
        while (true)
        {
            var next = $"({expression} == device.HeldFor(\"P{12 + (k % PolicyLimits.MaxPeriods)}M\"))";
            if (Size(k + 1) > PolicyLimits.MaxConditionSize - 8)
            {
                return expression;
            }

            expression = next;
            k++;
        }

        // a == b is (a && b) || (!a && !b): the tree doubles (plus 6 nodes) at each step.
        static long Size(int steps) => steps == 0 ? 1 : (2 * (Size(steps - 1) + 1)) + 5;
    }

    private static List<(string Name, string Json)> Timeline()
    {
        var versions = PolicyLimits.MaxVersions;
        var perVersion = PolicyLimits.MaxTimelineTests / versions / 5;
        var files = new List<(string Name, string Json)>();
        var timeline = new StringBuilder("{ \"TimelineName\": \"timeline\", \"Versions\": [\n");
        for (var v = 0; v < versions; v++)
        {
            var name = "version-" + v.ToString("D2", CultureInfo.InvariantCulture) + ".json";
            files.Add((name, Policy("version-" + v.ToString(CultureInfo.InvariantCulture), ManyRules(perVersion, v))));
            timeline.Append(v == 0 ? "  { \"Policy\": \"" + name + "\" }" : $",\n  {{ \"Policy\": \"{name}\", \"EffectiveFrom\": \"{2000 + v}-01-01\" }}");
        }

        timeline.Append("\n] }\n");
        return [("timeline.json", timeline.ToString()), .. files];
    }

    private static string Policy(string name, IEnumerable<(string Expression, string Action)> rules) =>
        "{ \"WorkflowName\": \"" + name + "\", \"Rules\": [\n"
        + string.Join(",\n", rules.Select((r, i) => $"  {{ \"RuleName\": \"r{i}\", \"Expression\": {JsonSerializer.Serialize(r.Expression)}, \"SuccessEvent\": \"{r.Action}\" }}"))
        + "\n] }\n";
}
