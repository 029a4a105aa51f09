using System.Linq.Expressions;

namespace Smi.Retention.Tests.Policies;

/// <summary>
/// The one place that reads the parser's message text (<see cref="ExpressionReader.UnknownNames"/>)
/// depends on System.Linq.Dynamic.Core's wording: pinned here to the version in use, so that an
/// upgrade fails this test and the scraping is checked again, rather than silently losing the hint.
/// </summary>
public class ExpressionReaderTests
{
    private const string PinnedVersion = "1.6.2.0";

    [Fact]
    public void Parser_IsTheVersionTheScrapingWasWrittenFor() =>
        Assert.Equal(PinnedVersion, typeof(System.Linq.Dynamic.Core.DynamicExpressionParser).Assembly.GetName().Version?.ToString());

    [Theory]
    [InlineData("device.Type == \"COMMSHUB\"", "DeviceType' expected")]
    [InlineData("device.Status == \"Live\"", "SmiStatus' expected")]
    public void Parser_SaysWhichTypeItExpected_AsTheScrapingReadsIt(string expression, string expected)
    {
        var device = Expression.Parameter(typeof(DeviceFacts), "device");
        var parser = new RulesEngine.ExpressionBuilders.RuleExpressionParser(ExpressionReader.EngineSettings);
        var error = Assert.Throws<System.Linq.Dynamic.Core.Exceptions.ParseException>(() => parser.Parse(expression, [device], typeof(bool)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(ExpressionReader.UnknownNames(expression, error.Message));
    }
}
