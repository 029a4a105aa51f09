using System.Text;
using NodaTime;
using Smi.Retention.Cli.Output;

namespace Smi.Retention.Tests.Cli;

/// <summary>The decisions file's rows, copied per kind of decision, against the field-by-field CSV writer.</summary>
public sealed class DecisionRowsTests
{
    // Every kind a policy of many rules can give (its rules decided with and without a due date,
    // removed with and without an alert, undetermined for different reasons), each written many
    // times in a random order: more kinds than the short list holds, so the table behind it is used too.
    [Fact]
    public void ManyKindsOfDecision_InAnyOrder_EachRowAsTheFieldWriterWritesIt()
    {
        var (name, json) = SyntheticPolicies.Worst("many-rules")[0];
        var rules = CompiledPolicy.Compile(PolicyCatalog.Parse(json, name)).Timeline.Versions[0].Policy.Rules;
        var due = new LocalDate(2027, 2, 28);
        List<RetentionDecision> kinds = [RetentionDecision.Decided(RetentionAction.Retain, null, null), RetentionDecision.Decided(RetentionAction.Retain, null, due), RetentionDecision.Undetermined("one problem"), RetentionDecision.Undetermined("another")];
        foreach (var rule in rules)
        {
            kinds.Add(RetentionDecision.Decided(rule.Action, rule, null));
            kinds.Add(RetentionDecision.Decided(RetentionAction.Retain, rule, due.PlusDays(rule.Index)));
            kinds.Add(RetentionDecision.Removed(rule, due));
            kinds.Add(RetentionDecision.Removed(new AlertedRemoval(rule, "N8, \"" + rule.Name + "\""), due.PlusDays(-rule.Index)));
        }

        Assert.True(kinds.Count > 100, $"{kinds.Count} kinds");
        var random = new Random(20261205);
        var order = Enumerable.Range(0, kinds.Count * 5).Select(i => kinds[i % kinds.Count]).OrderBy(_ => random.Next()).ToArray();

        var rows = new DecisionRows();
        var written = new CsvOutput();
        var expected = new CsvOutput();
        for (var i = 0; i < order.Length; i++)
        {
            var id = new DeviceId((ulong)i * 0x9E3779B97F4A7C15UL);
            var decision = order[i];
            rows.Write(written, id, decision);
            expected.Field(id);
            expected.Field(DecisionRows.ActionText(decision.Action));
            expected.Field(decision.Rule?.Name);
            expected.Field(decision.DueDate);
            expected.Field(decision.Alert);
            expected.EndRow();
        }

        var wanted = Encoding.UTF8.GetString(expected.Written(0, expected.Length)).Split('\n');
        var got = Encoding.UTF8.GetString(written.Written(0, written.Length)).Split('\n');
        Assert.Equal(wanted.Length, got.Length);
        Assert.All(wanted.Zip(got), pair => Assert.Equal(pair.First, pair.Second));
    }
}
