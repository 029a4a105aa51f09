namespace Smi.Retention.Evaluation;

/// <summary>One device a record lacking a fact could be (<see cref="DecisionExplanation.PossibleDevices"/>), and its decision.</summary>
/// <param name="Device">The record with a value in place of what it lacks (a model the rules do not name is shown as "another model").</param>
/// <param name="Decision">What the policy decides for that device.</param>
public sealed record PossibleDevice(DeviceRecord Device, RetentionDecision Decision);
