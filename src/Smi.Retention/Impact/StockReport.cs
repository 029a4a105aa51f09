using NodaTime;

namespace Smi.Retention.Impact;

/// <summary>The pending stock of an inventory, by device type, generation and model, in bands of months pending.</summary>
public sealed class StockReport
{
    internal StockReport(LocalDate asOf, BoundaryMode boundary, long devicesRead, IReadOnlyList<StockModel> models, HubStock hubs)
    {
        AsOf = asOf;
        Boundary = boundary;
        DevicesRead = devicesRead;
        Models = models;
        Hubs = hubs;
    }

    /// <summary>The date of the count.</summary>
    public LocalDate AsOf { get; }

    /// <summary>When a month counts as held.</summary>
    public BoundaryMode Boundary { get; }

    /// <summary>Every device counted.</summary>
    public long DevicesRead { get; }

    /// <summary>Each type, generation and model with a device pending, the longest waiting first (the most months pending on average, then the most pending).</summary>
    public IReadOnlyList<StockModel> Models { get; }

    /// <summary>The pending Communications Hubs and their stock level charges.</summary>
    public HubStock Hubs { get; }

    /// <summary>Every pending device.</summary>
    public long Pending => Models.Sum(m => m.Pending);

    /// <summary>Pending devices in band <paramref name="band"/> (<see cref="StockAgeing.BandStarts"/>), of <paramref name="type"/> or of every type.</summary>
    /// <param name="band">The band's index.</param>
    /// <param name="type">The device type, or null for all.</param>
    /// <returns>The count.</returns>
    public long InBand(int band, DeviceType? type = null) => Models.Where(m => type is null || m.Type == type).Sum(m => m.ByBand[band]);

    /// <summary>A band's name: "under 6 months", "6 to 12 months", ..., "36 months or more".</summary>
    /// <param name="band">The band's index.</param>
    /// <returns>The name.</returns>
    public static string BandName(int band)
    {
        var starts = StockAgeing.BandStarts;
        return band == 0 ? $"under {starts[1]} months"
            : band == starts.Count - 1 ? $"{starts[band]} months or more"
            : $"{starts[band]} to {starts[band + 1]} months";
    }
}
