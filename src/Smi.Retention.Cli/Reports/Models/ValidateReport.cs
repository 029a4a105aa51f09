using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Cli.Problems;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary><c>validate</c>'s result: the policy's versions and rules and its lint warnings, or every problem of an invalid one.</summary>
/// <param name="Valid">Whether the policy loaded.</param>
/// <param name="Strict">Whether warnings fail the command (<c>--strict</c>).</param>
/// <param name="Policy">The policy, or null when it is invalid.</param>
/// <param name="Versions">Its versions, each with its date, periods and rules; empty when invalid.</param>
/// <param name="Warnings">Its lint warnings.</param>
/// <param name="Problems">Every problem of an invalid policy; empty when valid.</param>
internal sealed record ValidateReport(
    bool Valid, bool Strict, PolicyRef? Policy, IReadOnlyList<ValidateReport.Version> Versions, IReadOnlyList<WarningFacts> Warnings, IReadOnlyList<ProblemFacts> Problems)
    : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "validate";

    /// <summary>The report of a policy that loaded.</summary>
    public static ValidateReport Of(CompiledPolicy policy, bool strict) =>
        new(true, strict, PolicyRef.Of(policy),
            [.. policy.Timeline.Versions.Select(v => new Version(
                v.Policy.Name, v.EffectiveFrom, [.. v.Policy.Periods.Select(p => p.ToString())],
                [.. v.Policy.Rules.Select(r => new Rule(r.Name, r.Action, r.Enabled, r.Expression))]))],
            [.. PolicyLint.Check(policy.Timeline).Select(WarningFacts.Of)],
            []);

    /// <summary>The report of a policy that did not load: its problems (a file that cannot be read is one problem without a place).</summary>
    public static ValidateReport Invalid(IReadOnlyList<PolicyProblem> problems, bool strict)
    {
        var code = problems.Count == 1 && problems[0].Line == 0 ? ProblemCodes.PolicyUnreadable : ProblemCodes.PolicyInvalid;
        return new(false, strict, null, [], [], [.. problems.Select(p => ProblemFacts.Of(p, code))]);
    }

    /// <summary>The exit code: bad input when invalid, warnings under <c>--strict</c>, else done.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int ExitCode => !Valid ? ExitCodes.BadInput : Strict && Warnings.Count > 0 ? ExitCodes.StrictWarnings : ExitCodes.Done;

    /// <inheritdoc/>
    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{Policy!.Name} is valid (sha256 {Policy.Sha256})."));
        foreach (var version in Versions)
        {
            var from = version.EffectiveFrom is { } date ? "from " + LocalDatePattern.Iso.Format(date) : "from the beginning";
            var disabled = version.Rules.Count(r => !r.Enabled); // listed below, so counted: "2 rules (1 disabled)"
            output.WriteLine(string.Create(c, $"  {version.Policy}, {from}: {version.Rules.Count} rule{(version.Rules.Count == 1 ? "" : "s")}{(disabled == 0 ? "" : $" ({disabled} disabled)")}, periods {string.Join(", ", version.Periods)}"));
            foreach (var (rule, index) in version.Rules.Select((r, i) => (r, i)))
            {
                output.WriteLine(string.Create(c, $"    {index + 1}. {rule.Name} -> {rule.Action}{(rule.Enabled ? "" : " (disabled)")}: {rule.Expression}"));
            }
        }

        foreach (var warning in Warnings)
        {
            output.WriteLine(warning.Shown);
        }

        output.WriteLine(Warnings.Count == 0 ? "No warnings." : string.Create(c, $"{Warnings.Count} warning{(Warnings.Count == 1 ? "" : "s")}."));
    }

    /// <summary>A version of the policy's timeline.</summary>
    /// <param name="Policy">The version's policy name.</param>
    /// <param name="EffectiveFrom">The date it takes effect, or null for the first.</param>
    /// <param name="Periods">Its distinct periods.</param>
    /// <param name="Rules">Its rules, in order.</param>
    internal sealed record Version(string Policy, LocalDate? EffectiveFrom, IReadOnlyList<string> Periods, IReadOnlyList<Rule> Rules);

    /// <summary>A rule of a version.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="Action">Remove or Retain.</param>
    /// <param name="Enabled">Whether it is tried.</param>
    /// <param name="Expression">Its expression, as written.</param>
    internal sealed record Rule(string Name, RetentionAction Action, bool Enabled, string Expression);
}
