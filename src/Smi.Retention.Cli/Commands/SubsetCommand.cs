using System.CommandLine;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Cli.Reports.Models;
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
            var answer = SubsetReport.Of(candidate, reference, PolicySubset.Check(candidate.Timeline, reference.Timeline, mode));
            context.Render(answer, json);
            return answer.IsSubset ? ExitCodes.Done : ExitCodes.NotASubset;
        }));
        return command;
    }
}
