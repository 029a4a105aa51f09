using NodaTime;

namespace Smi.Retention.Tests.Text;

/// <summary>
/// Every limit on text a person writes, and every count or position a message gives, is in
/// characters (code points, as JSON Schema's maxLength counts them), never UTF-16 units: a device
/// ID of 23 characters was said to have 25, a workflow name of 100 emoji was refused as "200
/// characters long" against a limit of 128 (a review), a model of 40 mathematical digits was
/// "80 characters long".
/// </summary>
public class CharacterCountTests
{
    private static string Times(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    [Theory]
    [InlineData("\U0001D7CE\U0001D7CE-00-00-00-00-00-00-01", "has '\U0001D7CE' at position 1, which is not a hex digit")]
    [InlineData("00-00-00-00-00-00-00-0\U0001F600", "has '\U0001F600' at position 23, which is not a hex digit")]
    [InlineData("00-00-00-00-00-00-00\U0001F60000", "has '\U0001F600' at position 21 where the separator '-' belongs")]
    [InlineData("00-00-00-00-00-00-00-0\U0001F6001", "has 24 characters; an EUI-64 has 23")]
    [InlineData("00-00-00-00-00-00-00-0", "has 22 characters; an EUI-64 has 23")]
    [InlineData("00-00-00-00-00-00-00:01", "has ':' at position 21 where the separator '-' belongs")]
    public void DeviceId_CountsAndPositionsInCharacters(string text, string expected)
    {
        Assert.False(DeviceId.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    // Any text, lone surrogates and characters outside the BMP among the EUI-64's own: parsed, or refused
    // with a message; the message itself never throws (its first version read past the text's end).
    [FsCheck.Xunit.Property(MaxTest = 3000, QuietOnSuccess = true)]
    public bool DeviceId_AnyText_ParsedOrRefusedWithAMessage(FsCheck.NonNull<string> seed)
    {
        var text = string.Concat(seed.Get.Select(c => (c % 7) switch
        {
            0 => "\U0001F600",
            1 => "\uD835",
            2 => "-",
            _ => ((char)('0' + (c % 16 < 10 ? c % 16 : 0))).ToString(),
        }));
        foreach (var candidate in new[] { text, text.Length > 23 ? text[..23] : text, "00-00-00-00-00-00-00-" + text })
        {
            if (!DeviceId.TryParse(candidate, out _, out var error) && string.IsNullOrEmpty(error))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void Policy_NamesAndDescriptions_LimitedInCharacters()
    {
        string Policy(string workflow, string rule, string description) =>
            $$"""{ "WorkflowName": "{{workflow}}", "Description": "{{description}}", "Rules": [ { "RuleName": "{{rule}}", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }""";

        var fits = PolicyCatalog.Parse(Policy(Times("\U0001F600", 128), Times("\U0001D7CE", 128), Times("\U0001F600", 2000)), "fits.json");
        Assert.Equal(Times("\U0001F600", 128), fits.Name);

        var problems = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(Policy(Times("\U0001F600", 129), "r", Times("\U0001F600", 2001)), "long.json")).Problems;
        Assert.Contains(problems, p => p.Message.StartsWith("\"WorkflowName\" is 129 characters long; at most 128", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message.StartsWith("\"Description\" is 2,001 characters long; at most 2,000", StringComparison.Ordinal));
    }

    [Fact]
    public void Expression_LimitedInCharacters_ThePlaceItPassesTheLimit()
    {
        var fits = "device.Model == \"" + Times("\U0001D7CE", 4096 - 18) + "\"";
        Assert.Equal(4096, Untrusted.Characters(fits));
        Assert.NotNull(Smi.Retention.Rules.ExpressionLexer.Tokens(fits, out var problem));
        Assert.Null(problem);

        var over = fits + " ";
        Assert.Null(Smi.Retention.Rules.ExpressionLexer.Tokens(over, out problem));
        Assert.Equal(over.Length - 1, problem!.Value.Position); // the UTF-16 index of the 4,097th character: where an editor puts it
        Assert.StartsWith("The expression is 4,097 characters long", problem.Value.Message, StringComparison.Ordinal);
    }

    // A problem's place inside an expression, in its message, counts characters: "at character 27" for the 25th (a review).
    [Fact]
    public void Expression_AProblemsPlaceInItsMessage_InCharacters()
    {
        var problems = Assert.Throws<PolicyValidationException>(() => PolicyCatalog.Parse(
            """{ "WorkflowName": "w", "Rules": [ { "RuleName": "r", "Expression": "device.Model == \"\ud83d\ude00\ud83d\ude00\" && \ud835\udc00", "SuccessEvent": "Retain" } ] }""",
            "atchar.json")).Problems;
        Assert.Contains(problems, p => p.Message.Contains("at character 25 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Model_LimitedInCharacters()
    {
        Assert.True(SmetsGenerations.IsValidModel(Times("\U0001D7CE", 64), out _));
        Assert.False(SmetsGenerations.IsValidModel(Times("\U0001D7CE", 65), out var error));
        Assert.Contains("65 characters long", error, StringComparison.Ordinal);
        _ = new DeviceRecord(new DeviceId(1), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2019, 1, 1), model: Times("\U0001D7CE", 64));
    }
}
