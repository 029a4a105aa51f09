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
}
