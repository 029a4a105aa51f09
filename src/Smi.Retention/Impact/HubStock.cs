namespace Smi.Retention.Impact;

/// <summary>The pending Communications Hubs (counted by their CHF) and, at a monthly rate, their DCC stock level charges.</summary>
public sealed class HubStock
{
    internal HubStock(long[] byBand, long monthsPending, decimal? monthlyRate)
    {
        ByBand = byBand;
        MonthsPending = monthsPending;
        MonthlyRate = monthlyRate;
    }

    /// <summary>Pending hubs in each band of months (<see cref="StockAgeing.BandStarts"/>).</summary>
    public IReadOnlyList<long> ByBand { get; }

    /// <summary>Every pending hub.</summary>
    public long Pending => ByBand.Sum();

    /// <summary>The whole months pending, summed over the pending hubs.</summary>
    public long MonthsPending { get; }

    /// <summary>The charge for one hub a month (GBP), or null when none was given.</summary>
    public decimal? MonthlyRate { get; }

    /// <summary>What the pending hubs cost each month at the rate, or null.</summary>
    public decimal? MonthlyCost => MonthlyRate * Pending;

    /// <summary>What they have cost while pending (each hub's whole months at the rate), or null.</summary>
    public decimal? AccruedCost => MonthlyRate * MonthsPending;
}
