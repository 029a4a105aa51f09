using FsCheck.Fluent;

namespace Smi.Retention.Tests.Evaluation;

/// <summary>
/// RulesEngine is the reference: random policies over the vocabulary and random devices and dates
/// go through both RulesEngine's ExecuteAllRulesAsync and the compiled evaluator, and the
/// decisions (action and deciding rule) must be identical.
/// </summary>
public class DifferentialTests
{
    [PolicyProperty(MaxTest = 150)]
    public bool Compiled_RandomPolicyAndDevices_SameDecisionsAsRulesEngine(GeneratedPolicy generated, DeviceOnDate[] batch, BoundaryMode boundary)
    {
        var timeline = PolicyCatalog.Parse(generated.Json, "generated.json"); // the arbitrary yields only policies that load

        var compiled = CompiledPolicy.Compile(timeline, boundary);
        var reference = new ReferenceEvaluator(timeline, boundary);
        foreach (var (device, asOf) in batch.Concat(batch.Take(1).Select(b => b with { Device = default }))) // and an uninitialised record, under tables that read details too
        {
            var mine = compiled.Evaluate(device, asOf);
            var theirs = reference.EvaluateAsync(device, asOf).AsTask().GetAwaiter().GetResult();
            if (mine.Action != theirs.Action || mine.Rule?.Name != theirs.Rule)
            {
                throw new InvalidOperationException(
                    $"{device.Type} {device.Status} since {device.StatusSince} prior [{device.PriorStatuses}] as of {asOf}: " +
                    $"compiled {mine.Action} by {mine.Rule?.Name ?? "default"}, RulesEngine {theirs.Action} by {theirs.Rule ?? "default"}");
            }
        }

        return true;
    }

    // The batch evaluator decides a table without details in its own loop: device by device, it
    // must give the same decision (action, rule, due date, alert, problem) as Evaluate(device), for
    // random policies, devices dated after the run and uninitialised records included.
    [PolicyProperty(MaxTest = 150)]
    public bool Batch_RandomPolicyAndDevices_SameDecisionsAsOneByOne(GeneratedPolicy generated, DeviceOnDate[] batch, BoundaryMode boundary)
    {
        var timeline = PolicyCatalog.Parse(generated.Json, "generated.json");
        var compiled = CompiledPolicy.Compile(timeline, boundary);
        // The run's dates: some of the batch's, and the day a device's status began and the day before (the edge of "dated after the run").
        var dates = batch.Select(b => b.AsOf).Take(2)
            .Concat(batch.Where(b => b.Device.IsInitialized).Take(2).SelectMany(b => new[] { b.Device.StatusSince, b.Device.StatusSince.PlusDays(-1) }));
        foreach (var asOf in dates.Distinct())
        {
            var evaluator = compiled.For(asOf);
            DeviceRecord[] devices = [.. batch.Select(b => b.Device), default];
            var decisions = new RetentionDecision[devices.Length];
            evaluator.Evaluate(devices, decisions);
            for (var i = 0; i < devices.Length; i++)
            {
                var one = evaluator.Evaluate(devices[i]);
                var other = decisions[i];
                if (one.Action != other.Action || !ReferenceEquals(one.Rule, other.Rule) || one.DueDate != other.DueDate || one.Alert != other.Alert || one.Problem != other.Problem)
                {
                    throw new InvalidOperationException($"{devices[i]} as of {asOf}: one by one {one}, in a batch {decisions[i]}");
                }
            }
        }

        return true;
    }

    // The due-date and alert contract, over random policies (the built-ins all remove through a
    // period; a random rule may remove whatever the date, or only before a period has elapsed).
    [PolicyProperty(MaxTest = 150)]
    public bool Compiled_RandomPolicyAndDevices_DueDateAndAlertAsPromised(GeneratedPolicy generated, DeviceOnDate[] batch, BoundaryMode boundary)
    {
        var timeline = PolicyCatalog.Parse(generated.Json, "generated.json"); // the arbitrary yields only policies that load

        var compiled = CompiledPolicy.Compile(timeline, boundary);
        foreach (var (device, asOf) in batch)
        {
            var decision = compiled.Evaluate(device, asOf);
            var removedOn = (NodaTime.LocalDate date) => compiled.Evaluate(device, date).IsRemoval;
            var ok = (decision.Action, decision.DueDate) switch
            {
                (RetentionAction.Remove, { } due) => due <= asOf && removedOn(due)
                    && (due == device.StatusSince || !removedOn(due.PlusDays(-1)))
                    && decision.Alert == decision.Rule!.AlertFor(device.Type, RetentionRule.DefaultAlert),
                (RetentionAction.Retain, { } due) => due > asOf && removedOn(due) && !removedOn(due.PlusDays(-1)) && decision.Alert is null,
                (RetentionAction.Retain, null) => decision.Alert is null && !removedOn(asOf.PlusYears(100)),
                (RetentionAction.Undetermined, null) => (device.Generation == SmetsGeneration.Unknown || device.Model is null)
                    && decision.Problem!.StartsWith("The rules need this device's", StringComparison.Ordinal),
                _ => false,
            };
            if (!ok)
            {
                throw new InvalidOperationException(
                    $"{device.Type} {device.Status} since {device.StatusSince} prior [{device.PriorStatuses}] as of {asOf}: {decision}");
            }
        }

        return true;
    }

    [Fact]
    public void Generator_MostPoliciesLoad_AndBothActionsOccur()
    {
        var policies = PolicyArbitraries.Policies().Sample(200, 20191107).ToArray();
        var loaded = policies.Where(PolicyArbitraries.Loads).Select(p => PolicyCatalog.Parse(p.Json, "generated.json")).ToArray();
        Assert.True(loaded.Length >= 160, $"only {loaded.Length} of 200 generated policies loaded");

        var devices = PolicyArbitraries.DevicesOnDates().Sample(50, 7).ToArray();
        var actions = loaded.SelectMany(t => devices.Select(d => CompiledPolicy.Compile(t).Evaluate(d.Device, d.AsOf).Action)).ToHashSet();
        Assert.Contains(RetentionAction.Remove, actions);
        Assert.Contains(RetentionAction.Retain, actions);
    }

    [Fact]
    public async Task Reference_BuiltInPolicies_AgreeOnTheSeedScenario()
    {
        var chf = TestDevices.Pending(DeviceType.CHF, "2017-06-01");
        var asOf = TestDevices.Date("2019-11-07");
        foreach (var name in PolicyCatalog.BuiltInNames)
        {
            var timeline = PolicyCatalog.LoadBuiltIn(name);
            var theirs = await new ReferenceEvaluator(timeline).EvaluateAsync(chf, asOf);
            var mine = CompiledPolicy.Compile(timeline).Evaluate(chf, asOf);
            Assert.Equal((theirs.Action, theirs.Rule), (mine.Action, mine.Rule?.Name));
        }
    }
}
