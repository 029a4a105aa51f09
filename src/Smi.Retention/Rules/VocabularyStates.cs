using NodaTime;

namespace Smi.Retention.Rules;

/// <summary>
/// Every device a record can describe, as a rule sees it: each device type with each status that
/// fits it and each set of prior statuses that can precede it, and, where rules test them, each SMETS
/// generation and each model they tell apart, recorded or not. Dates enter only through periods, so
/// these states together with the period epochs are every distinct device a policy can see: checks
/// over them are exact, not samples.
/// </summary>
internal static class VocabularyStates
{
    /// <summary>Every type, status and history, with neither a generation nor a model.</summary>
    public static IEnumerable<DeviceState> All() => All([SmetsGeneration.Unknown], [null]);

    /// <summary>Every type, status and history, with each of <paramref name="generations"/> and <paramref name="models"/>.</summary>
    public static IEnumerable<DeviceState> All(IReadOnlyList<SmetsGeneration> generations, IReadOnlyList<string?> models)
    {
        foreach (var type in DeviceTypes.All.ToArray())
        {
            foreach (var state in OfType(type))
            {
                foreach (var generation in generations)
                {
                    foreach (var model in models)
                    {
                        yield return state with { Generation = generation, Model = model };
                    }
                }
            }
        }
    }

    /// <summary>
    /// The generations and models that tell apart every device the rules of <paramref name="tables"/>
    /// can: Unknown and each generation where one tests it; no model, each model they name and one
    /// they do not where one tests it.
    /// </summary>
    public static (SmetsGeneration[] Generations, string?[] Models) Details(IEnumerable<Evaluation.DecisionTable> tables)
    {
        var spaces = tables.Select(t => t.Space).ToArray();
        SmetsGeneration[] generations = spaces.Any(s => s.TestsGeneration) ? [SmetsGeneration.Unknown, .. SmetsGenerations.Known] : [SmetsGeneration.Unknown];
        var named = spaces.Where(s => s.TestsModel).SelectMany(s => s.Models).OfType<string>().Where(m => m != Evaluation.StateSpace.OtherModel).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (named.Length == 0)
        {
            return (generations, [null]);
        }

        return (generations, [null, .. named, AnotherModel(named)]);
    }

    /// <summary>A model none of <paramref name="named"/> is, to stand for every model the rules do not name: "another model".</summary>
    public static string AnotherModel(IEnumerable<string?> named)
    {
        var other = "another model";
        while (named.Contains(other))
        {
            other += "'";
        }

        return other;
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
                var prior = SmiStatusSet.FromBitsUnchecked((ushort)bits);
                if (DeviceTypes.CanPrecede(prior, status))
                {
                    yield return new DeviceState(type, status, prior);
                }

                bits = (bits - fitting) & fitting;
            }
            while (bits != 0);
        }
    }

    public static DeviceRecord Record(DeviceState state, LocalDate since) =>
        new(new DeviceId(0x0000_5EC0_0060_0001), state.Type, state.Status, since, state.Prior, null, state.Generation, state.Model);
}
