using System.Globalization;
using Smi.Retention.Text;

namespace Smi.Retention.Impact;

/// <summary>The cost of removing one device, as a range (the SECMP0060 report gives £36 to £50 for a Communications Hub).</summary>
/// <param name="Low">The lower cost.</param>
/// <param name="High">The higher cost.</param>
public readonly record struct CostBand(decimal Low, decimal High)
{
    /// <summary>The most a single removal may be said to cost: a million pounds.</summary>
    public const decimal MaxCostPerDevice = 1_000_000m;

    /// <summary>Parses <c>36-50</c>, or a single figure such as <c>40</c>.</summary>
    /// <param name="text">The band.</param>
    /// <returns>The band.</returns>
    /// <exception cref="FormatException">The text is not one or two non-negative numbers joined by '-', the lower first.</exception>
    public static CostBand Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Digits and a '.', read the same in every culture: '36,50' is refused, never read as 3650.
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (InvariantNumbers.TryParseDecimal(parts[0], 4, out var low) && InvariantNumbers.TryParseDecimal(parts[^1], 4, out var high)
            && low <= high && high <= MaxCostPerDevice)
        {
            return new CostBand(low, high);
        }

        throw new FormatException(Messages.BadCostBand(text));
    }

    /// <summary>
    /// The band as a report shows it to a person: thousands separated, pence only where there are
    /// some (a cost per device may have them: 3.19, not 3), one figure when both ends are the same;
    /// each figure after <paramref name="currency"/> (the workbench's "£"). With
    /// <paramref name="decimals"/> (a column of bands costed at one price: its <see cref="Decimals"/>),
    /// that many always, so that a column does not mix 146-201 with 10,001.00-13,768.50 and its
    /// figures add up as shown (a price of 36.555 gives bands to the tenth of a penny).
    /// </summary>
    internal string Shown(string currency = "", int? decimals = null)
    {
        var format = "N" + Math.Max(decimals ?? 0, Decimals).ToString(CultureInfo.InvariantCulture); // both ends alike: 36.00-50.50, not 36-50.50
        string Figure(decimal value) => currency + value.ToString(format, CultureInfo.InvariantCulture);

        return Low == High ? Figure(Low) : Figure(Low) + "-" + Figure(High);
    }

    /// <summary>The decimals the band's figures need: 0 for whole pounds, 2 for pence, more for a fraction of a penny.</summary>
    internal int Decimals => Math.Max(DecimalsOf(Low), DecimalsOf(High));

    private static int DecimalsOf(decimal value)
    {
        var places = 0;
        while (decimal.Truncate(value) != value && places < 28)
        {
            value *= 10;
            places++;
        }

        return places == 0 ? 0 : Math.Max(2, places);
    }

    /// <inheritdoc />
    public override string ToString() => Low == High ? Low.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Low}-{High}");
}
