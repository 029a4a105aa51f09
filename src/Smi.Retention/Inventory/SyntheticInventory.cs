using NodaTime;

namespace Smi.Retention.Inventory;

/// <summary>
/// A deterministic synthetic inventory with the shape of the GB SMI, for trials, tests and
/// benchmarks: premises with a Communications Hub (CHF and GPF, sharing one status), an
/// electricity meter, usually a gas meter, an IHD, and sometimes a PPMID, HCALCS or CAD. Most
/// devices are commissioned; a backlog is pending at assorted ages, some re-pended after
/// decommissioning. Each premises has a supplier (the notifying Service User), and each device a
/// SMETS generation and a model: SMETS1 devices older on average, a few models per type and
/// generation with the older models waiting longer, and a few of each fact not recorded. These are
/// drawn from a stream of their own, so the types, statuses and dates are those of earlier versions.
/// </summary>
public static class SyntheticInventory
{
    /// <summary>Generates <paramref name="devices"/> records, the same for the same seed and date.</summary>
    /// <param name="devices">How many records.</param>
    /// <param name="seed">The seed; the same seed gives the same inventory.</param>
    /// <param name="asOf">No status applies after this London date.</param>
    /// <returns>The records, streamed: memory does not grow with <paramref name="devices"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="devices"/> is negative, or <paramref name="asOf"/> is within ten years of the calendar's first date (statuses go back ten years).</exception>
    public static IEnumerable<DeviceRecord> Generate(long devices, long seed, LocalDate asOf)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(devices);
        if (TooEarly(asOf) is { } message)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, message);
        }

        return Iterate(devices, seed, asOf);
    }

    /// <summary>Why no inventory can be generated on <paramref name="asOf"/>; null when one can.</summary>
    internal static string? TooEarly(LocalDate asOf) => asOf < EarliestAsOf ? Messages.SyntheticTooEarly(asOf, EarliestAsOf) : null;

    /// <summary>The earliest date an inventory can be generated on: its statuses go back up to <see cref="LookBackMonths"/> months (as days).</summary>
    private static readonly LocalDate EarliestAsOf = new(11, 1, 1);

    /// <summary>How far back a status may go.</summary>
    private const int LookBackMonths = 120;

    private static IEnumerable<DeviceRecord> Iterate(long devices, long seed, LocalDate asOf)
    {
        var random = new SplitMix((ulong)seed);
        var facts = new SplitMix(SplitMix.Mix((ulong)seed ^ 0xFAC7_5000_0026_0000));
        var idBase = SplitMix.Mix((ulong)seed ^ 0x5EC0_0060_0000_0000);
        var details = new Dictionary<(int Party, string? Model), object?>();
        var sequence = 0UL;
        long made = 0;
        while (made < devices)
        {
            var party = facts.Percent() < 1 ? -1 : (int)(Suppliers.Length * Math.Pow(facts.Percent() / 100, 1.6)); // a few large suppliers, more small ones
            var hub = (SmetsGeneration.Unknown, (string?)null);
            foreach (var device in Premises(ref random, asOf))
            {
                if (made == devices)
                {
                    yield break;
                }

                // A bijection of a counter: every id is distinct, none is derivable from the type.
                var id = new DeviceId(SplitMix.Mix(idBase + sequence++));
                var (generation, model) = device.Type == DeviceType.GPF ? hub : Facts(ref facts, device.Type, device.Since, asOf);
                hub = device.Type == DeviceType.CHF ? (generation, model) : hub;
                if (!details.TryGetValue((party, model), out var shared))
                {
                    details[(party, model)] = shared = DeviceDetails.Of(party < 0 ? null : Suppliers[party], model);
                }

                yield return new DeviceRecord(id.Value, device.Type, device.Status, RetentionCalendar.DateKey(device.Since), device.Prior.Bits, generation, shared);
                made++;
            }
        }
    }

    /// <summary>The notifying Service Users: the premises' suppliers.</summary>
    private static readonly string[] Suppliers = ["Supplier A", "Supplier B", "Supplier C", "Supplier D", "Supplier E", "Supplier F", "Supplier G", "Supplier H"];

    /// <summary>Each type's models by generation (SMETS1, SMETS2), oldest first.</summary>
    private static readonly Dictionary<DeviceType, string[][]> Models = new()
    {
        [DeviceType.ESME] = [["Aldor E1-100", "Brack E1-200"], ["Aldor E2-300", "Brack E2-410", "Corvin E2-520"]],
        [DeviceType.GSME] = [["Aldor G1-100"], ["Brack G2-300", "Corvin G2-410"]],
        [DeviceType.CHF] = [["Hub S1 Wan"], ["Hub North 1", "Hub Central 2", "Hub South 3"]],
        [DeviceType.PPMID] = [["Panel P1-10"], ["Panel P2-100", "Panel P2-200"]],
        [DeviceType.HCALCS] = [["Switch H1-5"], ["Switch H2-50"]],
        [DeviceType.IHD] = [["Display I1-20"], ["Display I2-200", "Display I2-300"]],
        [DeviceType.CAD] = [["Bridge C1-1"], ["Bridge C2-1"]],
    };

    /// <summary>
    /// A device's generation and model: the older its status date, the likelier SMETS1 and an older
    /// model (a model placed on the list early leaves it last); 2% with no generation recorded and
    /// 1.5% with no model.
    /// </summary>
    private static (SmetsGeneration Generation, string? Model) Facts(ref SplitMix random, DeviceType type, LocalDate since, LocalDate asOf)
    {
        var age = Math.Clamp((((asOf.Year - since.Year) * 12) + asOf.Month - since.Month) / 72.0, 0, 1);
        var smets1 = random.Percent() < 10 + (60 * age);
        var lists = Models[type];
        var list = lists[smets1 ? 0 : 1];
        var index = (int)Math.Clamp(((1 - age) * list.Length) + ((random.Percent() - 50) / 50.0), 0, list.Length - 1);
        var generation = random.Percent() < 2 ? SmetsGeneration.Unknown : smets1 ? SmetsGeneration.SMETS1 : SmetsGeneration.SMETS2;
        var model = random.Percent() < 1.5 ? null : list[index];
        return (generation, model);
    }

    private static List<(DeviceType Type, SmiStatus Status, LocalDate Since, SmiStatusSet Prior)> Premises(ref SplitMix random, LocalDate asOf)
    {
        var premises = new List<(DeviceType, SmiStatus, LocalDate, SmiStatusSet)>(8);
        var hub = State(ref random, asOf, pendingPercent: 4.0, repended: 0.5);
        premises.Add((DeviceType.CHF, hub.Status, hub.Since, hub.Prior));
        premises.Add((DeviceType.GPF, hub.Status, hub.Since, hub.Prior));
        Add(premises, ref random, asOf, DeviceType.ESME, 2.0, 1.0);
        if (random.Percent() < 80)
        {
            Add(premises, ref random, asOf, DeviceType.GSME, 2.0, 1.0);
        }

        premises.Add((DeviceType.IHD, SmiStatus.NotApplicable, Past(ref random, asOf, LookBackMonths), SmiStatusSet.Empty));
        if (random.Percent() < 5)
        {
            Add(premises, ref random, asOf, DeviceType.PPMID, 2.0, 0.5);
        }

        if (random.Percent() < 1)
        {
            Add(premises, ref random, asOf, DeviceType.HCALCS, 2.0, 0.5);
        }

        if (random.Percent() < 3)
        {
            premises.Add((DeviceType.CAD, SmiStatus.NotApplicable, Past(ref random, asOf, 60), SmiStatusSet.Empty));
        }

        return premises;
    }

    private static void Add(List<(DeviceType, SmiStatus, LocalDate, SmiStatusSet)> premises, ref SplitMix random, LocalDate asOf, DeviceType type, double pending, double repended)
    {
        var state = State(ref random, asOf, pending, repended);
        premises.Add((type, state.Status, state.Since, state.Prior));
    }

    private static (SmiStatus Status, LocalDate Since, SmiStatusSet Prior) State(ref SplitMix random, LocalDate asOf, double pendingPercent, double repended)
    {
        var roll = random.Percent();
        if (roll < pendingPercent)
        {
            // Never installed: pending since delivery, up to six years ago.
            return (SmiStatus.Pending, Past(ref random, asOf, 72), SmiStatusSet.Empty);
        }

        roll -= pendingPercent;
        if (roll < repended)
        {
            // Back to pending through AC 7.1 after being in service.
            return (SmiStatus.Pending, Past(ref random, asOf, 48), SmiStatusSet.Of(SmiStatus.Pending, SmiStatus.Commissioned, SmiStatus.Decommissioned));
        }

        roll -= repended;
        return roll switch
        {
            < 0.8 => (SmiStatus.Decommissioned, Past(ref random, asOf, 60), SmiStatusSet.Of(SmiStatus.Pending, SmiStatus.Commissioned)),
            < 1.1 => (SmiStatus.Withdrawn, Past(ref random, asOf, 60), SmiStatusSet.Of(SmiStatus.Pending)),
            < 1.6 => (SmiStatus.InstalledNotCommissioned, Past(ref random, asOf, 12), SmiStatusSet.Of(SmiStatus.Pending)),
            < 1.8 => (SmiStatus.Whitelisted, Past(ref random, asOf, 6), SmiStatusSet.Of(SmiStatus.Pending)),
            < 1.9 => (SmiStatus.Suspended, Past(ref random, asOf, 24), SmiStatusSet.Of(SmiStatus.Pending, SmiStatus.Commissioned)),
            _ => (SmiStatus.Commissioned, Past(ref random, asOf, LookBackMonths), SmiStatusSet.Of(SmiStatus.Pending)),
        };
    }

    /// <summary>A date up to <paramref name="months"/> months (as days) before <paramref name="asOf"/>.</summary>
    private static LocalDate Past(ref SplitMix random, LocalDate asOf, int months) => asOf.PlusDays(-(int)random.Below((ulong)(months * 30.44)));

    /// <summary>SplitMix64: small, fast, and the same on every runtime, unlike System.Random's algorithms.</summary>
    private struct SplitMix(ulong state)
    {
        private ulong _state = state;

        public static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public ulong Next() => Mix(_state += 0x9E3779B97F4A7C15UL);

        public ulong Below(ulong bound) => bound == 0 ? 0 : Next() % bound;

        public double Percent() => (Next() >> 11) * (100.0 / (1UL << 53));
    }
}
