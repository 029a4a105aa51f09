using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Policies;
using Smi.Retention.Rules;

namespace Smi.Retention.Impact;

/// <summary>
/// Decides exactly whether one policy (or timeline) removes only devices another also removes, for
/// every device and every date: over the finite vocabulary (types, statuses, prior-status sets), the
/// epochs of both policies' periods together, and every interval between their versions' dates.
/// </summary>
public static class PolicySubset
{
    /// <summary>Whether <paramref name="candidate"/> removes only devices <paramref name="reference"/> removes too.</summary>
    /// <param name="candidate">The policy whose removals are checked.</param>
    /// <param name="reference">The policy that must remove them as well.</param>
    /// <param name="boundary">When a period counts as elapsed, for both.</param>
    /// <returns>The answer, with a counterexample device and date when it is no.</returns>
    /// <exception cref="ArgumentNullException">A policy is null.</exception>
    public static SubsetResult Check(RetentionTimeline candidate, RetentionTimeline reference, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        var b = CompiledPolicy.Compile(candidate, boundary);
        var a = CompiledPolicy.Compile(reference, boundary);
        foreach (var (_, _, asOf) in VersionSpans.Of(candidate, reference))
        {
            var inB = b.For(asOf);
            var inA = a.For(asOf);
            var months = inB.PolicyInForce.Periods.Concat(inA.PolicyInForce.Periods).Select(p => p.Months).Distinct().Order().ToArray();
            for (var epoch = 0; epoch <= months.Length; epoch++)
            {
                // Exactly the 'epoch' shortest periods of the two policies have elapsed for this start date.
                var since = epoch == 0 ? asOf : RetentionCalendar.MonthsBefore(asOf, months[epoch - 1], boundary);
                foreach (var state in VocabularyStates.All())
                {
                    var device = VocabularyStates.Record(state, since);
                    var byB = inB.Evaluate(device);
                    if (!byB.IsRemoval)
                    {
                        continue;
                    }

                    var byA = inA.Evaluate(device);
                    if (!byA.IsRemoval)
                    {
                        return new SubsetResult(candidate.Name, reference.Name, new SubsetCounterexample(device, asOf, byB, byA));
                    }
                }
            }
        }

        return new SubsetResult(candidate.Name, reference.Name, null);
    }
}

/// <summary>The answer of <see cref="PolicySubset.Check"/>: yes, or no with a counterexample.</summary>
/// <param name="Candidate">The policy whose removals were checked.</param>
/// <param name="Reference">The policy that must remove them too.</param>
/// <param name="Counterexample">A device and date the candidate removes and the reference keeps; null when the answer is yes.</param>
public sealed record SubsetResult(string Candidate, string Reference, SubsetCounterexample? Counterexample)
{
    /// <summary>Whether every removal by the candidate, on any date, is a removal by the reference.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(false, nameof(Counterexample))]
    public bool IsSubset => Counterexample is null;

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsSubset)
        {
            return $"Yes: every device {Candidate} removes, on any date, {Reference} removes too.";
        }

        var (d, asOf, byCandidate, byReference) = Counterexample;
        return $"No: {Candidate} removes devices {Reference} keeps. For example, a device of type {d.Type}, {d.Status} since {NodaTime.Text.LocalDatePattern.Iso.Format(d.StatusSince)}"
            + $" (previously held: {(d.PriorStatuses.IsEmpty ? "none" : d.PriorStatuses.ToString())}) as of {NodaTime.Text.LocalDatePattern.Iso.Format(asOf)}:"
            + $" {Candidate} says {byCandidate}; {Reference} says {byReference}.";
    }
}

/// <summary>A device and a date on which the candidate of a <see cref="PolicySubset.Check"/> removes and the reference keeps.</summary>
/// <param name="Device">The device.</param>
/// <param name="AsOf">The date.</param>
/// <param name="CandidateDecision">The candidate's decision: a removal.</param>
/// <param name="ReferenceDecision">The reference's decision: not a removal.</param>
public sealed record SubsetCounterexample(DeviceRecord Device, LocalDate AsOf, RetentionDecision CandidateDecision, RetentionDecision ReferenceDecision);
