namespace Smi.Retention.Cli.Reports.Models;

/// <summary>A count for every device type, by name, in the vocabulary's order: the reports' per-type objects.</summary>
internal static class ByType
{
    /// <summary>The counts of <paramref name="count"/> for each of <paramref name="types"/> (every device type by default).</summary>
    public static IReadOnlyDictionary<string, long> Of(Func<DeviceType, long> count, IEnumerable<DeviceType>? types = null)
    {
        var counts = new Dictionary<string, long>();
        foreach (var type in types ?? DeviceTypes.All.ToArray())
        {
            counts[type.ToString()] = count(type);
        }

        return counts;
    }

    /// <summary>
    /// The device types a report shows by type: every type with an SMI status, and a Type 2 device
    /// type (never pending; removed only by a policy that says so, which <c>validate</c> warns of)
    /// when <paramref name="counted"/> says the report counts a device of it, so that the columns
    /// of a report always add up to its totals.
    /// </summary>
    public static DeviceType[] Shown(Func<DeviceType, bool> counted) => [.. DeviceTypes.All.ToArray().Where(t => t.HasSmiStatus() || counted(t))];
}
