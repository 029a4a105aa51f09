using NodaTime;

namespace Smi.Retention.Impact;

/// <summary>One device type, generation and model's pending stock.</summary>
/// <param name="Type">The device type.</param>
/// <param name="Generation">The SMETS generation (Unknown when not recorded).</param>
/// <param name="Model">The model, or null when not recorded.</param>
/// <param name="Devices">Every device of this type, generation and model, pending or not.</param>
/// <param name="Pending">Those pending.</param>
/// <param name="ByBand">Those pending in each band of months (<see cref="StockAgeing.BandStarts"/>).</param>
/// <param name="MonthsPending">Their whole months pending, summed.</param>
/// <param name="OldestPendingSince">The earliest date from which one of them has been pending.</param>
/// <param name="LongestWaitMonths">The whole months that one has been pending.</param>
public sealed record StockModel(DeviceType Type, SmetsGeneration Generation, string? Model, long Devices, long Pending, IReadOnlyList<long> ByBand, long MonthsPending, LocalDate OldestPendingSince, int LongestWaitMonths)
{
    /// <summary>The whole months pending on average, to one decimal.</summary>
    public decimal MeanMonthsPending => Pending == 0 ? 0 : Math.Round((decimal)MonthsPending / Pending, 1);

    /// <summary>The share of this model's devices that is pending, 0 to 1.</summary>
    public decimal PendingShare => Devices == 0 ? 0 : (decimal)Pending / Devices;
}
