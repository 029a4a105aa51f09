using NodaTime;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Rules;

/// <summary>
/// The finite vocabulary a rule can observe: every device type with each status that fits it, and
/// every set of prior statuses. Dates enter only through periods, so these states together with the
/// period epochs are every distinct device a policy can see: checks over them are exact, not samples.
/// </summary>
internal static class VocabularyStates
{
    private const int PriorSets = 1 << 10;

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

    /// <summary>The decision of a compiled policy version for a state in an epoch: the deciding rule (or -1) and whether it removes.</summary>
    public static (int Rule, bool Removes) Decide(DecisionTable table, (DeviceType Type, SmiStatus Status, SmiStatusSet Prior) state, int epoch)
    {
        var (rule, _, removes) = table.Decide(Record(state, new LocalDate(2000, 1, 1)), epoch);
        return (rule, removes);
    }
}
