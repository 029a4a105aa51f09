using System.CommandLine;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Evaluation;
using Smi.Retention.Cli.Reports.Models;
using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>validate</c>: exit 0 for a valid policy, or exit 2 listing every problem; with <c>--strict</c>, exit 1 when it has warnings.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var strict = new Option<bool>("--strict") { Description = "Fail (exit 1) when the policy is valid but has warnings, e.g. in a policy repository's CI." };
        var format = CommonOptions.Format();
        var command = new Command("validate", "Check a policy completely: exit 0, or exit 2 listing every problem (rule, line and column, hint).") { policy, strict, format };
        command.SetAction(result => context.Guarded(() =>
        {
            var json = JsonReport.IsJson(result.GetValue(format));
            var report = Build(context, result.GetValue(policy)!, result.GetValue(strict), json);
            context.Render(report, json);
            if (!json && report.ExitCode == ExitCodes.StrictWarnings)
            {
                context.Error.WriteLine(CliMessages.StrictWarnings(report.Warnings.Count));
            }

            return report.ExitCode;
        }));
        return command;
    }

    /// <summary>
    /// Loads the policy and lints it. An invalid policy is a usage error listing every problem in
    /// text, and the report of its problems in JSON (exit 2 either way).
    /// </summary>
    private static ValidateReport Build(CliContext context, string nameOrPath, bool strict, bool json)
    {
        CompiledPolicy compiled;
        try
        {
            compiled = CommandInputs.LoadPolicy(nameOrPath, BoundaryMode.OnCorrespondingDate, problems: json);
        }
        catch (PolicyValidationException e) when (json)
        {
            CommandInputs.CheckStandardStreams(context, [("--policy", nameOrPath)]);
            return ValidateReport.Invalid(e.Problems, strict);
        }

        CommandInputs.CheckStandardStreams(context, CommandInputs.Inputs("--policy", compiled));
        return ValidateReport.Of(compiled, strict);
    }
}
