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
            var signatures = new List<Type>();
            if (type.BaseType is { } baseType)
            {
                signatures.Add(baseType);
            }

            signatures.AddRange(type.GetInterfaces());
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                switch (member)
                {
                    case MethodBase method:
                        signatures.AddRange(method.GetParameters().Select(p => p.ParameterType));
                        if (method is MethodInfo info)
                        {
                            signatures.Add(info.ReturnType);
                        }

                        break;
                    case PropertyInfo property:
                        signatures.Add(property.PropertyType);
                        break;
                    case FieldInfo field:
                        signatures.Add(field.FieldType);
                        break;
                    case EventInfo @event:
                        signatures.Add(@event.EventHandlerType!);
                        break;
                }
            }

            exposed.AddRange(signatures.SelectMany(Flatten)
                .Where(t => Hidden.Any(h => t.Assembly.GetName().Name!.StartsWith(h, StringComparison.Ordinal)))
                .Select(t => $"{type.FullName} exposes {t.FullName}"));
        }

        Assert.Empty(exposed);
        Assert.Contains(typeof(CompiledPolicy).Assembly.GetReferencedAssemblies(), a => a.Name == "RulesEngine");
    }

    [Fact]
    public void PublicApiFile_TracksTheApiAndNamesNoRulesEngineType()
    {
        var file = File.ReadAllText(Path.Combine(Policies.BuiltInPolicyTests.RepositoryRoot(), "src", "Smi.Retention", "PublicAPI.Unshipped.txt"));
        Assert.Contains("Smi.Retention.CompiledPolicy.For(NodaTime.LocalDate asOf) -> Smi.Retention.PolicyEvaluator!", file, StringComparison.Ordinal);
        Assert.DoesNotContain("RulesEngine.", file, StringComparison.Ordinal);
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
