using System.Reflection;

namespace Smi.Retention.Tests;

/// <summary>RulesEngine and its dependencies are an implementation detail: none of their types appears in the public API.</summary>
public class PublicApiTests
{
    private static readonly string[] Hidden = ["RulesEngine", "FluentValidation", "System.Linq.Dynamic.Core", "FastExpressionCompiler"];

    [Fact]
    public void PublicApi_NeverExposesRulesEngineTypes()
    {
        var exposed = new List<string>();
        foreach (var type in typeof(CompiledPolicy).Assembly.GetExportedTypes())
        {
            var signatures = Signatures(type);
            exposed.AddRange(signatures.SelectMany(Flatten)
                .Where(t => Hidden.Any(h => t.Assembly.GetName().Name!.StartsWith(h, StringComparison.Ordinal)))
                .Select(t => $"{type.FullName} exposes {t.FullName}"));
        }

        Assert.Empty(exposed);

        // The library reads rules itself: RulesEngine and its parser are the oracle, in Smi.Retention.Testing only.
        Assert.DoesNotContain(typeof(CompiledPolicy).Assembly.GetReferencedAssemblies(), a => Hidden.Any(h => a.Name!.StartsWith(h, StringComparison.Ordinal)));
        Assert.Contains(typeof(ReferenceEvaluator).Assembly.GetReferencedAssemblies(), a => a.Name == "RulesEngine");
    }

    [Fact]
    public void PublicApiFile_TracksTheApiAndNamesNoRulesEngineType()
    {
        var folder = Path.Combine(Repository.Root(), "src", "Smi.Retention");
        var shipped = File.ReadAllText(Path.Combine(folder, "PublicAPI.Shipped.txt"));
        var file = shipped + File.ReadAllText(Path.Combine(folder, "PublicAPI.Unshipped.txt"));
        Assert.Contains("Smi.Retention.Evaluation.CompiledPolicy.For(NodaTime.LocalDate asOf) -> Smi.Retention.Evaluation.PolicyEvaluator!", shipped, StringComparison.Ordinal);
        Assert.DoesNotContain("RulesEngine.", file, StringComparison.Ordinal);
    }

    // The one-way flow of docs/architecture.md: vocabulary <- policies <- evaluation <- impact, hosting, authoring.
    // No public signature of a namespace names a type of a namespace after it.
    [Theory]
    [InlineData("Smi.Retention", new[] { "Smi.Retention.Policies", "Smi.Retention.Evaluation", "Smi.Retention.Impact", "Smi.Retention.Hosting", "Smi.Retention.Authoring", "Smi.Retention.Inventory" })]
    [InlineData("Smi.Retention.Policies", new[] { "Smi.Retention.Evaluation", "Smi.Retention.Impact", "Smi.Retention.Hosting", "Smi.Retention.Authoring" })]
    [InlineData("Smi.Retention.Evaluation", new[] { "Smi.Retention.Impact", "Smi.Retention.Hosting", "Smi.Retention.Authoring" })]
    [InlineData("Smi.Retention.Impact", new[] { "Smi.Retention.Hosting", "Smi.Retention.Authoring" })]
    [InlineData("Smi.Retention.Hosting", new[] { "Smi.Retention.Impact", "Smi.Retention.Authoring" })]
    [InlineData("Smi.Retention.Authoring", new[] { "Smi.Retention.Impact", "Smi.Retention.Hosting" })]
    [InlineData("Smi.Retention.Inventory", new[] { "Smi.Retention.Policies", "Smi.Retention.Evaluation", "Smi.Retention.Impact", "Smi.Retention.Hosting", "Smi.Retention.Authoring" })]
    public void PublicApi_NamespacesDependOneWay(string area, string[] later)
    {
        var exported = typeof(CompiledPolicy).Assembly.GetExportedTypes().Concat(typeof(HousekeepingService).Assembly.GetExportedTypes()).ToArray();
        Assert.Contains(exported, t => t.Namespace == area);
        var backwards = exported.Where(t => t.Namespace == area)
            .SelectMany(type => Signatures(type).SelectMany(Flatten).Where(t => later.Contains(t.Namespace)).Select(t => $"{type.FullName} names {t.FullName}"))
            .Distinct()
            .ToList();
        Assert.Empty(backwards);
    }

    // Packages by concern: the core evaluates and costs policies and takes no hosting dependency; the
    // host's options, DI, schedule and telemetry are Smi.Retention.Hosting's; the RulesEngine oracle is
    // the testing package's; the tool takes neither the host nor the test tools.
    [Fact]
    public void Packages_SplitByConcern()
    {
        var core = typeof(CompiledPolicy).Assembly;
        Assert.DoesNotContain(core.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
        Assert.DoesNotContain(core.GetExportedTypes(), t => t.Namespace!.StartsWith("Smi.Retention.Hosting", StringComparison.Ordinal));
        Assert.Equal("Smi.Retention.Hosting", typeof(HousekeepingService).Assembly.GetName().Name);
        Assert.All(typeof(HousekeepingService).Assembly.GetExportedTypes(), t => Assert.StartsWith("Smi.Retention.Hosting", t.Namespace!, StringComparison.Ordinal));

        var exported = core.GetExportedTypes().Select(t => t.Name).ToHashSet();
        Assert.DoesNotContain("DeviceFacts", exported);
        Assert.DoesNotContain("ReferenceEvaluator", exported);
        Assert.Equal("Smi.Retention.Testing", typeof(ReferenceEvaluator).Assembly.GetName().Name);

        var tool = typeof(Smi.Retention.Cli.SmiRetentionCli).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();
        Assert.DoesNotContain("Smi.Retention.Testing", tool);
        Assert.DoesNotContain("Smi.Retention.Hosting", tool);
        Assert.Contains("Smi.Retention", tool);
    }

    private static IEnumerable<Type> Signatures(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var contract in type.GetInterfaces())
        {
            yield return contract;
        }

        foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            switch (member)
            {
                case MethodBase method:
                    foreach (var parameter in method.GetParameters())
                    {
                        yield return parameter.ParameterType;
                    }

                    if (method is MethodInfo info)
                    {
                        yield return info.ReturnType;
                    }

                    break;
                case PropertyInfo property:
                    yield return property.PropertyType;
                    break;
                case FieldInfo field:
                    yield return field.FieldType;
                    break;
                case EventInfo @event:
                    yield return @event.EventHandlerType!;
                    break;
            }
        }
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in Flatten(argument))
            {
                yield return inner;
            }
        }
    }
}
