using System.CommandLine;
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
        var command = new Command("subset", "Decide exactly whether --policy removes only devices --of also removes, for every device and date; exit 0 for yes, 1 for no with a counterexample.")
        {
            policy, of, boundary,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            var mode = CommonOptions.ParseBoundary(result.GetValue(boundary));
            var candidate = CommonOptions.LoadPolicy(result.GetValue(policy)!, mode);
            var reference = CommonOptions.LoadPolicy(result.GetValue(of)!, mode);
            var answer = PolicySubset.Check(candidate.Timeline, reference.Timeline, mode);
            context.Output.WriteLine(answer.ToString());
            return answer.IsSubset ? ExitCodes.Done : ExitCodes.NotASubset;
        }));
        return command;
    }
}
