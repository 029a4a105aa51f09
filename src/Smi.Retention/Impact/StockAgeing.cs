using NodaTime;
using Smi.Retention.Inventory;

namespace Smi.Retention.Impact;

/// <summary>
/// How long the devices pending on the inventory have waited, by device type, SMETS generation and
/// model: the 'First in Last Out' pattern of SECMP0060 (older models, placed on the list first, leave
/// it last), and what the pending Communications Hubs cost in DCC stock level charges at a given
/// monthly rate. Months are whole months held, by the legal calendar (<see cref="RetentionCalendar"/>).
/// </summary>
public static class StockAgeing
{
    /// <summary>Where each band of months pending starts: under 6, 6 to 12, 12 to 24, 24 to 36, 36 or more.</summary>
    public static IReadOnlyList<int> BandStarts { get; } = [0, 6, 12, 24, 36];

    /// <summary>Counts the pending devices of an inventory by type, generation, model and band of months pending.</summary>
    /// <param name="devices">Every device of the inventory (each once), none dated after <paramref name="asOf"/>.</param>
    /// <param name="asOf">The London date of the count.</param>
    /// <param name="boundary">When a month counts as held (as for periods).</param>
    /// <param name="hubMonthlyRate">The stock level charge for one Communications Hub a month (GBP), or null for no cost.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="devices"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hubMonthlyRate"/> is negative.</exception>
    /// <exception cref="ArgumentException">A record is uninitialised or its status applies after <paramref name="asOf"/>.</exception>
    /// <exception cref="InventoryFormatException">A device is listed more than once: its rows cannot all be right, so the count is refused.</exception>
    public static StockReport Analyse(IEnumerable<DeviceRecord> devices, LocalDate asOf, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate, decimal? hubMonthlyRate = null) =>
        Analyse(devices, asOf, boundary, hubMonthlyRate, checkRepeats: true);

    /// <summary>As the public overload; <paramref name="checkRepeats"/> false when the caller's pass has rejected every row of a repeated device already.</summary>
    internal static StockReport Analyse(IEnumerable<DeviceRecord> devices, LocalDate asOf, BoundaryMode boundary, decimal? hubMonthlyRate, bool checkRepeats)
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (hubMonthlyRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(hubMonthlyRate), hubMonthlyRate, Messages.NegativeRate(hubMonthlyRate.Value));
        }

        // A band's cutoff: a device whose status applied on or before it has held that many months.
        var cutoffs = BandStarts.Skip(1).Select(m => RetentionCalendar.TryCutoff(asOf, RetentionPeriod.FromMonths(m), boundary) is { } c ? RetentionCalendar.DateKey(c) : int.MinValue).ToArray();
        var asOfKey = RetentionCalendar.DateKey(asOf);
        var groups = new Dictionary<(DeviceType, SmetsGeneration, string?), Tally>();
        var hubs = new long[BandStarts.Count];
        var hubMonths = 0L;
        var read = InventoryBatches.ForEach(devices, batch =>
        {
            foreach (ref readonly var device in batch)
            {
                if (!device.IsInitialized || device.SinceKey > asOfKey)
                {
                    throw new ArgumentException(Messages.StockRecordNotCountable(device, asOf), nameof(devices));
                }

                var key = (device.Type, device.Generation, device.Model);
                if (!groups.TryGetValue(key, out var tally))
                {
                    groups[key] = tally = new Tally();
                }

                tally.Devices++;
                if (device.Status != SmiStatus.Pending)
                {
                    continue;
                }

                var band = 0;
                while (band < cutoffs.Length && device.SinceKey <= cutoffs[band])
                {
                    band++;
                }

                tally.ByBand[band]++;
                var months = RetentionCalendar.WholeMonthsHeld(device.StatusSince, asOf, boundary);
                tally.Months += months;
                if (tally.Oldest is not { } oldest || device.StatusSince < oldest)
                {
                    tally.Oldest = device.StatusSince;
                }

                // A Communications Hub is its CHF (its GPF is the same unit): one stock charge.
                if (device.Type == DeviceType.CHF)
                {
                    hubs[band]++;
                    hubMonths += months;
                }
            }
        }, checkRepeats);

        var models = groups.Where(g => g.Value.Pending > 0)
            .Select(g => new StockModel(g.Key.Item1, g.Key.Item2, g.Key.Item3, g.Value.Devices, g.Value.Pending, g.Value.ByBand, g.Value.Months, g.Value.Oldest!.Value, RetentionCalendar.WholeMonthsHeld(g.Value.Oldest.Value, asOf, boundary)))
            .OrderByDescending(m => m.MeanMonthsPending).ThenByDescending(m => m.Pending).ThenBy(m => m.OldestPendingSince).ThenBy(m => m.Type).ThenBy(m => m.Generation).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToArray();
        return new StockReport(asOf, boundary, read, models, new HubStock(hubs, hubMonths, hubMonthlyRate));
    }

    private sealed class Tally
    {
        public long Devices { get; set; }

        public long[] ByBand { get; } = new long[BandStarts.Count];

        public long Pending => ByBand.Sum();

        public LocalDate? Oldest { get; set; }

        public long Months { get; set; }
    }
}
