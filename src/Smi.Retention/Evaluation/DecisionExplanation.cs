using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Policies;
using Smi.Retention.Rules;
using Smi.Retention.Text;

namespace Smi.Retention.Evaluation;

/// <summary>
/// Why a policy decided what it did for one device: every rule in order, matched or not, with the
/// tests it made and the dates involved (since, corresponding date, due date, cutoff, as-of).
/// </summary>
public sealed class DecisionExplanation
{
    private DecisionExplanation(RetentionDecision decision, IReadOnlyList<RuleTrace> rules, string text, IReadOnlyList<PossibleDevice>? possible = null, LocalDate? removedWhateverItLacks = null)
    {
        Decision = decision;
        RemovedWhateverItLacksOn = removedWhateverItLacks;
        Rules = rules;
        Text = text;
        PossibleDevices = possible ?? [];
    }

    /// <summary>
    /// When the record lacks a fact a rule tests (its SMETS generation or model), each device it could
    /// be (each generation; each model the rules name, and one they do not) with that device's
    /// decision; empty when it lacks none.
    /// </summary>
    public IReadOnlyList<PossibleDevice> PossibleDevices { get; }

    /// <summary>The decision explained.</summary>
    public RetentionDecision Decision { get; }

    /// <summary>
    /// For a device undetermined because it lacks a fact a rule tests: the first later date on which
    /// a later period or timeline version removes it whatever the fact (the month a forecast counts
    /// it in), if nothing about it changes; null otherwise. The decision itself has no due date.
    /// </summary>
    public LocalDate? RemovedWhateverItLacksOn { get; }

    /// <summary>Each rule of the policy in force, in order.</summary>
    public IReadOnlyList<RuleTrace> Rules { get; }

    /// <summary>The explanation as text for a person.</summary>
    public string Text { get; }

    /// <inheritdoc />
    public override string ToString() => Text;

    internal static DecisionExplanation Create(PolicyEvaluator evaluator, DeviceRecord device, RetentionDecision decision)
    {
        var policy = evaluator.PolicyInForce;
        var text = new StringBuilder();
        var compiled = evaluator.Policy;
        Line(text, $"Policy: {compiled.Name} (sha256 {compiled.ContentHash[..12]})" +
            (compiled.Timeline.Versions.Count > 1 ? $", version in force: {policy.Name}" : ""));
        if (!device.IsInitialized)
        {
            Line(text, $"Decision: {decision}");
            return new DecisionExplanation(decision, [], text.ToString());
        }

        var prior = device.PriorStatuses.IsEmpty ? "none" : device.PriorStatuses.ToString();
        var table = policy.Table;
        var details = table.ReadsDetails || device.Generation != SmetsGeneration.Unknown || device.Model is not null
            ? $", generation: {(device.Generation == SmetsGeneration.Unknown ? "not recorded" : device.Generation)}, model: {(device.Model is { } m ? Untrusted.Show(m) : "not recorded")}"
            : "";
        Line(text, $"Device: {device.Id} {device.Type}, {device.Status} since {Iso(device.StatusSince)}, previously held: {prior}{details}");
        Line(text, $"As of: {Iso(evaluator.AsOf)} (London), boundary: {evaluator.Boundary}");
        Line(text, "Rules, in order; the first that matches decides:");

        // The devices this record could be: itself, or, where it lacks a fact a rule tests, one for each value the rules tell apart.
        var completions = Completions(table, device);
        var lacking = completions.Length > 1;
        var traces = new List<RuleTrace>();
        var decided = false;
        foreach (var rule in policy.Rules)
        {
            if (!rule.Enabled || (decision.Action == RetentionAction.Undetermined && !lacking))
            {
                traces.Add(new RuleTrace(rule, false, []));
                Line(text, $"  {rule.Index + 1}. {rule.Name} -> {rule.Action}: {(rule.Enabled ? "not evaluated" : "disabled")}");
                continue;
            }

            var facts = ConditionLogic.Tests(rule.Condition).Distinct().Select(t => Explain(t, evaluator, device)).ToArray();
            var matchedBy = completions.Where(c => ConditionLogic.Evaluate(
                rule.Condition, c.State, p => RetentionCalendar.HasElapsed(device.StatusSince, p, evaluator.AsOf, evaluator.Boundary))).ToArray();
            var matched = matchedBy.Length == completions.Length;
            var outcome = matched ? (decided ? "matched, but an earlier rule decided" : "matched: decides")
                : matchedBy.Length == 0 ? "not matched"
                : $"matched {string.Join(" or ", matchedBy.Select(c => c.Words))}, not {string.Join(" or ", completions.Except(matchedBy).Select(c => c.Words))}";
            decided |= matched;
            traces.Add(new RuleTrace(rule, matched, facts));
            Line(text, $"  {rule.Index + 1}. {rule.Name} -> {rule.Action}: {outcome}");
            Line(text, $"       {rule.Expression}");
            foreach (var fact in facts)
            {
                Line(text, $"       - {fact}");
            }
        }

        var readings = lacking ? completions.Select(c => evaluator.Evaluate(c.Record)).ToArray() : [];
        if (lacking)
        {
            Line(text, "The record lacks a fact the rules test; the devices it could be are decided:");
            for (var i = 0; i < completions.Length; i++)
            {
                Line(text, $"  {completions[i].Words}: {Outcome(readings[i])}");
            }
        }

        LocalDate? removedWhateverItLacks = null;
        var outcomeText = decision.Action switch
        {
            RetentionAction.Undetermined => $"Undetermined: {decision.Problem}",
            RetentionAction.Retain when lacking && decision.Rule is null && readings.Any(r => r.Rule is not null) => "Retain (every device it could be is retained, not by one rule)",
            _ when decision.Rule is null => $"{decision.Action} (no rule matched)",
            _ => $"{decision.Action} by rule '{decision.Rule.Name}'",
        };
        Line(text, $"Decision: {outcomeText}");
        if (decision.Action != RetentionAction.Undetermined)
        {
            Line(text, decision.DueDate is { } due
                ? (decision.IsRemoval ? $"Removable since: {Iso(due)}" : $"Due for removal on: {Iso(due)}{UnderLaterVersion(compiled.Timeline, policy, due)}, if nothing about the device changes")
                : "Due for removal: never, if nothing about the device changes");
        }
        else if (evaluator.NextRemovalOfUndetermined(device, out var whatever))
        {
            removedWhateverItLacks = whatever;
            // Undetermined now for what it lacks, but removed whatever that is on a later day: the forecast counts it then.
            Line(text, $"Removed whatever it lacks on: {Iso(whatever)}{UnderLaterVersion(compiled.Timeline, policy, whatever)}, if nothing about the device changes");
        }

        // Decided now though it lacks a fact: say from when the decision will need it (the first later period's due date on which it is undetermined).
        if (lacking && decision.Action != RetentionAction.Undetermined && NeedsTheFactFrom(evaluator, device) is { } from)
        {
            Line(text, $"From {Iso(from)}, if nothing about the device changes, its decision needs what the record lacks: it will be Undetermined unless that is recorded.");
        }

        if (decision.IsRemoval)
        {
            Line(text, $"Alert: {decision.Alert ?? (device.Type.IsCommunicationsHub() ? "none (the CSP notifies Communications Hub removals)" : "none")}");
        }

        return new DecisionExplanation(decision, traces, text.ToString(), [.. completions.Take(readings.Length).Select((c, i) => new PossibleDevice(c.Record, readings[i]))], removedWhateverItLacks);
    }

    /// <summary>The first date after the as-of date, among the due dates of the policies' periods, on which the device is undetermined; null when none.</summary>
    private static LocalDate? NeedsTheFactFrom(PolicyEvaluator evaluator, DeviceRecord device)
    {
        var compiled = evaluator.Policy;
        var dates = compiled.Timeline.Versions.SelectMany(v => v.Policy.Periods)
            .Select(p => RetentionCalendar.TryDueDate(device.StatusSince, p, compiled.Boundary, out var due) ? due : (LocalDate?)null)
            .OfType<LocalDate>()
            .Concat(compiled.Timeline.Versions.Select(v => v.EffectiveFrom).OfType<LocalDate>())
            .Where(d => d > evaluator.AsOf)
            .Distinct()
            .Order();
        foreach (var date in dates)
        {
            if (compiled.For(date).Evaluate(device).Action == RetentionAction.Undetermined)
            {
                return date;
            }
        }

        return null;
    }

    private static string Outcome(RetentionDecision decision) => decision.Action switch
    {
        RetentionAction.Undetermined => $"Undetermined: {decision.Problem}",
        _ when decision.Rule is null => $"{decision.Action} (no rule matched)",
        _ => $"{decision.Action} by rule '{decision.Rule.Name}'",
    };

    /// <summary>A device the record could be, in words ("as SMETS2, model E470").</summary>
    private sealed record Completion(DeviceState State, DeviceRecord Record, string Words);

    /// <summary>
    /// The record itself when it has every fact the table's rules test; otherwise the record with
    /// each value the rules tell apart in place of what it lacks (each SMETS generation; each model
    /// the rules name, and one they do not).
    /// </summary>
    private static Completion[] Completions(DecisionTable table, DeviceRecord device)
    {
        var space = table.Space;
        var lacksGeneration = space.TestsGeneration && device.Generation == SmetsGeneration.Unknown;
        var lacksModel = space.TestsModel && device.Model is null;
        if (!lacksGeneration && !lacksModel)
        {
            return [new Completion(DeviceState.Of(device), device, "")];
        }

        var other = VocabularyStates.AnotherModel(space.Models);
        SmetsGeneration[] generations = lacksGeneration ? space.Generations : [device.Generation];
        string?[] models = lacksModel ? [.. space.Models.Select(m => m == StateSpace.OtherModel ? other : m)] : [device.Model];
        return [.. from g in generations
                   from m in models
                   let record = new DeviceRecord(device.Id, device.Type, device.Status, device.StatusSince, device.PriorStatuses, device.NotifyingParty, g, m)
                   select new Completion(DeviceState.Of(record), record, Words(lacksGeneration ? g : null, lacksModel ? (m == other ? "any model the rules do not name" : "model " + Untrusted.Show(m!)) : null))];
    }

    private static string Words(SmetsGeneration? generation, string? model) =>
        "as " + string.Join(", ", new[] { generation?.ToString(), model }.OfType<string>());

    /// <summary>One test's words, its outcome for the device, and for a period the dates that decide it.</summary>
    private static string Explain(MemberTest test, PolicyEvaluator evaluator, DeviceRecord device)
    {
        var state = DeviceState.Of(device);
        if (state.Lacks(test.Member.Reads) != 0)
        {
            return $"{test.Words}: not recorded";
        }

        if (test.Period is not { } period)
        {
            return $"{test.Words}: {YesNo(test.Holds(state, false))}";
        }

        var since = device.StatusSince;
        if (!RetentionCalendar.TryDueDate(since, period, evaluator.Boundary, out var due))
        {
            return $"{test.Words}: {YesNo(test.Holds(state, false))} ({Iso(since)} + {period.Months} months is after the calendar's last date, {Iso(LocalDate.MaxIsoValue)}: never elapsed; as of {Iso(evaluator.AsOf)})";
        }

        var corresponding = RetentionCalendar.CorrespondingDate(since, period);
        var elapsed = due <= evaluator.AsOf;
        var dueText = due == corresponding ? "" : $", removable from {Iso(due)}";
        var cutoff = evaluator.CutoffFor(period) is { } c ? $"; cutoff {Iso(c)}" : "";
        return $"{test.Words}: {YesNo(test.Holds(state, elapsed))} ({Iso(since)} + {period.Months} months = {Iso(corresponding)}{dueText}{cutoff}; as of {Iso(evaluator.AsOf)})";
    }

    private static string UnderLaterVersion(RetentionTimeline timeline, RetentionPolicy inForce, LocalDate due)
    {
        var version = timeline.Versions[timeline.VersionIndexAt(due)];
        return ReferenceEquals(version.Policy, inForce) || version.EffectiveFrom is not { } from
            ? ""
            : $" under {version.Policy.Name}, in force from {Iso(from)}";
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
