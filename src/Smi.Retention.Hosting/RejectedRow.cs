namespace Smi.Retention.Hosting;

/// <summary>A row of an inventory that a run did not decide.</summary>
/// <param name="Position">Its 0-based position among the rows (the records handed over).</param>
/// <param name="Line">Its line in the file or stream read, or null for a record handed over.</param>
/// <param name="DeviceId">The device_id as written (empty when there is none).</param>
/// <param name="Reason">Why, and how to fix it.</param>
public sealed record RejectedRow(long Position, long? Line, string DeviceId, string Reason);
