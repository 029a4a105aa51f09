using System.Globalization;
using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Inventory;
using Smi.Retention.Safety;

namespace Smi.Retention.Impact;

/// <summary>
/// Removals month by month under one policy or timeline, if no device's status changes: one pass
/// over the inventory, as each decision's due date says when the device will be removed.
/// </summary>
public static class PolicyForecast
{

    /// <summary>Forecasts removals for <paramref name="months"/> months from <paramref name="from"/>.</summary>
    /// <param name="policy">The policy or timeline.</param>
    /// <param name="inventory">The devices as they are on <paramref name="from"/>, streamed.</param>
    /// <param name="from">The first day of the first month.</param>
    /// <param name="months">How many months, 1 to 1200.</param>
    /// <param name="costPerDevice">The cost of one removed device, low to high, if wanted.</param>
    /// <returns>The removals per month and device type, and the devices already removable on <paramref name="from"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="months"/> is outside 1 to 1200, or the window would pass 9999-12-31.</exception>
    /// <exception cref="InventoryFormatException">A device is listed more than once: its rows cannot all be right, so the forecast is refused.</exception>
    public static ForecastReport Run(CompiledPolicy policy, IEnumerable<DeviceRecord> inventory, LocalDate from, int months, CostBand? costPerDevice = null) =>
        Run(policy, inventory, from, months, costPerDevice, checkRepeats: true);

    /// <summary>As the public overload; <paramref name="checkRepeats"/> false when the caller's pass has rejected every row of a repeated device already.</summary>
    internal static ForecastReport Run(CompiledPolicy policy, IEnumerable<DeviceRecord> inventory, LocalDate from, int months, CostBand? costPerDevice, bool checkRepeats)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, RetentionPeriod.MaxMonths);

        LocalDate[] starts;
        try
        {
            starts = Enumerable.Range(0, months + 1).Select(i => RetentionCalendar.MonthsAfter(from, i)).ToArray();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw new ArgumentOutOfRangeException(nameof(months), months, Messages.ForecastPastTheEndOfDates(from, months));
        }

        var evaluator = policy.For(from);
        var removals = new long[months, DecisionCounts.TypeSlots];
        var backlog = new long[DecisionCounts.TypeSlots];
        long undetermined = 0, later = 0;
        var decisions = new RetentionDecision[InventoryBatches.Size];
        var read = InventoryBatches.ForEach(inventory, devices =>
        {
            evaluator.Evaluate(devices, decisions);
            for (var i = 0; i < devices.Length; i++)
            {
                var type = (int)devices[i].Type;
                var decision = decisions[i];
                if (decision.Action == RetentionAction.Undetermined)
                {
                    undetermined++;
                }
                else if (decision.IsRemoval)
                {
                    backlog[type]++;
                }
                else if (decision.DueDate is { } due)
                {
                    var month = MonthOf(starts, due);
                    if (month >= 0)
                    {
                        removals[month, type]++;
                    }
                    else
                    {
                        later++;
                    }
                }
            }
        }, checkRepeats);

        return new ForecastReport(policy.Name, starts, removals, backlog, read, undetermined, later, costPerDevice);
    }

    /// <summary>The month whose window holds <paramref name="date"/>, or -1 after the last.</summary>
    private static int MonthOf(LocalDate[] starts, LocalDate date)
    {
        var index = Array.BinarySearch(starts, date);
        var month = index >= 0 ? index : ~index - 1;
        return month < starts.Length - 1 ? month : -1;
    }
}

/// <summary>The cost of removing one device, as a range (the SECMP0060 report gives £36 to £50 for a Communications Hub).</summary>
/// <param name="Low">The lower cost.</param>
/// <param name="High">The higher cost.</param>
public readonly record struct CostBand(decimal Low, decimal High)
{
    /// <summary>The most a single removal may be said to cost: a million pounds.</summary>
    public const decimal MaxCostPerDevice = 1_000_000m;

    /// <summary>Parses <c>36-50</c>, or a single figure such as <c>40</c>.</summary>
    /// <param name="text">The band.</param>
    /// <returns>The band.</returns>
    /// <exception cref="FormatException">The text is not one or two non-negative numbers joined by '-', the lower first.</exception>
    public static CostBand Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Digits and a '.', read the same in every culture: '36,50' is refused, never read as 3650.
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (InvariantNumbers.TryParseDecimal(parts[0], 4, out var low) && InvariantNumbers.TryParseDecimal(parts[^1], 4, out var high)
            && low <= high && high <= MaxCostPerDevice)
        {
            return new CostBand(low, high);
        }

        throw new FormatException(Messages.BadCostBand(text));
    }

    /// <inheritdoc />
    public override string ToString() => Low == High ? Low.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Low}-{High}");
}

/// <summary>Removals per month and device type under one policy, and what they cost.</summary>
public sealed class ForecastReport
{
    private readonly long[,] _removals;
    private readonly long[] _backlog;

    internal ForecastReport(string policy, LocalDate[] starts, long[,] removals, long[] backlog, long read, long undetermined, long later, CostBand? cost)
    {
        Policy = policy;
        MonthStarts = starts[..^1];
        End = starts[^1];
        _removals = removals;
        _backlog = backlog;
        DevicesRead = read;
        Undetermined = undetermined;
        DueLater = later;
        CostPerDevice = cost;
    }

    /// <summary>The policy or timeline.</summary>
    public string Policy { get; }

    /// <summary>The first day of each month of the forecast.</summary>
    public IReadOnlyList<LocalDate> MonthStarts { get; }

    /// <summary>The day after the last month.</summary>
    public LocalDate End { get; }

    /// <summary>Devices read.</summary>
    public long DevicesRead { get; }

    /// <summary>Devices that could not be decided (never removed).</summary>
    public long Undetermined { get; }

    /// <summary>Devices that become removable after the forecast's end.</summary>
    public long DueLater { get; }

    /// <summary>The cost of one removal, if given.</summary>
    public CostBand? CostPerDevice { get; }

    /// <summary>Devices removable on the first day already (the backlog), of a type.</summary>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    public long Backlog(DeviceType type) => _backlog[(int)type];

    /// <summary>Devices removable on the first day already, of every type.</summary>
    public long BacklogTotal => _backlog.Sum();

    /// <summary>Devices that become removable in a month, of a type.</summary>
    /// <param name="month">The month, from 0.</param>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    public long Removals(int month, DeviceType type) => _removals[month, (int)type];

    /// <summary>Devices that become removable in a month, of every type.</summary>
    /// <param name="month">The month, from 0.</param>
    /// <returns>The count.</returns>
    public long Removals(int month) => Enumerable.Range(0, _removals.GetLength(1)).Sum(t => _removals[month, t]);

    /// <summary>Devices that become removable during the forecast.</summary>
    public long RemovalsTotal => Enumerable.Range(0, MonthStarts.Count).Sum(Removals);

    /// <summary>The cost band of a month's removals, if a cost per device was given.</summary>
    /// <param name="month">The month, from 0.</param>
    /// <returns>The low and high cost.</returns>
    public CostBand? Cost(int month) => CostPerDevice is { } c ? new CostBand(c.Low * Removals(month), c.High * Removals(month)) : null;

    /// <summary>The cost band of the backlog (the devices removable on the first day already), if a cost per device was given.</summary>
    public CostBand? BacklogCost => CostPerDevice is { } c ? new CostBand(c.Low * BacklogTotal, c.High * BacklogTotal) : null;

    /// <summary>The cost band of every removal the forecast counts: the backlog and the months, if a cost per device was given.</summary>
    public CostBand? TotalCost => CostPerDevice is { } c ? new CostBand(c.Low * (BacklogTotal + RemovalsTotal), c.High * (BacklogTotal + RemovalsTotal)) : null;
}
