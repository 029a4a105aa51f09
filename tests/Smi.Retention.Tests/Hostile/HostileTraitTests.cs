using System.Reflection;

namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// The hostile-input tests are a trait, not only a folder: <c>dotnet test --filter Category=Hostile</c>
/// runs every one of them, so each class here carries it, this one included.
/// </summary>
[Trait("Category", "Hostile")]
public class HostileTraitTests
{
    [Fact]
    public void EveryTestClassInHostile_CarriesTheHostileTrait()
    {
        var classes = typeof(HostileTraitTests).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(HostileTraitTests).Namespace && t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()))
            .ToList();

        Assert.True(classes.Count >= 10, $"only {classes.Count} hostile test classes found");
        Assert.All(classes, t => Assert.Contains(
            t.GetCustomAttributesData(),
            a => a.AttributeType == typeof(TraitAttribute) && a.ConstructorArguments is [{ Value: "Category" }, { Value: "Hostile" }]));
    }
}
