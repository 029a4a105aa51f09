using NodaTime;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
using Smi.Retention.Text;

namespace Smi.Retention;

/// <summary>Messages of impact analysis and of the blast-radius guard's limits.</summary>
internal static partial class Messages
{
    // ---- Impact analysis

    public static string DiffChangesStreamed() =>
        "This diff handed each change to its callback as it was found and did not keep them; use the counts (Total, Count), or call PolicyDiff.Compare without a callback to keep every change.";

    public static string BadCostBand(string text) =>
        F($"'{Untrusted.Show(text)}' is not a cost per device; write a figure or a range, lower first, in digits with a '.' for pence, such as 36-50 or 36.50 (pounds per removed device, at most {CostBand.MaxCostPerDevice:N0}).");

    public static string ForecastPastTheEndOfDates(LocalDate from, int months) =>
        F($"A forecast of {months} months from {Iso(from)} would pass the last date there is (9999-12-31); start earlier or forecast fewer months.");

    public static string LintDisabled(RetentionAction action) =>
        action == RetentionAction.Retain
            ? "This Retain rule is disabled (\"Enabled\": false): it is checked but keeps no device, so the devices it would keep are decided by the rules after it, and may be removed. Set \"Enabled\": true, or delete the rule if the exclusion is meant to go."
            : "This Remove rule is disabled (\"Enabled\": false): it is checked but removes no device, so the devices it would remove are decided by the rules after it. Set \"Enabled\": true, or delete the rule.";

    public static string LintShadowed() =>
        "This rule never decides any device: every device it matches is decided by an earlier rule. Move it up, narrow the earlier rule, or remove it.";

    public static string LintMatchesNothing() =>
        "This rule matches no device at all: it is false as written, or its tests can never all hold (as in device.Type == \"IHD\" && device.Status == \"Pending\": Type 2 devices are never Pending). Fix its expression or remove it.";

    public static string LintShortPeriod(RetentionPeriod period) =>
        F($"The period {period} is shorter than 12 months, the shortest AC 7.2 has ever used. Check it is meant.");

    public static string LintNeverRemoved(DeviceType type) =>
        F($"No rule can ever remove a {type}, and no Retain rule excludes it on purpose. Add a rule for {type} devices, or an explicit exclusion if that is the intent.");

    public static string LintHalfHub(DeviceType kept, DeviceType removed) =>
        F($"Communications Hubs are half-excluded: {removed} devices can be removed but {kept} devices never. A hub is both its CHF and its GPF; exclude both (device.IsCommunicationsHub) or neither, or orphans are left behind.");

    public static string BadFraction(decimal value) =>
        F($"{value} is not a removal fraction; give a number from 0 to 1 with at most {BlastRadiusLimits.MaxFractionDecimals} decimal places.");

    public static string NegativeRate(decimal rate) =>
        F($"The monthly rate {rate} is negative; give the charge for one Communications Hub a month, 0 or more.");

    public static string StockRecordNotCountable(in DeviceRecord device, NodaTime.LocalDate asOf) =>
        !device.IsInitialized ? "An uninitialised record cannot be counted: make records with the DeviceRecord constructor."
            : F($"Device {device.Id}'s status applies from {NodaTime.Text.LocalDatePattern.Iso.Format(device.StatusSince)}, after the count's date {NodaTime.Text.LocalDatePattern.Iso.Format(asOf)}; count the stock on or after every status date.");

    public static string LintFactNotInInventory(string member, string source, string column) =>
        F($"The rule tests device.{member}, but {Untrusted.Show(source, 300)} has no {column} column: every device whose decision needs it is Undetermined, never retained or removed. Add the column to the inventory, or write the rule without it.");

    public static string LintModelUnchecked(string model, string source) =>
        F($"The rule names the device model '{Untrusted.Show(model, 80)}', but {Untrusted.Show(source, 300)} has too many distinct models to keep them all: whether any device has this model, or one spelled alike, was not checked, and a model is compared exactly. Check the spelling against the inventory's device_model values.");

    public static string NotAForecastMonth(int month, int months) =>
        F($"{month} is not a month of the forecast: its months are 0 to {months - 1}.");

    public static string LintModelLookAlikes(string model, string source, IReadOnlyList<string> lookAlikes) =>
        F($"The rule names the device model '{Untrusted.Show(model, 80)}'; {Untrusted.Show(source, 300)} also has {LookAlikes(lookAlikes)}. Correct the inventory's spelling, or name each spelling in the rule if all are meant.");

    /// <summary>The rule's model is in no row, but spellings that look like it are: every one named, so that correcting one does not leave the others unmatched.</summary>
    public static string LintModelOnlyLookAlikes(string model, string source, IReadOnlyList<string> lookAlikes) =>
        F($"The rule names the device model '{Untrusted.Show(model, 80)}'{NotAscii(model)}, which no device of {Untrusted.Show(source, 300)} has; it has {LookAlikes(lookAlikes)}. Correct the inventory's spelling, or the rule's; name each spelling in the rule if all are meant.");

    /// <summary>The look-alike spellings, each with its characters outside ASCII, and why they do not match.</summary>
    private static string LookAlikes(IReadOnlyList<string> lookAlikes) =>
        F($"{string.Join(", ", lookAlikes.Take(ShownLookAlikes).Select(m => $"'{Untrusted.Show(m, 80)}'{NotAscii(m)}"))}{(lookAlikes.Count > ShownLookAlikes ? F($" and {lookAlikes.Count - ShownLookAlikes:N0} more (stock --out lists every model)") : "")}, which look{(lookAlikes.Count == 1 ? "s" : "")} alike (in case, or drawn alike: dashes, spaces, l and 1, O and 0, Cyrillic, Greek, fullwidth or mathematical characters) but {(lookAlikes.Count == 1 ? "is" : "are")} not it: a model is compared exactly, so the rule does not match {(lookAlikes.Count == 1 ? "its" : "their")} devices");

    /// <summary>How many look-alike spellings a warning names; the rest are counted.</summary>
    private const int ShownLookAlikes = 20;

    public static string LintModelDrawnAlike(string model) =>
        F($"The rule names the device model '{Untrusted.Show(model, 80)}'{NotAscii(model)}, which has characters drawn like ASCII ones (a Cyrillic or Greek letter, a dash other than the hyphen-minus, a fullwidth or mathematical character): a model is compared exactly, so an inventory that spells it in ASCII never matches it. Write it as the inventory's device_model gives it.");

    /// <summary>" (U+0410, U+2010)": the characters of a name that are not ASCII, which a look-alike hides; empty when there are none.</summary>
    private static string NotAscii(string name)
    {
        var points = name.EnumerateRunes().Where(r => !r.IsAscii).Select(r => F($"U+{r.Value:X4}")).Distinct().ToArray();
        return points.Length == 0 ? "" : F($" ({string.Join(", ", points.Take(6))}{(points.Length > 6 ? ", ..." : "")})");
    }

    public static string LintModelNotInInventory(string model, string source, string? nearest) =>
        F($"The rule names the device model '{Untrusted.Show(model, 80)}'{NotAscii(model)}, which no device of {Untrusted.Show(source, 300)} has: a model is compared exactly, so the rule never matches by it. Write the model as the inventory's device_model gives it{(nearest is null ? "." : $": did you mean '{Untrusted.Show(nearest, 80)}'{NotAscii(nearest)}?")}");
}
