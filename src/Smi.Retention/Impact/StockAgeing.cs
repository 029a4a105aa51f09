using NodaTime;

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
    public static StockReport Analyse(IEnumerable<DeviceRecord> devices, LocalDate asOf, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate, decimal? hubMonthlyRate = null)
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
        var read = 0L;
        var hubs = new long[BandStarts.Count];
        var hubMonths = 0L;
        foreach (var device in devices)
        {
            if (!device.IsInitialized || device.SinceKey > asOfKey)
            {
                throw new ArgumentException(Messages.StockRecordNotCountable(device, asOf), nameof(devices));
            }

            read++;
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
