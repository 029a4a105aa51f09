namespace Smi.Retention.Impact;

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
            + $" (previously held: {(d.PriorStatuses.IsEmpty ? "none" : d.PriorStatuses.ToString())}{Details(d)}) as of {NodaTime.Text.LocalDatePattern.Iso.Format(asOf)}:"
            + $" {Candidate} says {byCandidate}; {Reference} says {byReference}.";
    }

    /// <summary>The generation and model, where either policy tests them (a counterexample has both or neither told).</summary>
    private static string Details(DeviceRecord device) =>
        device.Generation == SmetsGeneration.Unknown && device.Model is null ? ""
            : $"; generation: {(device.Generation == SmetsGeneration.Unknown ? "not recorded" : device.Generation)}; model: {(device.Model is { } m ? Text.Untrusted.Show(m) : "not recorded")}";
}
