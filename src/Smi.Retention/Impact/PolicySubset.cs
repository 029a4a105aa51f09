using Smi.Retention.Evaluation;
using Smi.Retention.Policies;
using Smi.Retention.Rules;

namespace Smi.Retention.Impact;

/// <summary>
/// Decides exactly whether one policy (or timeline) removes only devices another also removes, for
/// every device and every date: over the finite vocabulary (types, statuses, prior-status sets, and
/// where either tests them the SMETS generations and models, recorded or not), the
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
                var (generations, models) = VocabularyStates.Details([inB.PolicyInForce.Table, inA.PolicyInForce.Table]);
                foreach (var state in VocabularyStates.All(generations, models))
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
