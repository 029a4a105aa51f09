using NodaTime;

namespace Smi.Retention.Rules;

/// <summary>
/// The finite vocabulary a rule can observe: every device type with each status that fits it, and
/// every set of prior statuses. Dates enter only through periods, so these states together with the
/// period epochs are every distinct device a policy can see: checks over them are exact, not samples.
/// </summary>
internal static class VocabularyStates
{
    /// <summary>Every prior-status set: each subset of the declared statuses (bit 0 is never a status).</summary>
    private static readonly int PriorSets = (SmiStatusSet.ValidBits >> 1) + 1;

    public static IEnumerable<(DeviceType Type, SmiStatus Status, SmiStatusSet Prior)> All()
    {
        foreach (var type in DeviceTypes.All.ToArray())
        {
            foreach (var state in OfType(type))
            {
                yield return state;
            }
        }
    }

    public static IEnumerable<(DeviceType Type, SmiStatus Status, SmiStatusSet Prior)> OfType(DeviceType type)
    {
        foreach (var status in SmiStatuses.All.ToArray())
        {
            if (!type.Fits(status))
            {
                continue;
            }

            for (var bits = 0; bits < PriorSets; bits++)
            {
                yield return (type, status, SmiStatusSet.FromBitsUnchecked((ushort)(bits << 1)));
            }
        }
    }

    public static DeviceRecord Record((DeviceType Type, SmiStatus Status, SmiStatusSet Prior) state, LocalDate since) =>
        new(new DeviceId(0x0000_5EC0_0060_0001), state.Type, state.Status, since, state.Prior);
}
