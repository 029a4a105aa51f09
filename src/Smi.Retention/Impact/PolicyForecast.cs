using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Inventory;

namespace Smi.Retention.Impact;

/// <summary>
/// Removals month by month under one policy or timeline, if no device's status changes: one pass
/// over the inventory, as each decision's due date says when the device will be removed. A device
/// undetermined on the first day because it lacks a fact a rule tests is counted in the month a
/// later epoch or version removes it whatever the fact; one that no later day removes for certain
/// is counted undetermined, as is a device retained now that a rule needs a fact it lacks on a
/// later day (the rules it will meet cannot decide it).
/// </summary>
public static class PolicyForecast
{

    /// <summary>Forecasts removals for <paramref name="months"/> months from <paramref name="from"/>.</summary>
    /// <param name="policy">The policy or timeline.</param>
    /// <param name="inventory">The devices as they are on <paramref name="from"/>, streamed.</param>
    /// <param name="from">The first day of the first month.</param>
    /// <param name="months">How many months, 1 to 1200.</param>
    /// <param name="costPerDevice">The cost of one removed device, low to high, if wanted.</param>
    /// <returns>The removals per month and device type, and the devices already removable on <paramref name="from"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="months"/> is outside 1 to 1200, or the window would pass 9999-12-31.</exception>
    /// <exception cref="InventoryFormatException">A device is listed more than once: its rows cannot all be right, so the forecast is refused.</exception>
    public static ForecastReport Run(CompiledPolicy policy, IEnumerable<DeviceRecord> inventory, LocalDate from, int months, CostBand? costPerDevice = null) =>
        Run(policy, inventory, from, months, costPerDevice, checkRepeats: true);

    /// <summary>As the public overload; <paramref name="checkRepeats"/> false when the caller's pass has rejected every row of a repeated device already.</summary>
    internal static ForecastReport Run(CompiledPolicy policy, IEnumerable<DeviceRecord> inventory, LocalDate from, int months, CostBand? costPerDevice, bool checkRepeats)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(months, RetentionPeriod.MaxMonths);

        LocalDate[] starts;
        try
        {
            starts = Enumerable.Range(0, months + 1).Select(i => RetentionCalendar.MonthsAfter(from, i)).ToArray();
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw new ArgumentOutOfRangeException(nameof(months), months, Messages.ForecastPastTheEndOfDates(from, months));
        }

        var evaluator = policy.For(from);
        var removals = new long[months, DecisionCounts.TypeSlots];
        var backlog = new long[DecisionCounts.TypeSlots];
        var undetermined = new long[DecisionCounts.TypeSlots];
        var later = new long[DecisionCounts.TypeSlots];
        var decisions = new RetentionDecision[InventoryBatches.Size];
        void Count(int type, LocalDate due)
        {
            var month = MonthOf(starts, due);
            if (month >= 0)
            {
                removals[month, type]++;
            }
            else
            {
                later[type]++;
            }
        }

        var read = InventoryBatches.ForEach(inventory, devices =>
        {
            evaluator.Evaluate(devices, decisions);
            for (var i = 0; i < devices.Length; i++)
            {
                var type = DeviceTypes.IsDefined(devices[i].Type) ? (int)devices[i].Type : 0; // an uninitialised record is undetermined, in slot 0
                var decision = decisions[i];
                if (decision.IsRemoval)
                {
                    backlog[type]++;
                }
                else if (decision.Action == RetentionAction.Undetermined)
                {
                    // Undetermined now for a fact it lacks, and removed whatever the fact by a later epoch or version: counted then.
                    if (evaluator.NextRemovalOfUndetermined(devices[i], out var first))
                    {
                        Count(type, first);
                    }
                    else
                    {
                        undetermined[type]++;
                    }
                }
                else if (decision.DueDate is { } due)
                {
                    Count(type, due);
                }
                else if (evaluator.BecomesUndetermined(devices[i]))
                {
                    undetermined[type]++; // retained now, never removed, but undetermined on a later day: its fate hangs on a fact it lacks
                }
            }
        }, checkRepeats);

        return new ForecastReport(policy.Name, starts, removals, backlog, read, undetermined, later, costPerDevice);
    }

    /// <summary>The month whose window holds <paramref name="date"/>, or -1 after the last.</summary>
    private static int MonthOf(LocalDate[] starts, LocalDate date)
    {
        var index = Array.BinarySearch(starts, date);
        var month = index >= 0 ? index : ~index - 1;
        return month < starts.Length - 1 ? month : -1;
    }
}
