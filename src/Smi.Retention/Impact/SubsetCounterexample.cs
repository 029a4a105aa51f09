using NodaTime;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Impact;

/// <summary>A device and a date on which the candidate of a <see cref="PolicySubset.Check"/> removes and the reference keeps.</summary>
/// <param name="Device">The device.</param>
/// <param name="AsOf">The date.</param>
/// <param name="CandidateDecision">The candidate's decision: a removal.</param>
/// <param name="ReferenceDecision">The reference's decision: not a removal.</param>
public sealed record SubsetCounterexample(DeviceRecord Device, LocalDate AsOf, RetentionDecision CandidateDecision, RetentionDecision ReferenceDecision);
