using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary><c>diff</c>'s result: how many devices change action, by direction and type (the devices themselves go to <c>--out</c>).</summary>
/// <param name="Policy">The proposed policy.</param>
/// <param name="Against">The policy it is compared against.</param>
/// <param name="AsOf">The as-of date.</param>
/// <param name="Boundary">The boundary mode.</param>
/// <param name="Rows">Rows read = compared + rejected.</param>
/// <param name="Changes">The changes, by direction and type.</param>
internal sealed record DiffTotals(PolicyRef Policy, PolicyRef Against, LocalDate AsOf, BoundaryMode Boundary, DiffTotals.RowCounts Rows, DiffTotals.ChangeCounts Changes)
    : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "diff";

    /// <summary>The totals of <paramref name="report"/>.</summary>
    public static DiffTotals Of(CompiledPolicy proposed, CompiledPolicy current, LocalDate asOf, DiffReport report, long read, long rejected) =>
        new(PolicyRef.Of(proposed), PolicyRef.Of(current), asOf, proposed.Boundary, new RowCounts(read, report.DevicesRead, rejected),
            new ChangeCounts(
                report.Total, report.Count(ChangeDirection.NewlyRemoved), report.Count(ChangeDirection.NewlyRetained), report.Count(ChangeDirection.Other),
                ByType.Of(type => report.Count(ChangeDirection.NewlyRemoved, type)), ByType.Of(type => report.Count(ChangeDirection.NewlyRetained, type)),
                ByType.Of(type => report.Count(ChangeDirection.Other, type))));

    /// <inheritdoc/>
    public void WriteText(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"Diff       {Policy.Name} (sha256 {Policy.Sha256[..12]}) against {Against.Name} (sha256 {Against.Sha256[..12]}), as of {LocalDatePattern.Iso.Format(AsOf)}"));
        output.WriteLine(string.Create(c, $"Rows       {Rows.Read:N0} read = {Rows.Compared:N0} compared + {Rows.Rejected:N0} rejected"));
        output.WriteLine(string.Create(c, $"Changes    {Changes.Total:N0}: newly removed {Changes.NewlyRemoved:N0}, newly retained {Changes.NewlyRetained:N0}, other {Changes.Other:N0}"));
        output.WriteLine();
        var removed = Columns.Width(15, Changes.NewlyRemovedByType.Values);
        var retained = Columns.Width(16, Changes.NewlyRetainedByType.Values);
        var other = Columns.Width(8, Changes.OtherByType.Values);
        output.WriteLine(string.Create(c, $"  {"type",-7}{Columns.Right("newly removed", removed)}{Columns.Right("newly retained", retained)}{Columns.Right("other", other)}"));
        foreach (var type in DeviceTypes.All)
        {
            var name = type.ToString();
            output.WriteLine(string.Create(c, $"  {type,-7}{Columns.Right(Changes.NewlyRemovedByType[name], removed)}{Columns.Right(Changes.NewlyRetainedByType[name], retained)}{Columns.Right(Changes.OtherByType[name], other)}"));
        }
    }

    /// <summary>Rows read, and how they split.</summary>
    /// <param name="Read">Rows read.</param>
    /// <param name="Compared">Rows of devices compared.</param>
    /// <param name="Rejected">Rows rejected.</param>
    internal sealed record RowCounts(long Read, long Compared, long Rejected);

    /// <summary>The devices whose action changes.</summary>
    /// <param name="Total">All of them.</param>
    /// <param name="NewlyRemoved">Retained by the policy compared against, removed by the proposed one.</param>
    /// <param name="NewlyRetained">The other way round.</param>
    /// <param name="Other">Any other change (to or from Undetermined).</param>
    /// <param name="NewlyRemovedByType">Newly removed, for every device type.</param>
    /// <param name="NewlyRetainedByType">Newly retained, for every device type.</param>
    /// <param name="OtherByType">Any other change (to or from Undetermined), for every device type.</param>
    internal sealed record ChangeCounts(
        long Total, long NewlyRemoved, long NewlyRetained, long Other, IReadOnlyDictionary<string, long> NewlyRemovedByType, IReadOnlyDictionary<string, long> NewlyRetainedByType, IReadOnlyDictionary<string, long> OtherByType);
}
