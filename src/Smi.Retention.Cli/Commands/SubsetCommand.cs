using System.CommandLine;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>subset</c>: does one policy remove only devices another removes too? Decided exactly.</summary>
internal static class SubsetCommand
{
    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var of = new Option<string>("--of") { Description = "The policy that must remove every device --policy removes.", Required = true };
        var boundary = CommonOptions.Boundary();
        var format = CommonOptions.Format();
        var command = new Command("subset", "Decide exactly whether --policy removes only devices --of also removes, for every device and date; exit 0 for yes, 1 for no with a counterexample.")
        {
            policy, of, boundary, format,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            var json = JsonReport.IsJson(result.GetValue(format));
            var mode = CommonOptions.ParseBoundary(result.GetValue(boundary));
            var candidate = CommandInputs.LoadPolicy(result.GetValue(policy)!, mode);
            var reference = CommandInputs.LoadPolicy(result.GetValue(of)!, mode);
            CommandInputs.CheckStandardStreams(context, [.. CommandInputs.Inputs("--policy", candidate), .. CommandInputs.Inputs("--of", reference)]);
            var answer = PolicySubset.Check(candidate.Timeline, reference.Timeline, mode);
            if (json)
            {
                Print(context, candidate, reference, answer);
            }
            else
            {
                context.Output.WriteLine(answer.ToString());
            }

            return answer.IsSubset ? ExitCodes.Done : ExitCodes.NotASubset;
        }));
        return command;
    }

    /// <summary>The answer as one JSON document (schemas/output/subset.schema.json).</summary>
    private static void Print(CliContext context, CompiledPolicy candidate, CompiledPolicy reference, SubsetResult answer)
    {
        using var report = JsonReport.Start(context.Output, "subset");
        var json = report.Writer;
        JsonReport.Policy(json, "candidate", candidate);
        JsonReport.Policy(json, "reference", reference);
        json.WriteString("boundary", candidate.Boundary.ToString());
        json.WriteBoolean("isSubset", answer.IsSubset);
        if (answer.Counterexample is not { } example)
        {
            json.WriteNull("counterexample");
            return;
        }

        json.WriteStartObject("counterexample");
        JsonReport.Device(json, "device", example.Device);
        JsonReport.Date(json, "asOf", example.AsOf);
        JsonReport.Decision(json, "candidateDecision", example.CandidateDecision);
        JsonReport.Decision(json, "referenceDecision", example.ReferenceDecision);
        json.WriteEndObject();
    }
}
