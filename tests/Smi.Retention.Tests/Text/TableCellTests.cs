using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Text;

/// <summary>
/// A value in a column of a text table (<c>stock</c>'s models) takes exactly its columns: shown as
/// every untrusted text is (control and bidi characters escaped), padded, or cut to its start and
/// its end with "..." between, never inside an escape or a character; a character outside the BMP
/// takes one column, a fullwidth one two. It overran its column before ("Aldor E1-100 with a ...
/// (40 characters)" in a column of 22), then cut by UTF-16 units (64 mathematical digits took 9
/// columns where ASCII took 18), and models differing only at the end looked alike (reviews).
/// </summary>
public partial class TableCellTests
{
    private const string Alphabet = "AZaz09- {}\\\u0410\u2010\u200B\u202E\u0007\U0001D7CE\uFF21";

    public static Arbitrary<string> Texts() =>
        Gen.Elements(Alphabet.EnumerateRunes().Select(r => r.ToString()).ToArray()).ArrayOf().Where(a => a.Length < 60).Select(string.Concat).ToArbitrary();

    [Property(Arbitrary = [typeof(TableCellTests)], MaxTest = 3000, QuietOnSuccess = true)]
    public bool Cell_TakesItsColumns_ShownWholeOrItsStartAndEnd(string text, PositiveInt widthSeed)
    {
        var width = 8 + (widthSeed.Get % 30);
        var cell = Untrusted.Cell(text, width);
        var whole = Untrusted.Show(text, int.MaxValue);
        if (Columns(Units(cell)) != width)
        {
            return false;
        }

        if (Columns(Units(whole)) <= width)
        {
            return cell.TrimEnd(' ') == whole.TrimEnd(' ');
        }

        // head + "..." + tail + padding, each of head and tail whole units of the text shown.
        var units = Units(whole);
        return Enumerable.Range(0, units.Length + 1).Any(h => Enumerable.Range(h, units.Length - h + 1).Any(t =>
            cell.TrimEnd(' ') == (string.Concat(units[..h]) + "..." + string.Concat(units[t..])).TrimEnd(' ')));
    }

    [Theory]
    [InlineData("Short", 21, "Short                ")]
    [InlineData("Aldor E1-100 with a very long model name", 21, "Aldor E1-...odel name")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA20", 21, "AAAAAAAAA...AAAAAAA20")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA21", 21, "AAAAAAAAA...AAAAAAA21")]
    [InlineData("Aldor\u202EE1-100 rev B", 16, "Aldor...00 rev B")] // the escape does not fit the start: the end takes its room
    public void Cell_Examples(string text, int width, string expected) => Assert.Equal(expected, Untrusted.Cell(text, width));

    [Fact]
    public void Cell_MathematicalDigitsAndFullwidthLetters_TakeTheirColumns()
    {
        Assert.Equal(string.Concat(Enumerable.Repeat("\U0001D7CE", 9)) + "..." + string.Concat(Enumerable.Repeat("\U0001D7CE", 9)), Untrusted.Cell(string.Concat(Enumerable.Repeat("\U0001D7CE", 64)), 21));
        Assert.Equal(new string('\uFF21', 4) + "..." + new string('\uFF21', 3) + " ", Untrusted.Cell(new string('\uFF21', 30), 18));
    }

    // A flag is two regional indicators: cut between them, the end showed other flags (GB, GB, ... as
    // BG); an emoji with a skin tone is one character to a reader (a review).
    [Fact]
    public void Cell_FlagsAndModifiers_KeptWhole()
    {
        var flags = Times("\U0001F1EC\U0001F1E7", 20); // 20 flags of the United Kingdom
        var cell = Untrusted.Cell(flags, 21);
        Assert.Equal(Times("\U0001F1EC\U0001F1E7", 4) + "..." + Times("\U0001F1EC\U0001F1E7", 5), cell); // two columns each: 8 + 3 + 10
        var thumbs = Untrusted.Cell(Times("\U0001F44D\U0001F3FD", 20), 21);
        Assert.Equal(Times("\U0001F44D\U0001F3FD", 4) + "..." + Times("\U0001F44D\U0001F3FD", 5), thumbs);
    }

    private static string Times(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    // Emoji of the first plane that terminals draw two columns wide were counted one, so the row ran on (a review).
    [Theory]
    [InlineData("\u2705")]
    [InlineData("\u231A")]
    [InlineData("\u2614")]
    [InlineData("\u26A1")]
    [InlineData("\u274C")]
    [InlineData("\u2B50")]
    [InlineData("\U0001F004")]
    [InlineData("\U0001F680")]
    public void Cell_WideEmoji_TwoColumnsEach(string emoji)
    {
        Assert.Equal(Times(emoji, 5) + new string(' ', 11), Untrusted.Cell(Times(emoji, 5), 21));
        Assert.Equal(Times(emoji, 4) + "..." + Times(emoji, 5), Untrusted.Cell(Times(emoji, 20), 21));
    }

    [Fact]
    public void Show_CutsAndCountsCharacters_NotUtf16Units()
    {
        var digits = string.Concat(Enumerable.Repeat("\U0001D7CE", 130));
        Assert.Equal(string.Concat(Enumerable.Repeat("\U0001D7CE", 120)) + "... (130 characters)", Untrusted.Show(digits));
        Assert.Equal(string.Concat(Enumerable.Repeat("\U0001D7CE", 64)), Untrusted.Show(string.Concat(Enumerable.Repeat("\U0001D7CE", 64)), 80));
    }

    // The text's units as shown: an escape, a character (two UTF-16 units outside the BMP), each whole.
    private static string[] Units(string shown) => [.. Unit().Matches(shown).Select(m => m.Value)];

    private static int Columns(IEnumerable<string> units) => units.Sum(u => u.StartsWith("\\u{", StringComparison.Ordinal) ? u.Length : u == "\uFF21" ? 2 : 1);

    [GeneratedRegex(@"\\u\{[0-9A-F]+\}|[\uD800-\uDBFF][\uDC00-\uDFFF]|.", RegexOptions.Singleline)]
    private static partial Regex Unit();
}
