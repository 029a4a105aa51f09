using System.CommandLine;
using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>policies</c>: the built-in policies, one line each.</summary>
internal static class PoliciesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("policies", "List the built-in policies.");
        command.SetAction(_ =>
        {
            foreach (var (name, summary) in PolicyCatalog.BuiltInSummaries)
            {
                context.Output.WriteLine($"{name,-30}{summary}");
            }

            return ExitCodes.Done;
        });
        return command;
    }
}
