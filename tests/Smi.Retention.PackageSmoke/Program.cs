using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Smi.Retention;
using Smi.Retention.Evaluation;
using Smi.Retention.Hosting;
using Smi.Retention.Inventory;
using Smi.Retention.Policies;
using Smi.Retention.Testing;

// Evaluate a built-in policy through the package and check the SECMP0060 report's decision: a CHF pending
// since 2017-06-01 is retained under the SEC as in force on 2019-11-07, due 2020-06-01.
var assembly = typeof(CompiledPolicy).Assembly;
var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
var policy = CompiledPolicy.Compile(PolicyCatalog.Load("sec-timeline"));
var hub = new DeviceRecord(DeviceId.Parse("88-73-84-57-00-2F-96-1E"), DeviceType.CHF, SmiStatus.Pending, new LocalDate(2017, 6, 1));
var decision = policy.For(new LocalDate(2019, 11, 7)).Evaluate(hub);

Console.WriteLine($"Smi.Retention {version} from {assembly.Location}");
Console.WriteLine($"sec-timeline as of 2019-11-07: {decision}");
if (decision.Action != RetentionAction.Retain || decision.DueDate != new LocalDate(2020, 6, 1))
{
    Console.Error.WriteLine("Package smoke test FAILED: expected Retain due 2020-06-01.");
    return 1;
}

// The test tools' package: a synthetic inventory decided by the compiled evaluator and by RulesEngine agrees.
var asOf = new LocalDate(2026, 1, 15);
var evaluator = policy.For(asOf);
var reference = new ReferenceEvaluator(PolicyCatalog.Load("sec-timeline"));
var devices = SyntheticInventory.Generate(200, seed: 7, asOf).ToArray();
foreach (var device in devices)
{
    var (action, rule) = await reference.EvaluateAsync(device, asOf);
    var compiled = evaluator.Evaluate(device);
    if (compiled.Action != action || compiled.Rule?.Name != rule)
    {
        Console.Error.WriteLine($"Package smoke test FAILED: {device.Id} is {compiled} compiled, {action} by {rule} in RulesEngine.");
        return 1;
    }
}

Console.WriteLine($"Smi.Retention.Testing: {devices.Length} synthetic devices decided alike by the compiled evaluator and RulesEngine.");

// The hosting package: the same devices through the host's options, DI and guard remove exactly the
// devices the evaluator removes, each with its evidence.
var services = new ServiceCollection();
services.AddSingleton<IClock>(new FixedClock(InstantPattern.General.Parse("2026-01-15T12:00:00Z").Value));
services.AddSmiRetention(options =>
{
    options.Policy = "sec-timeline";
    options.MaxRemovalFraction = 1;
});
using (var provider = services.BuildServiceProvider())
{
    var housekeeping = provider.GetRequiredService<HousekeepingService>();
    var result = housekeeping.Run(devices, new HousekeepingRunOptions { AsOf = asOf });
    var expected = devices.Where(d => evaluator.Evaluate(d).Action == RetentionAction.Remove).Select(d => d.Id).ToArray();
    if (!result.Removals.Select(r => r.DeviceId).SequenceEqual(expected) || result.Report.Decided != devices.Length)
    {
        Console.Error.WriteLine($"Package smoke test FAILED: the host removed {result.Removals.Count} of {result.Report.Decided} decided; the evaluator removes {expected.Length} of {devices.Length}.");
        return 1;
    }

    Console.WriteLine($"Smi.Retention.Hosting {typeof(HousekeepingService).Assembly.GetName().Version}: {result.Removals.Count} removals of {result.Report.Decided} devices, as the evaluator decides.");
}
Console.WriteLine("Package smoke test passed.");
return 0;

/// <summary>A clock that always says the same instant (the smoke test takes no test package).</summary>
internal sealed class FixedClock(Instant now) : IClock
{
    public Instant GetCurrentInstant() => now;
}
