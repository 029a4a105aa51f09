using System.CommandLine;
using System.Globalization;
using NodaTime.Text;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
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
            if (JsonReport.IsJson(result.GetValue(format)))
            {
                return Json(context, result.GetValue(policy)!, result.GetValue(strict));
            }

            var compiled = CommandInputs.LoadPolicy(result.GetValue(policy)!, BoundaryMode.OnCorrespondingDate);
            CommandInputs.CheckStandardStreams(context, CommandInputs.Inputs("--policy", compiled));
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

    /// <summary>The validation as one JSON document (schemas/output/validate.schema.json): the problems of an invalid policy too, with exit 2.</summary>
    private static int Json(CliContext context, string nameOrPath, bool strict)
    {
        CompiledPolicy? compiled = null;
        IReadOnlyList<PolicyProblem> problems = [];
        try
        {
            compiled = CommandInputs.LoadPolicy(nameOrPath, BoundaryMode.OnCorrespondingDate, problems: true);
        }
        catch (PolicyValidationException e)
        {
            problems = e.Problems;
        }

        CommandInputs.CheckStandardStreams(context, compiled is null ? [("--policy", nameOrPath)] : CommandInputs.Inputs("--policy", compiled));
        var warnings = compiled is null ? [] : PolicyLint.Check(compiled.Timeline);
        using (var report = JsonReport.Start(context.Output, "validate"))
        {
            var json = report.Writer;
            json.WriteBoolean("valid", compiled is not null);
            json.WriteBoolean("strict", strict);
            if (compiled is null)
            {
                json.WriteNull("policy");
            }
            else
            {
                JsonReport.Policy(json, "policy", compiled);
            }

            json.WriteStartArray("versions");
            foreach (var version in compiled?.Timeline.Versions ?? [])
            {
                json.WriteStartObject();
                json.WriteString("policy", version.Policy.Name);
                JsonReport.Date(json, "effectiveFrom", version.EffectiveFrom);
                JsonReport.Strings(json, "periods", version.Policy.Periods.Select(p => p.ToString()));
                json.WriteStartArray("rules");
                foreach (var rule in version.Policy.Rules)
                {
                    json.WriteStartObject();
                    json.WriteString("name", rule.Name);
                    json.WriteString("action", rule.Action.ToString());
                    json.WriteBoolean("enabled", rule.Enabled);
                    json.WriteString("expression", rule.Expression);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            JsonReport.Warnings(json, warnings);
            // A file that cannot be read is one problem without a place (line 0).
            JsonReport.Problems(json, problems, problems.Count == 1 && problems[0].Line == 0 ? Problems.ProblemCodes.PolicyUnreadable : Problems.ProblemCodes.PolicyInvalid);
        }

        return compiled is null ? ExitCodes.BadInput : strict && warnings.Count > 0 ? ExitCodes.StrictWarnings : ExitCodes.Done;
    }
}
