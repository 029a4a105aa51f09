using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Smi.Retention.Impact;

/// <summary>
/// A class of devices whose action changes between two policies, found by <see cref="SymbolicDiff"/>
/// from the policies alone: device types, current statuses, a history condition, and how long the
/// status has been held (from <see cref="FromMonths"/> to under <see cref="ToMonths"/>), on the
/// as-of dates the region applies to. With an as-of date, the months are also a window of status
/// dates. Every device in the region changes from <see cref="Before"/> to <see cref="After"/>.
/// </summary>
/// <param name="Types">The device types, in declaration order.</param>
/// <param name="Statuses">The current statuses, in declaration order.</param>
/// <param name="History">Which histories (statuses held before) are in the region.</param>
/// <param name="FromMonths">The status has been held for at least this many months (0: any time).</param>
/// <param name="ToMonths">And for fewer than this many; null for no upper bound.</param>
/// <param name="ValidFrom">The first as-of date the region applies to (a policy version's date); null for every date before <paramref name="ValidUntil"/>.</param>
/// <param name="ValidUntil">The first as-of date it no longer applies to; null for every date on or after <paramref name="ValidFrom"/>.</param>
/// <param name="SinceFrom">With an as-of date: the earliest status date in the region; null for no bound.</param>
/// <param name="SinceTo">With an as-of date: the latest status date in the region (the as-of date itself when <paramref name="FromMonths"/> is 0).</param>
/// <param name="Before">The action under the policy compared against (the one in force).</param>
/// <param name="After">The action under the proposed policy.</param>
public sealed record ChangeRegion(
    IReadOnlyList<DeviceType> Types,
    IReadOnlyList<SmiStatus> Statuses,
    HistoryCondition History,
    int FromMonths,
    int? ToMonths,
    LocalDate? ValidFrom,
    LocalDate? ValidUntil,
    LocalDate? SinceFrom,
    LocalDate? SinceTo,
    RetentionAction Before,
    RetentionAction After)
{
    /// <summary>
    /// Whether the region holds <paramref name="device"/> on <paramref name="asOf"/>: its type,
    /// status and history, the as-of date within the region's dates, and the months its status has
    /// been held (by the legal calendar, <see cref="RetentionCalendar.HasElapsed"/>) within the range.
    /// </summary>
    /// <param name="device">The device.</param>
    /// <param name="asOf">The date of the decisions.</param>
    /// <param name="boundary">When a period counts as elapsed.</param>
    /// <returns><see langword="true"/> when the device is in the region.</returns>
    public bool Contains(in DeviceRecord device, LocalDate asOf, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate)
    {
        if (!Types.Contains(device.Type) || !Statuses.Contains(device.Status) || !History.Holds(device.PriorStatuses)
            || (ValidFrom is { } from && asOf < from) || (ValidUntil is { } until && asOf >= until) || device.StatusSince > asOf)
        {
            return false;
        }

        var held = FromMonths == 0 || RetentionCalendar.HasElapsed(device.StatusSince, RetentionPeriod.FromMonths(FromMonths), asOf, boundary);
        var notYet = ToMonths is not { } to || !RetentionCalendar.HasElapsed(device.StatusSince, RetentionPeriod.FromMonths(to), asOf, boundary);
        return held && notYet;
    }

    /// <summary>
    /// The statuses and how long the status has been held, in words: "pending 12-36 months",
    /// "Withdrawn or Suspended for under 12 months", "in any status for 36 months or more".
    /// </summary>
    /// <returns>The words.</returns>
    public string Duration()
    {
        var c = CultureInfo.InvariantCulture;
        var months = (FromMonths, ToMonths) switch
        {
            (0, null) => null,
            (0, { } to) => string.Create(c, $"under {to} months"),
            (var from, null) => string.Create(c, $"{from} months or more"),
            (var from, { } to) => string.Create(c, $"{from}-{to} months"),
        };
        if (Statuses is [SmiStatus.Pending])
        {
            return months is null ? "pending" : "pending " + months;
        }

        var fitting = SmiStatuses.All.ToArray().Where(s => Types.All(t => t.Fits(s))).ToArray();
        var missing = fitting.Where(s => !Statuses.Contains(s)).ToArray();
        var statuses = missing.Length == 0 && Statuses.Count > 1 ? "in any status"
            : missing.Length == 1 && Statuses.Count > 2 ? "in any status but " + missing[0].ToString()
            : Statuses.Count <= 2 ? string.Join(" or ", Statuses)
            : string.Join(", ", Statuses.Take(Statuses.Count - 1)) + " or " + Statuses[^1].ToString();
        return months is null ? statuses : statuses + " for " + months;
    }

    /// <summary>The region in one line: "Remove -> Retain: ESME, GSME pending 12-36 months, any history (status since 2016-11-08 to 2018-11-07)".</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var text = $"{Before} -> {After}: {string.Join(", ", Types)} {Duration()}, {History}";
        if (SinceTo is { } latest)
        {
            text += SinceFrom is { } earliest ? $" (status since {Iso(earliest)} to {Iso(latest)})" : $" (status since {Iso(latest)} or earlier)";
        }

        if (ValidFrom is not null || ValidUntil is not null)
        {
            text += (ValidFrom, ValidUntil) switch
            {
                ({ } from, { } until) => $", as of {Iso(from)} to {Iso(until.PlusDays(-1))}",
                ({ } from, null) => $", as of {Iso(from)} onwards",
                _ => $", as of any date before {Iso(ValidUntil!.Value)}",
            };
        }

        return text;
    }

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
