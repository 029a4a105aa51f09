namespace Smi.Retention.Hosting;

/// <summary>A device a run could not decide.</summary>
/// <param name="Position">Its 0-based position in the inventory.</param>
/// <param name="Id">Its id, or null for an uninitialised record.</param>
/// <param name="Reason">Why, and how to fix it.</param>
public sealed record UndeterminedDevice(long Position, DeviceId? Id, string Reason);
