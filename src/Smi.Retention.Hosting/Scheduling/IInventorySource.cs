using NodaTime;

namespace Smi.Retention.Hosting.Scheduling;

/// <summary>Where a scheduled run takes the inventory from: the host registers one (the SMI's database, an export).</summary>
public interface IInventorySource
{
    /// <summary>Streams the inventory as it stands for the run of <paramref name="asOf"/>.</summary>
    /// <param name="asOf">The London date of the run.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>Every device, once each.</returns>
    IAsyncEnumerable<DeviceRecord> ReadAsync(LocalDate asOf, CancellationToken cancellationToken);
}
