namespace Smi.Retention.Evaluation;

/// <summary>
/// Devices counted by action and device type: one home for the shape of the counts a run reports
/// (the host's report and the tool's summary alike). Slot 0 of the types holds uninitialised records.
/// </summary>
internal sealed class DecisionCounts
{
    /// <summary>One slot per device type value, 0 (no type) included.</summary>
    public static readonly int TypeSlots = EnumNames<DeviceType>.Count + 1;

    private static readonly int Actions = ActionSlots();

    private readonly long[] _counts = new long[Actions * TypeSlots];

    /// <summary>Counts one device; a type outside the declared ones counts as slot 0.</summary>
    public void Add(RetentionAction action, DeviceType type) => _counts[Slot(action, type)]++;

    /// <summary>Takes one device out of the counts (a decision undone: its device was listed more than once).</summary>
    public void Remove(RetentionAction action, DeviceType type) => _counts[Slot(action, type)]--;

    /// <summary>Moves one device of <paramref name="type"/> from one action to another (a removal withheld as undetermined).</summary>
    public void Move(DeviceType type, RetentionAction from, RetentionAction to)
    {
        _counts[Slot(from, type)]--;
        _counts[Slot(to, type)]++;
    }

    /// <summary>Adds every count of <paramref name="other"/> (a part of the same run counted on another thread).</summary>
    public void Add(DecisionCounts other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>Sets every count to zero, for counting again.</summary>
    public void Clear() => Array.Clear(_counts);

    /// <summary>Every device counted.</summary>
    public long Total => _counts.Sum();

    /// <summary>Devices with this action.</summary>
    public long Count(RetentionAction action)
    {
        long total = 0;
        for (var type = 0; type < TypeSlots; type++)
        {
            total += _counts[((int)action * TypeSlots) + type];
        }

        return total;
    }

    /// <summary>Devices of this type with this action.</summary>
    public long Count(RetentionAction action, DeviceType type) => _counts[Slot(action, type)];

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)] // once a device
    private static int Slot(RetentionAction action, DeviceType type) =>
        ((int)action * TypeSlots) + (DeviceTypes.IsDefined(type) ? (int)type : 0);

    /// <summary>One slot per action value (a loop, not LINQ over the enum: the packed tool would compile that at start-up).</summary>
    private static int ActionSlots()
    {
        var most = 0;
        foreach (var action in Enum.GetValues<RetentionAction>())
        {
            most = Math.Max(most, (int)action);
        }

        return most + 1;
    }
}
