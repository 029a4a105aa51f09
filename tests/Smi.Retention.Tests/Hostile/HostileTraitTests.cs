namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// The hostile-input tests are a trait, not only a folder: <c>dotnet test --filter Category=Hostile</c>
/// runs every one of them, in every test project, so each class in a <c>Hostile/</c> folder carries it
/// (read from the sources, since the classes are spread over the projects that mirror <c>src/</c>).
/// </summary>
[Trait("Category", "Hostile")]
public class HostileTraitTests
{
    [Fact]
    public void EveryTestClassInAHostileFolder_CarriesTheHostileTrait()
    {
        var files = Directory.GetDirectories(Path.Combine(Repository.Root(), "tests"))
            .Select(project => Path.Combine(project, "Hostile"))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder, "*.cs"))
            .ToList();

        Assert.True(files.Count >= 10, $"only {files.Count} hostile test files found");
        Assert.All(files, file =>
        {
            var source = File.ReadAllText(file);
            var classes = System.Text.RegularExpressions.Regex.Matches(source, @"^public (?:sealed )?class \w+", System.Text.RegularExpressions.RegexOptions.Multiline);
            var marked = System.Text.RegularExpressions.Regex.Matches(source, @"^\[Trait\(""Category"", ""Hostile""\)\]\r?\n(?:\[[^\n]*\]\r?\n)*public (?:sealed )?class \w+", System.Text.RegularExpressions.RegexOptions.Multiline);
            Assert.True(classes.Count > 0 && marked.Count == classes.Count, $"{file}: {classes.Count} test classes, {marked.Count} marked Category=Hostile");
        });
    }
}
