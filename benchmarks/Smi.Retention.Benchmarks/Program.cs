using System.Diagnostics;
using BenchmarkDotNet.Running;
using NodaTime;

namespace Smi.Retention.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["profile", var policy, var devices, var seconds, var method, .. var only] && only.Length <= 1)
        {
            Profile(policy, int.Parse(devices, System.Globalization.CultureInfo.InvariantCulture), double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), method, only is [var status] ? Enum.Parse<SmiStatus>(status, ignoreCase: true) : null);
            return;
        }

        if (args is ["profile-parse", var inventory, var passes])
        {
            ProfileParse(inventory, int.Parse(passes, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    /// <summary>Parses an inventory on every core, as every command's pass does, a few times over, for a profiler to sample.</summary>
    private static void ProfileParse(string inventory, int passes)
    {
        for (var pass = 0; pass < passes; pass++)
        {
            var clock = Stopwatch.StartNew();
            using var reader = InventoryReader.Open(inventory);
            long accepted = 0;
            foreach (var chunk in ParsedChunks.Read(reader, inventory, () => new ParsedChunk(), null, CancellationToken.None))
            {
                accepted += chunk.Count;
            }

            Console.WriteLine($"parse {inventory}: {accepted} rows in {clock.Elapsed.TotalMilliseconds:F0} ms");
        }
    }

    /// <summary>
    /// Runs one evaluation loop for a while, for a profiler to sample (not a measurement: use the
    /// benchmarks for that). Prints the average per device so a change can be checked at a glance.
    /// With <paramref name="only"/>, the devices are those of the generated ones in that status, as
    /// many as there are: one path of the pass, apart from the rest.
    /// </summary>
    private static void Profile(string policy, int count, double seconds, string method, SmiStatus? only)
    {
        var asOf = new LocalDate(2026, 11, 28);
        var devices = SyntheticInventory.Generate(count, seed: 1, asOf).ToArray();
        var compiled = CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(policy));
        var evaluator = compiled.For(asOf);
        var handWritten = new HandWritten<ByKey>(policy, compiled, asOf);
        var handWrittenLocalDate = new HandWritten<ByLocalDate>(policy, compiled, asOf);
        Equivalence.Check(devices, evaluator, handWritten.Evaluate); // on every device, before any are set aside: each is decided alone
        Equivalence.Check(devices, evaluator, handWrittenLocalDate.Evaluate);
        devices = Array.FindAll(devices, d => only is not { } status || d.Status == status);
        count = devices.Length;
        var decisions = new RetentionDecision[count];
        Action run = method switch
        {
            "handwritten" => () => handWritten.Evaluate(devices, decisions),
            "handwritten-localdate" => () => handWrittenLocalDate.Evaluate(devices, decisions),
            "compiled" => () => evaluator.Evaluate(devices, decisions),
            "parallel" => () => evaluator.EvaluateParallel(devices, decisions),
            _ => throw new ArgumentException($"Unknown method '{method}': use handwritten, handwritten-localdate, compiled or parallel."),
        };
        var clock = Stopwatch.StartNew();
        var passes = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            run();
            passes++;
        }

        Console.WriteLine($"{method} {policy}: {passes} passes, {clock.Elapsed.TotalMilliseconds * 1e6 / passes / count:F2} ns per device ({decisions[^1]})");
    }
}
