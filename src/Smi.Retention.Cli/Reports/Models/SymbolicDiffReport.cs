using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary><c>diff --symbolic</c>'s result: every region of devices whose action changes, from the two policies alone.</summary>
/// <param name="Policy">The proposed policy.</param>
/// <param name="Against">The policy in force it is compared against.</param>
/// <param name="AsOf">The as-of date, or null for every date.</param>
/// <param name="Boundary">The boundary mode.</param>
/// <param name="Regions">The regions, each exact.</param>
internal sealed record SymbolicDiffReport(PolicyRef Policy, PolicyRef Against, LocalDate? AsOf, BoundaryMode Boundary, IReadOnlyList<SymbolicDiffReport.Region> Regions)
    : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "symbolic-diff";

    /// <summary>The report of <paramref name="result"/>.</summary>
    public static SymbolicDiffReport Of(CompiledPolicy proposed, CompiledPolicy current, SymbolicDiffResult result) =>
        new(PolicyRef.Of(proposed), PolicyRef.Of(current), result.AsOf, result.Boundary, [.. result.Regions.Select(Region.Of)]);

    /// <inheritdoc/>
    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var when = AsOf is { } date ? "as of " + LocalDatePattern.Iso.Format(date) : "on every as-of date";
        output.WriteLine(string.Create(c, $"Diff       {Policy.Name} (sha256 {Policy.Sha256[..12]}) against {Against.Name} (sha256 {Against.Sha256[..12]}), {when}, from the policies alone"));
        if (Regions.Count == 0)
        {
            output.WriteLine("No device's action changes: both decide every device alike.");
            return;
        }

        output.WriteLine(string.Create(c, $"Changes    {Regions.Count} region{(Regions.Count == 1 ? "" : "s")} of devices whose action changes; every other device is decided alike:"));
        foreach (var region in Regions)
        {
            output.WriteLine("  " + region.Text);
        }
    }

    /// <summary>A region of devices whose action changes: its facts, and its line of text as the library words it.</summary>
    /// <param name="Before">The action under the policy in force.</param>
    /// <param name="After">The action under the proposed one.</param>
    /// <param name="Types">The device types.</param>
    /// <param name="Statuses">The current statuses.</param>
    /// <param name="History">The statuses held before.</param>
    /// <param name="FromMonths">Months in the status, at least.</param>
    /// <param name="ToMonths">Months in the status, fewer than; null for no bound.</param>
    /// <param name="ValidFrom">The first as-of date it applies to, or null.</param>
    /// <param name="ValidUntil">The last as-of date it applies to, or null.</param>
    /// <param name="StatusSinceFrom">With an as-of date: the earliest status date in it, or null.</param>
    /// <param name="StatusSinceTo">With an as-of date: the latest status date in it, or null.</param>
    /// <param name="Text">The region in words.</param>
    internal sealed record Region(
        RetentionAction Before, RetentionAction After, IReadOnlyList<DeviceType> Types, IReadOnlyList<SmiStatus> Statuses, HistoryFacts History,
        int FromMonths, int? ToMonths, LocalDate? ValidFrom, LocalDate? ValidUntil, LocalDate? StatusSinceFrom, LocalDate? StatusSinceTo, string Text)
    {
        /// <summary>The facts of <paramref name="region"/>.</summary>
        public static Region Of(ChangeRegion region) =>
            new(region.Before, region.After, region.Types, region.Statuses, HistoryFacts.Of(region.History), region.FromMonths, region.ToMonths,
                region.ValidFrom, region.ValidUntil, region.SinceFrom, region.SinceTo, region.ToString());
    }

    /// <summary>The history a region's devices hold: its kind, the statuses it names, its terms, and its words.</summary>
    /// <param name="Kind">The kind, camelCase (any, heldAnyOf, ...).</param>
    /// <param name="Statuses">The statuses the kind names.</param>
    /// <param name="Terms">For anyOfTerms: each term's statuses held and not held.</param>
    /// <param name="Text">The history in words.</param>
    internal sealed record HistoryFacts(string Kind, IReadOnlyList<SmiStatus> Statuses, IReadOnlyList<Term> Terms, string Text)
    {
        /// <summary>The facts of <paramref name="history"/>.</summary>
        public static HistoryFacts Of(HistoryCondition history) =>
            new(JsonNamingPolicy.CamelCase.ConvertName(history.Kind.ToString()), history.Statuses,
                [.. history.Terms.Select(t => new Term([.. SmiStatuses.All.ToArray().Where(t.Held.Contains)], [.. SmiStatuses.All.ToArray().Where(t.NotHeld.Contains)]))],
                history.ToString());
    }

    /// <summary>A term of a history: statuses held, and statuses never held, before.</summary>
    /// <param name="Held">Held before.</param>
    /// <param name="NotHeld">Never held before.</param>
    internal sealed record Term(IReadOnlyList<SmiStatus> Held, IReadOnlyList<SmiStatus> NotHeld);
}
