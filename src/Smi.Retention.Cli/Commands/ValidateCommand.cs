using System.CommandLine;
using System.Globalization;
using NodaTime.Text;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>validate</c>: exit 0 for a valid policy, or exit 2 listing every problem; with <c>--strict</c>, exit 1 when it has warnings.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var strict = new Option<bool>("--strict") { Description = "Fail (exit 1) when the policy is valid but has warnings, e.g. in a policy repository's CI." };
        var command = new Command("validate", "Check a policy completely: exit 0, or exit 2 listing every problem (rule, line and column, hint).") { policy, strict };
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
            if (warnings.Count > 0 && result.GetValue(strict))
            {
                context.Error.WriteLine(CliMessages.StrictWarnings(warnings.Count));
                return ExitCodes.StrictWarnings;
            }

            return ExitCodes.Done;
        }));
        return command;
    }
}
