using NodaTime;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Reports.Models;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>diff --symbolic</c>: what a policy change means for every possible device, from the two policies alone.</summary>
internal static class SymbolicDiffCommand
{
    public static int Execute(CliContext context, string policyName, string againstName, LocalDate? asOf, BoundaryMode boundary, bool json)
    {
        var proposed = CommandInputs.LoadPolicy(policyName, boundary);
        var current = CommandInputs.LoadPolicy(againstName, boundary, "--against");
        CommandInputs.CheckStandardStreams(context, [.. CommandInputs.Inputs("--policy", proposed), .. CommandInputs.Inputs("--against", current)]);
        SymbolicDiffResult result;
        try
        {
            result = SymbolicDiff.Compare(proposed.Timeline, current.Timeline, boundary, asOf);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "asOf")
        {
            throw new Problems.UsageException(Problems.ProblemCodes.OptionValue, (asOf is null ? "A policy version's date: " : "--as-of ") + Text.Untrusted.Show(e.Message.Split(" (Parameter", 2)[0], 1000));
        }
        catch (NotSupportedException e)
        {
            throw new Problems.UsageException(Problems.ProblemCodes.OptionValue, "--symbolic: " + CliMessages.SymbolicNeedsInventory(e.Message));
        }

        context.Cancellation.ThrowIfCancellationRequested();
        context.Render(SymbolicDiffReport.Of(proposed, current, result), json);
        return ExitCodes.Done;
    }
}
