using NodaTime;

namespace Smi.Retention.Rules;

/// <summary>
/// Every device a record can describe, as a rule sees it: each device type with each status that
/// fits it and each set of prior statuses that fit it. Dates enter only through periods, so these
/// states together with the period epochs are every distinct device a policy can see: checks over
/// them are exact, not samples.
/// </summary>
internal static class VocabularyStates
{
    public static IEnumerable<DeviceState> All()
    {
        foreach (var type in DeviceTypes.All.ToArray())
        {
            foreach (var state in OfType(type))
            {
                yield return state;
            }
        }
    }

    public static IEnumerable<DeviceState> OfType(DeviceType type)
    {
        var fitting = DeviceTypes.StatusesOf(type).Bits;
        foreach (var status in SmiStatuses.All.ToArray())
        {
            if (!type.Fits(status))
            {
                continue;
            }

            // Every subset of the fitting statuses, counted up through the mask from none (bit 0 is never a status).
            var bits = 0;
            do
            {
                yield return new DeviceState(type, status, SmiStatusSet.FromBitsUnchecked((ushort)bits));
                bits = (bits - fitting) & fitting;
            }
            while (bits != 0);
        }
    }

    public static DeviceRecord Record(DeviceState state, LocalDate since) =>
        new(new DeviceId(0x0000_5EC0_0060_0001), state.Type, state.Status, since, state.Prior);
}
