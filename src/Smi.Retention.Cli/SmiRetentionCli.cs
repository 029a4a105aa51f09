using System.CommandLine;
using Smi.Retention.Cli.Commands;

namespace Smi.Retention.Cli;

/// <summary>
/// The command line: <c>run</c>, <c>validate</c>, <c>explain</c>, <c>generate</c>, <c>policies</c>.
/// Exit codes: 0 done; 2 bad usage, an unreadable file or an invalid policy; 3 refused by the guard.
/// </summary>
internal static class SmiRetentionCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive)
    {
        var context = new CliContext(output, error, interactive);
        var root = new RootCommand("smi-retention: apply SEC Appendix AC 7.2 housekeeping policies to a Smart Metering Inventory.")
        {
            RunCommand.Create(context),
            ValidateCommand.Create(context),
            ExplainCommand.Create(context),
            GenerateCommand.Create(context),
            PoliciesCommand.Create(context),
            DiffCommand.Create(context),
            ForecastCommand.Create(context),
            SubsetCommand.Create(context),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                error.WriteLine(problem.Message);
            }

            error.WriteLine("Run 'smi-retention --help' for the commands and their options.");
            return ExitCodes.BadInput;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = true });
    }
}
