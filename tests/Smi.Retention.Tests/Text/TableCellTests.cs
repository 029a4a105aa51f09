using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Text;

/// <summary>
/// A value in a column of a text table (<c>stock</c>'s models) fits its width: shown as every
/// untrusted text is (control and bidi characters escaped), cut with "..." when longer, never
/// inside an escape or between the two halves of a character. It overran its column before
/// (`Aldor E1-100 with a ... (40 characters)` in a column of 22), moving every cell after it.
/// </summary>
public class TableCellTests
{
    private const string Alphabet = "AZaz09- {}\\\u0410\u2010\u200B\u202E\u0007\U0001D7CE\uFF21";

    public static Arbitrary<string> Texts() =>
        Gen.Elements(Alphabet.EnumerateRunes().Select(r => r.ToString()).ToArray()).ArrayOf().Where(a => a.Length < 60).Select(string.Concat).ToArbitrary();

    [Property(Arbitrary = [typeof(TableCellTests)], MaxTest = 3000, QuietOnSuccess = true)]
    public bool Cell_FitsItsWidth_ShownWhole_OrCutAtAWholeCharacterOrEscape(string text, PositiveInt widthSeed)
    {
        var width = 8 + (widthSeed.Get % 30);
        var cell = Untrusted.Cell(text, width);
        var whole = Untrusted.Show(text, int.MaxValue);
        if (whole.Length <= width)
        {
            return cell == whole;
        }

        var kept = cell[..^3];
        return cell.Length <= width
            && cell.EndsWith("...", StringComparison.Ordinal)
            && whole.StartsWith(kept, StringComparison.Ordinal)
            && !char.IsHighSurrogate(kept.Length > 0 ? kept[^1] : 'x')
            && WholeEscapes(whole, kept.Length);
    }

    [Theory]
    [InlineData("Short", 21, "Short")]
    [InlineData("Aldor E1-100 with a very long model name", 21, "Aldor E1-100 with ...")]
    [InlineData("Aldor E1-100\u202Ewith", 16, "Aldor E1-100...")]
    public void Cell_Examples(string text, int width, string expected) => Assert.Equal(expected, Untrusted.Cell(text, width));

    // Every escape ("\u{...}") of the whole text that begins before the cut ends before it.
    private static bool WholeEscapes(string whole, int cut)
    {
        for (var at = whole.IndexOf("\\u{", StringComparison.Ordinal); at >= 0 && at < cut; at = whole.IndexOf("\\u{", at + 1, StringComparison.Ordinal))
        {
            if (whole.IndexOf('}', at) >= cut)
            {
                return false;
            }
        }

        return true;
    }
}
