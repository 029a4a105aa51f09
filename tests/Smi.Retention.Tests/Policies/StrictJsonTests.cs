using System.Text.Json;
using FsCheck.Xunit;
using Smi.Retention.Tests.Hostile;

namespace Smi.Retention.Tests.Policies;

/// <summary>
/// Policy, timeline and tests files are strict JSON (RFC 8259): a comment, a trailing comma or a
/// byte-order mark is a problem at its own first character saying so, so every file the tool
/// accepts, jq, Python and schema validators read too. The tool used to accept comments and
/// trailing commas (and said so in its errors) while the README promised plain JSON.
/// </summary>
public class StrictJsonTests
{
    [Theory]
    [InlineData("{\n  // keep hubs\n  \"WorkflowName\": \"p\", \"Rules\": [] }", "// keep", "A comment is not JSON")]
    [InlineData("{ \"WorkflowName\": \"p\", /* hubs */ \"Rules\": [] }", "/* hubs", "A comment is not JSON")]
    [InlineData("{ \"WorkflowName\": \"p\", \"Rules\": [ { \"RuleName\": \"r\", \"Expression\": \"device.PendingFor(\\\"P12M\\\")\", \"SuccessEvent\": \"Remove\", } ] }", ", } ]", "A comma after the last item is not JSON")]
    [InlineData("{ \"WorkflowName\": \"p\",\n  \"Rules\": [ { \"RuleName\": \"r\", \"Expression\": \"device.PendingFor(\\\"P12M\\\")\", \"SuccessEvent\": \"Remove\" },\n  ]\n}", ",\n  ]", "A comma after the last item is not JSON")]
    [InlineData("{ \"WorkflowName\": \"é€\", \"Rules\": [ ], }", ", }", "A comma after the last item is not JSON")]
    public void Load_CommentOrTrailingComma_RefusedAtItsCharacter(string json, string at, string message)
    {
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(json, "strict.json")).Problems);

        // The place is in characters (the file's é€ are 5 bytes, 2 characters), at the offending text's first character.
        var lineText = json.Split('\n')[problem.Line - 1];
        Assert.StartsWith(at.Split('\n')[0], lineText[(problem.Column - 1)..], StringComparison.Ordinal);
        Assert.Equal(json.IndexOf(at, StringComparison.Ordinal), json.Split('\n').Take(problem.Line - 1).Sum(l => l.Length + 1) + problem.Column - 1);
        Assert.StartsWith(message, problem.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(json)); // and strict readers refuse it too
    }

    [Fact]
    public void TestsFile_Comment_Refused()
    {
        var problem = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyTestSuite.Parse("{ \"Policy\": \"secmp0060\", // the SEC\n \"Cases\": [] }")).Problems);
        Assert.Equal((1, 26), (problem.Line, problem.Column));
        Assert.StartsWith("A comment is not JSON", problem.Message, StringComparison.Ordinal);
    }

    // Whatever bytes a policy file holds, the tool accepts it only if a strict reader does: no
    // comment, no trailing comma, no byte-order mark (the stand-in for jq and Python's json).
    [Property(Arbitrary = [typeof(HostilePolicyTests)], MaxTest = 2000, QuietOnSuccess = true)]
    public void Load_AnyBytes_AcceptedOnlyWhenStrictJsonReadersReadThem(byte[] utf8)
    {
        try
        {
            PolicyCatalog.Parse(utf8, "mutated.json");
        }
        catch (PolicyValidationException)
        {
            return;
        }

        Assert.False(utf8.AsSpan().StartsWith("\uFEFF"u8), "accepted a byte-order mark");
        using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public void ShippedFiles_AreStrictJson()
    {
        var root = Repository.Root();
        var files = Directory.GetFiles(Path.Combine(root, "src", "Smi.Retention", "Policies", "BuiltIn"), "*.json", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(root, "examples", "policies"), "*.json"));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(bytes.AsSpan().StartsWith("\uFEFF"u8), file);
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        }
    }
}
