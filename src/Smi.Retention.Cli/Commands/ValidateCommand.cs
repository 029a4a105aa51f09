using System.CommandLine;
using System.Globalization;
using NodaTime.Text;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>validate</c>: exit 0 for a valid policy, or exit 2 listing every problem.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var command = new Command("validate", "Check a policy completely: exit 0, or exit 2 listing every problem (rule, line and column, hint).") { policy };
        command.SetAction(result => context.Guarded(() =>
        {
            var compiled = CommonOptions.LoadPolicy(result.GetValue(policy)!, BoundaryMode.OnCorrespondingDate);
            var c = CultureInfo.InvariantCulture;
            context.Output.WriteLine(string.Create(c, $"{compiled.Name} is valid (sha256 {compiled.ContentHash})."));
            foreach (var version in compiled.Timeline.Versions)
            {
                var from = version.EffectiveFrom is { } date ? "from " + LocalDatePattern.Iso.Format(date) : "from the beginning";
                var enabled = version.Policy.Rules.Count(r => r.Enabled);
                context.Output.WriteLine(string.Create(c, $"  {version.Policy.Name}, {from}: {enabled} rule{(enabled == 1 ? "" : "s")}, periods {string.Join(", ", version.Policy.Periods)}"));
                foreach (var rule in version.Policy.Rules)
                {
                    context.Output.WriteLine(string.Create(c, $"    {rule.Index + 1}. {rule.Name} -> {rule.Action}{(rule.Enabled ? "" : " (disabled)")}: {rule.Expression}"));
                }
            }

            var warnings = PolicyLint.Check(compiled.Timeline);
            foreach (var warning in warnings)
            {
                context.Output.WriteLine(warning.ToString());
            }

            context.Output.WriteLine(warnings.Count == 0 ? "No warnings." : string.Create(c, $"{warnings.Count} warning{(warnings.Count == 1 ? "" : "s")}."));
            return ExitCodes.Done;
        }));
        return command;
    }
}
