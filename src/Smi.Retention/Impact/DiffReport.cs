using NodaTime;

namespace Smi.Retention.Impact;

/// <summary>The devices whose action changes between two policies on one date, with totals by type and direction.</summary>
public sealed class DiffReport
{
    private readonly IReadOnlyList<DeviceChange>? _changes;
    private readonly ChangeCounts _counts;

    internal DiffReport(string policy, string against, LocalDate asOf, long devicesRead, IReadOnlyList<DeviceChange>? changes, ChangeCounts counts)
    {
        Policy = policy;
        Against = against;
        AsOf = asOf;
        DevicesRead = devicesRead;
        _changes = changes;
        _counts = counts;
    }

    /// <summary>The proposed policy.</summary>
    public string Policy { get; }

    /// <summary>The policy compared with.</summary>
    public string Against { get; }

    /// <summary>The date of the decisions.</summary>
    public LocalDate AsOf { get; }

    /// <summary>Devices compared.</summary>
    public long DevicesRead { get; }

    /// <summary>Every device whose action changes, in inventory order.</summary>
    /// <exception cref="InvalidOperationException">The changes were handed to a callback as they were found and not kept (<see cref="PolicyDiff.Compare(Evaluation.CompiledPolicy, Evaluation.CompiledPolicy, IEnumerable{DeviceRecord}, LocalDate, Action{DeviceChange})"/>); the counts are whole.</exception>
    public IReadOnlyList<DeviceChange> Changes => _changes ?? throw new InvalidOperationException(Messages.DiffChangesStreamed());

    /// <summary>Devices whose action changes, in every direction.</summary>
    public long Total => _counts.Total;

    /// <summary>Changes in one direction for one device type.</summary>
    /// <param name="direction">The direction.</param>
    /// <param name="type">The device type.</param>
    /// <returns>The count.</returns>
    public long Count(ChangeDirection direction, DeviceType type) => _counts.Of(direction, type);

    /// <summary>Changes in one direction.</summary>
    /// <param name="direction">The direction.</param>
    /// <returns>The count.</returns>
    public long Count(ChangeDirection direction) => _counts.Of(direction);
}

/// <summary>Changes counted by direction and device type as they are found.</summary>
internal sealed class ChangeCounts
{
    private const int Types = 256; // every value a DeviceType's byte can hold, so no change is left uncounted
    private readonly long[] _counts = new long[3 * Types];

    public long Total { get; private set; }

    public void Add(ChangeDirection direction, DeviceType type)
    {
        _counts[((int)direction * Types) + (int)type]++;
        Total++;
    }

    public long Of(ChangeDirection direction, DeviceType type) =>
        (uint)direction < 3 ? _counts[((int)direction * Types) + (int)type] : 0;

    public long Of(ChangeDirection direction)
    {
        if ((uint)direction >= 3)
        {
            return 0;
        }

        long sum = 0;
        foreach (var count in _counts.AsSpan((int)direction * Types, Types))
        {
            sum += count;
        }

        return sum;
    }
}
