namespace Smi.Retention.Evaluation;

/// <summary>
/// What one rule's condition holds for over every device a record can describe, on every date:
/// worked out once while its version is compiled (<see cref="DecisionTable"/>), for the check that
/// no rule is unreachable and for lint.
/// </summary>
/// <param name="Evaluated">Whether the rule was evaluated (false for a disabled rule).</param>
/// <param name="MatchesSome">Whether it holds for some device on some date.</param>
/// <param name="WholeTypes">A bit per device type (bit <c>(int)type</c>) for which it holds for every device of the type on every date.</param>
internal readonly record struct RuleFacts(bool Evaluated, bool MatchesSome, uint WholeTypes)
{
    /// <summary>Whether it holds for every device on every date: no rule after it can decide anything.</summary>
    public bool AlwaysTrue => Evaluated && (WholeTypes & EveryType) == EveryType;

    /// <summary>A bit for each device type (bit <c>(int)type</c>).</summary>
    private static readonly uint EveryType = TypeBits();

    /// <summary>Whether it holds for every device of <paramref name="type"/> on every date.</summary>
    public bool HoldsForEvery(DeviceType type) => (WholeTypes & (1u << (int)type)) != 0;

    /// <summary>The facts of a rule from its masks over <paramref name="space"/>'s reachable rows.</summary>
    public static RuleFacts Of(StateSpace space, uint[] masks)
    {
        var some = false;
        var partly = 0u;
        for (var p = 0; p < StateSpace.Pairs.Length; p++)
        {
            for (int c = 0, r = p * space.Classes; c < space.Classes; c++, r++)
            {
                if (space.IsReachable(r))
                {
                    some |= masks[r] != 0;
                    partly |= masks[r] != space.All ? 1u << (int)StateSpace.Pairs[p].Type : 0;
                }
            }
        }

        return new RuleFacts(true, some, EveryType & ~partly);
    }

    private static uint TypeBits()
    {
        var bits = 0u;
        foreach (var type in DeviceTypes.All)
        {
            bits |= 1u << (int)type;
        }

        return bits;
    }
}
