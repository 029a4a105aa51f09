using System.Reflection;
using System.Text.Json;
using SchemaNode = System.Text.Json.Nodes.JsonNode;

namespace Smi.Retention.Tests.Rules;

/// <summary>
/// The rule language is defined once (<see cref="Vocabulary"/>); every other copy is derived from it
/// or held equal to it here: the facts type RulesEngine runs, the members' declared facts, the
/// authoring page's table, the schemas' name lists and the Expression description editors show.
/// Set SMI_UPDATE_GOLDEN=1 to rewrite the authoring page's table and the schema text from the vocabulary.
/// </summary>
public class VocabularyTests
{
    private static readonly string Root = Repository.Root();

    [Fact]
    public void DeviceFacts_HasExactlyTheVocabularysMembers_InTheirShapes()
    {
        var members = typeof(DeviceFacts).GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m is PropertyInfo || (m is MethodInfo method && !method.IsSpecialName))
            .Select(m => m.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Vocabulary.Members.Select(m => m.Name).Concat(Vocabulary.DateMembers).Order(StringComparer.Ordinal), members);

        foreach (var member in Vocabulary.Members)
        {
            var expected = member.Shape switch
            {
                MemberShape.Flag => typeof(bool),
                MemberShape.Compared when member.Argument == ArgumentKind.DeviceType => typeof(DeviceType),
                MemberShape.Compared when member.Argument == ArgumentKind.Generation => typeof(SmetsGeneration),
                MemberShape.Compared when member.Argument == ArgumentKind.Model => typeof(string),
                MemberShape.Compared => typeof(SmiStatus),
                _ => typeof(bool),
            };
            if (member.Shape == MemberShape.Call)
            {
                var method = typeof(DeviceFacts).GetMethod(member.Name)!;
                Assert.Equal(typeof(bool), method.ReturnType);
                Assert.Equal(member.Argument == ArgumentKind.Status ? typeof(SmiStatus) : typeof(string), Assert.Single(method.GetParameters()).ParameterType);
            }
            else
            {
                Assert.Equal(expected, typeof(DeviceFacts).GetProperty(member.Name)!.PropertyType);
            }
        }
    }

    // A member that says it does not read a fact gives the same answer whatever that fact is: the
    // state space groups devices by the declared facts, so an undeclared read would be a wrong table.
    [Fact]
    public void Members_ReadOnlyTheFactsTheyDeclare()
    {
        var states = VocabularyStates.All([SmetsGeneration.SMETS1, SmetsGeneration.SMETS2], ["E470", "e470", "AclaraSGM1411"]).ToArray();
        foreach (var member in Vocabulary.Members)
        {
            MemberTest[] tests = member.Argument switch
            {
                null => [new MemberTest(member, 0)],
                { IsText: true } => [new MemberTest(member, 0, "E470"), new MemberTest(member, 0, "AclaraSGM1411"), new MemberTest(member, 0, "other")],
                { Names: null } => [.. new[] { 1, 12, 36, 1200 }.Select(months => new MemberTest(member, months))],
                { Names: { } names } => [.. Enumerable.Range(1, names.Count).Select(value => new MemberTest(member, value))],
            };
            foreach (var test in tests)
            {
                foreach (var elapsed in new[] { false, true })
                {
                    var byDeclared = states.GroupBy(s => (
                        (member.Reads & DeviceFactKinds.Type) != 0 ? s.Type : default,
                        (member.Reads & DeviceFactKinds.Status) != 0 ? s.Status : default,
                        (member.Reads & DeviceFactKinds.Prior) != 0 ? s.Prior.Bits : 0,
                        (member.Reads & DeviceFactKinds.Generation) != 0 ? s.Generation : default,
                        (member.Reads & DeviceFactKinds.Model) != 0 ? s.Model : null));
                    Assert.All(byDeclared, g => Assert.Single(g.Select(s => member.Holds(s, test, elapsed)).Distinct()));
                }
            }
        }
    }

    [Fact]
    public void AuthoringPage_VocabularyTable_IsTheVocabulary()
    {
        var table = "| member | meaning |\n|---|---|\n" + string.Concat(Vocabulary.Members.Select(m => $"| `{m.Signature}` | {m.Meaning} |\n"));
        var path = Path.Combine(Root, "docs", "authoring.md");
        var readme = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("| member | meaning |", StringComparison.Ordinal);
        var end = readme.IndexOf("\n\n", start, StringComparison.Ordinal) + 1;
        if (Environment.GetEnvironmentVariable("SMI_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, readme[..start] + table + readme[end..]);
            return;
        }

        Assert.Equal(table, readme[start..end]);
    }

    [Fact]
    public void PolicySchema_ExpressionDescription_IsTheVocabulary()
    {
        var path = Path.Combine(Root, "schemas", "policy.schema.json");
        var schema = SchemaNode.Parse(File.ReadAllText(path))!;
        var expression = schema["$defs"]!["rule"]!["properties"]!["Expression"]!;
        var description = "A boolean expression over `device`, the only name in scope, in RulesEngine's syntax. The vocabulary: "
            + string.Join("; ", Vocabulary.Members.Select(m => $"{m.Signature} ({m.Meaning})"))
            + ". Operators: " + Vocabulary.Operators + " (or and, or, not); ! binds tightest, then == and !=, in, &&, ||, ? :. "
            + "Each string is exactly one device type, status, SMETS generation or period (no lists, numbers or spaces): any case where compared, as declared in a call; "
            + $"or one device model, compared exactly in its case (1 to {SmetsGenerations.MaxModelLength} visible characters, no space at either end). "
            + "A period is ISO-8601 whole months or years from P1M to P100Y: P12M, P36M, P3Y, P1Y6M (P12M equals P1Y). A period ends on the corresponding date "
            + "(the same day number, or the month's last day when it has none: 2020-01-31 + P1M is 2020-02-29). Dates enter a rule only through periods. "
            + $"Example: {Vocabulary.Type.Example} && {Vocabulary.PendingFor.Example}. At most {PolicyLimits.MaxExpressionLength:N0} characters.";
        if (Environment.GetEnvironmentVariable("SMI_UPDATE_GOLDEN") == "1")
        {
            expression["description"] = description;
            File.WriteAllText(path, schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            return;
        }

        Assert.Equal(description, expression["description"]!.GetValue<string>());
    }

    // Every list of names in the schemas is the enum's, with a case-insensitive pattern beside it, as the loader reads them.
    [Theory]
    [InlineData("policy-tests.schema.json", "$defs.case.properties.Type", typeof(DeviceType))]
    [InlineData("policy-tests.schema.json", "$defs.case.properties.Status", typeof(SmiStatus))]
    [InlineData("policy-tests.schema.json", "$defs.case.properties.Prior.items", typeof(SmiStatus))]
    [InlineData("policy-tests.schema.json", "$defs.case.properties.Expect.properties.Action", typeof(RetentionAction))]
    public void Schemas_NameLists_AreTheEnumsWithCaseInsensitivePatterns(string file, string at, Type enumType)
    {
        var node = at.Split('.').Aggregate(SchemaNode.Parse(File.ReadAllText(Path.Combine(Root, "schemas", file)))!, (n, key) => n[key]!);
        var names = Enum.GetNames(enumType);
        var anyOf = node["anyOf"]!.AsArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), anyOf[0]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(
            "^(" + string.Join("|", names.Select(n => string.Concat(n.Select(c => char.IsAsciiLetter(c) ? $"[{char.ToUpperInvariant(c)}{char.ToLowerInvariant(c)}]" : c.ToString())))) + ")$",
            anyOf[1]!["pattern"]!.GetValue<string>());
    }

    [Fact]
    public void Messages_SummaryOfTheLanguage_ListsEveryMember()
    {
        foreach (var member in Vocabulary.Members)
        {
            Assert.Contains(member.Signature, Vocabulary.Summary, StringComparison.Ordinal);
        }
    }
}
