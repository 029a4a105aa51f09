using System.Globalization;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary>
/// The right-aligned figure columns of the text tables: as wide as usual, or as their widest figure
/// with a space before it when that is wider (1,226,797 displays ran into the next column of an
/// 8-wide one, the figures unreadable).
/// </summary>
internal static class Columns
{
    /// <summary>A count as the tables show it: grouped thousands.</summary>
    public static string Figure(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The width of a column of <paramref name="figures"/>: <paramref name="usual"/>, or the widest figure and a space.</summary>
    public static int Width(int usual, IEnumerable<long> figures) => Math.Max(usual, figures.Select(n => Figure(n).Length + 1).DefaultIfEmpty(0).Max());

    /// <summary><paramref name="text"/> right-aligned in <paramref name="width"/>.</summary>
    public static string Right(string text, int width) => text.PadLeft(width);

    /// <summary><paramref name="count"/> right-aligned in <paramref name="width"/>.</summary>
    public static string Right(long count, int width) => Figure(count).PadLeft(width);
}
