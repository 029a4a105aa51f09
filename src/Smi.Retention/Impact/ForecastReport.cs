using NodaTime;

namespace Smi.Retention.Impact;

/// <summary>Removals per month and device type under one policy, and what they cost.</summary>
public sealed class ForecastReport
{
    private readonly long[,] _removals;
    private readonly long[] _backlog;
    private readonly long[] _undetermined;
    private readonly long[] _later;

    internal ForecastReport(string policy, LocalDate[] starts, long[,] removals, long[] backlog, long read, long[] undetermined, long[] later, CostBand? cost)
    {
        Policy = policy;
        MonthStarts = starts[..^1];
        End = starts[^1];
        _removals = removals;
        _backlog = backlog;
        DevicesRead = read;
        _undetermined = undetermined;
        _later = later;
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

    /// <summary>
    /// Devices that could not be decided on the first day, or on a later day before anything
    /// removes them (a rule in force needs a fact they lack), and that no later day of the policy
    /// removes whatever they lack: never removed, their fate hanging on the missing fact.
    /// Uninitialised records included. A device that lacks a fact but that a later epoch or version
    /// removes in any case is counted in that month.
    /// </summary>
    public long Undetermined => _undetermined.Sum();

    /// <summary>Devices that become removable after the forecast's end.</summary>
    public long DueLater => _later.Sum();

    /// <summary>Devices of a type that could not be decided (never removed), as <see cref="Undetermined"/> counts them.</summary>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a declared device type.</exception>
    public long UndeterminedOf(DeviceType type) => _undetermined[Slot(type)];

    /// <summary>Devices of a type that become removable after the forecast's end.</summary>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a declared device type.</exception>
    public long DueLaterOf(DeviceType type) => _later[Slot(type)];

    /// <summary>The cost of one removal, if given.</summary>
    public CostBand? CostPerDevice { get; }

    /// <summary>Devices removable on the first day already (the backlog), of a type.</summary>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a declared device type.</exception>
    public long Backlog(DeviceType type) => _backlog[Slot(type)];

    /// <summary>Devices removable on the first day already, of every type.</summary>
    public long BacklogTotal => _backlog.Sum();

    /// <summary>Devices that become removable in a month, of a type.</summary>
    /// <param name="month">The month, from 0.</param>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="month"/> is not a month of the forecast, or <paramref name="type"/> is not a declared device type.</exception>
    public long Removals(int month, DeviceType type) => _removals[Month(month), Slot(type)];

    /// <summary>Devices that become removable in a month, of every type.</summary>
    /// <param name="month">The month, from 0.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="month"/> is not a month of the forecast.</exception>
    public long Removals(int month) => Enumerable.Range(0, _removals.GetLength(1)).Sum(t => _removals[Month(month), t]);

    /// <summary>Devices that become removable during the forecast.</summary>
    public long RemovalsTotal => Enumerable.Range(0, MonthStarts.Count).Sum(Removals);

    /// <summary>The cost band of a month's removals, if a cost per device was given.</summary>
    /// <param name="month">The month, from 0.</param>
    /// <returns>The low and high cost.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="month"/> is not a month of the forecast.</exception>
    public CostBand? Cost(int month) => Removals(month) is var removals && CostPerDevice is { } c ? new CostBand(c.Low * removals, c.High * removals) : null;

    /// <summary>The cost band of the backlog (the devices removable on the first day already), if a cost per device was given.</summary>
    public CostBand? BacklogCost => CostPerDevice is { } c ? new CostBand(c.Low * BacklogTotal, c.High * BacklogTotal) : null;

    /// <summary>The cost band of every removal the forecast counts: the backlog and the months, if a cost per device was given.</summary>
    public CostBand? TotalCost => CostPerDevice is { } c ? new CostBand(c.Low * (BacklogTotal + RemovalsTotal), c.High * (BacklogTotal + RemovalsTotal)) : null;

    /// <summary>A month of the forecast, from 0; any other refused, as no removal is counted in it.</summary>
    private int Month(int month) =>
        (uint)month < (uint)MonthStarts.Count ? month : throw new ArgumentOutOfRangeException(nameof(month), month, Messages.NotAForecastMonth(month, MonthStarts.Count));

    /// <summary>The slot of a declared type; any other value throws, as no device of it is counted.</summary>
    private static int Slot(DeviceType type) =>
        DeviceTypes.IsDefined(type) ? (int)type : throw new ArgumentOutOfRangeException(nameof(type), type, Messages.UndefinedDeviceType(type));
}
