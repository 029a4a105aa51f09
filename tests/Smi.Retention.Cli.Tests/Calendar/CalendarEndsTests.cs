using System.Net.Http.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Smi.Retention.Cli.Workbench;
using Smi.Retention.Tests.Workbench;

namespace Smi.Retention.Tests.Calendar;

/// <summary>
/// At the ends of NodaTime's calendar every member of the vocabulary still gives a decision or an
/// undetermined one with its reason, through evaluation, explanation, forecast, the tool and the
/// workbench alike: a period whose end is past the last date never elapses, a cutoff before the
/// first date admits no device. (explain of a device pending since 9999-06-01 was an internal error.)
/// </summary>
public sealed class CalendarEndsTests : IDisposable
{
    private const string Header = "device_id,device_type,status,status_since,prior_statuses";
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>One Remove rule per member as the vocabulary shows it, and one per member negated, each of pending devices (a Remove rule removes no other).</summary>
    public static IEnumerable<string> MemberExpressions() => Vocabulary.Members.SelectMany(m => new[] { $"device.Status == \"Pending\" && ({m.Example})", $"device.Status == \"Pending\" && !({m.Example})" });

    public static Arbitrary<(string Expression, DeviceRecord Device, LocalDate AsOf)> AtTheEnds() => Arb.From(
        from expression in Gen.Elements(MemberExpressions().ToArray())
        from end in Gen.Elements(LocalDate.MinIsoValue, LocalDate.MaxIsoValue.PlusDays(-366))
        from sinceDays in Gen.Choose(0, 366)
        from laterDays in Gen.Choose(0, 400)
        from device in PolicyArbitraries.Records()
        let since = end.PlusDays(sinceDays)
        let asOf = LocalDate.Max(since, since.PlusDays(Math.Min(laterDays, Period.Between(since, LocalDate.MaxIsoValue, PeriodUnits.Days).Days)))
        select (expression, new DeviceRecord(device.Id, device.Type, device.Status, since, device.PriorStatuses), asOf));

    public static Arbitrary<BoundaryMode> Boundary() => CalendarArbitraries.BoundaryMode();

    [Property(Arbitrary = [typeof(CalendarEndsTests)], MaxTest = 600, QuietOnSuccess = true)]
    public void EveryMember_DatesAtTheEnds_DecidedOrUndeterminedWithAReason((string Expression, DeviceRecord Device, LocalDate AsOf) sample, BoundaryMode boundary)
    {
        var (expression, device, asOf) = sample;
        var policy = CompiledPolicy.Compile(PolicyCatalog.Parse(Policy(expression)), boundary);

        var decision = policy.Evaluate(device, asOf);
        Assert.True(decision.Action != RetentionAction.Undetermined || !string.IsNullOrEmpty(decision.Problem), decision.ToString());

        var explanation = policy.For(asOf).Explain(device);
        Assert.Equal(decision, explanation.Decision);
        Assert.Contains("Decision: ", explanation.Text, StringComparison.Ordinal);
        if (decision.Rule is { } rule)
        {
            Assert.True(explanation.Rules[rule.Index].Matched, explanation.Text);
        }

        try
        {
            Assert.Equal(1, Smi.Retention.Impact.PolicyForecast.Run(policy, [device], asOf, 12).DevicesRead);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "months")
        {
            Assert.StartsWith("A forecast of 12 months from", e.Message, StringComparison.Ordinal); // a window past 9999-12-31: refused, saying so
        }
    }

    // The case: run decided the device and explain was an internal error (exit 70).
    [Theory]
    [InlineData("9999-06-01", "9999-12-31")]
    [InlineData("0001-01-01", "0001-06-01")] // the tool reads years 0001 to 9999; the library's own range is tested above
    [InlineData("9999-12-31", "9999-12-31")]
    public void Tool_ExplainAndRunAtTheEnds_AgreeAndNeverFailInside(string since, string asOf)
    {
        var policy = _cli.Write("not-yet.json", Policy("device.Status == \"Pending\" && !device.HeldFor(\"P12M\")"));
        var inventory = _cli.Write("inventory.csv", $"{Header}\n00-00-00-00-00-00-00-01,ESME,Pending,{since},\n");
        var out_ = _cli.PathOf("out.csv");

        var explained = _cli.Run("explain", "--policy", policy, "--type", "ESME", "--status", "Pending", "--since", since, "--as-of", asOf);
        var run = _cli.Run("run", "--policy", policy, "--inventory", inventory, "--as-of", asOf, "--max-removal-percent", "100", "--out", out_);

        Assert.Equal((0, ""), (explained.Exit, explained.Error));
        Assert.Equal(0, run.Exit);
        Assert.Contains("Decision: Remove by rule 'r'", explained.Output, StringComparison.Ordinal);
        Assert.StartsWith("00-00-00-00-00-00-00-01,Remove,r,", File.ReadAllLines(out_)[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workbench_ExplainAtTheEndOfTime_AnExplanationNotAnError()
    {
        await using var bench = await WorkbenchHarness.StartAsync(devices: 100);
        var text = Policy("device.Status == \"Pending\" && !device.HeldFor(\"P12M\")");
        var response = await bench.PostAsync("/api/explain", new { text, device = new { type = "ESME", status = "Pending", since = "9999-06-01", prior = "", asOf = "9999-12-31" } });

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var explanation = (await response.Content.ReadFromJsonAsync<WorkbenchExplanation>(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))!;
        Assert.Contains("Decision: Remove by rule 'r'", explanation.Text, StringComparison.Ordinal);
    }

    private static string Policy(string expression) =>
        $$"""{ "WorkflowName": "ends", "Rules": [ { "RuleName": "r", "Expression": {{System.Text.Json.JsonSerializer.Serialize(expression)}}, "SuccessEvent": "Remove" } ] }""";
}
