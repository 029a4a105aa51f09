using FsCheck.Xunit;
using static Smi.Retention.Tests.TestSupport.TestDevices;

namespace Smi.Retention.Tests.Evaluation;

/// <summary>The N8 alerts of a run's removals, addressed: each once, grouped by the notifying Service User, none recorded last.</summary>
public class RemovalAlertsTests
{
    [Property(MaxTest = 30, QuietOnSuccess = true)]
    public bool Alerts_AreTheRemovalsWithAnAlert_EachOnce_GroupedAndOrdered(ushort seed, bool timeline)
    {
        var asOf = Date("2019-11-07");
        var evaluator = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(timeline ? "sec-timeline" : "sec-ac72-v6.3")).For(asOf);
        var removals = SyntheticInventory.Generate(4_000, seed, asOf)
            .Select(d => (Device: d, Decision: evaluator.Evaluate(d)))
            .Where(p => p.Decision.IsRemoval)
            .Select(p => RemovalEvidence.Of(evaluator, p.Device, p.Decision))
            .ToArray();

        var groups = RemovalAlerts.ByServiceUser(removals);

        var alerted = removals.Where(r => r.Alert is not null).ToArray();
        var listed = groups.SelectMany(g => g.Alerts).ToArray();
        var names = groups.Select(g => g.ServiceUser).ToArray();
        return listed.Length == alerted.Length
            && listed.ToHashSet().SetEquals(alerted)
            && groups.All(g => g.Alerts.All(a => a.NotifyingParty == g.ServiceUser))
            && groups.All(g => g.Alerts.SequenceEqual(alerted.Where(a => a.NotifyingParty == g.ServiceUser))) // inventory order kept
            && names.Distinct().Count() == names.Length
            && names.Where(n => n is not null).SequenceEqual(names.Where(n => n is not null).Order(StringComparer.Ordinal))
            && Array.IndexOf(names, null) is var unaddressed && (unaddressed == -1 || unaddressed == names.Length - 1)
            && alerted.All(a => a.DeviceType is not (DeviceType.CHF or DeviceType.GPF));
    }
}
