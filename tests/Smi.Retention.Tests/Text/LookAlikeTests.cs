using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Text;

/// <summary>
/// Two spellings of a name that look alike (a model named in a rule, and the inventory's): any
/// letter swapped for a Cyrillic or Greek one drawn alike, any hyphen for another dash, any case,
/// and still the same to the eye, so the warning names it; a name that differs in what shows (a
/// digit no letter is drawn as, another digit) is another name, never said to look alike.
/// </summary>
public class LookAlikeTests
{
    private const string Alphabet = "ABCEHIKMNOPTXYZabcdehikmnoptxyz0123456789- ";

    // Each Latin letter with a look-alike of another script, and the dashes a hyphen may be written as.
    private static readonly Dictionary<char, string> Alike = new()
    {
        ['A'] = "\u0410\u0391", ['B'] = "\u0412\u0392", ['C'] = "\u0421", ['E'] = "\u0415\u0395", ['H'] = "\u041D\u0397",
        ['I'] = "\u0406\u0399", ['K'] = "\u041A\u039A", ['M'] = "\u041C\u039C", ['N'] = "\u039D", ['O'] = "\u041E\u039F",
        ['P'] = "\u0420\u03A1", ['T'] = "\u0422\u03A4", ['X'] = "\u0425\u03A7", ['Y'] = "\u03A5", ['Z'] = "\u0396",
        ['a'] = "\u0430", ['c'] = "\u0441", ['e'] = "\u0435", ['o'] = "\u043E\u03BF", ['p'] = "\u0440", ['x'] = "\u0445",
        ['-'] = "\u2010\u2011\u2012\u2013\u2014\u2212",
    };

    public static Arbitrary<string> Names() =>
        Gen.Elements(Alphabet.ToCharArray()).ArrayOf().Where(a => a.Length is > 0 and < 24).Select(a => new string(a)).ToArbitrary();

    [Property(Arbitrary = [typeof(LookAlikeTests)], MaxTest = 2000, QuietOnSuccess = true)]
    public Property SwappedForLookAlikes_LookAlike(string name, int seed)
    {
        var random = new Random(seed);
        var swapped = new string([.. name.Select(c => Alike.TryGetValue(c, out var others) && random.Next(2) == 0 ? others[random.Next(others.Length)] : random.Next(4) == 0 ? char.ToUpperInvariant(c) : c)]);
        return (Spelling.LookAlike(name, swapped) == (swapped != name)
            && Spelling.LookAlike(swapped, name) == (swapped != name)).Label($"{name} / {swapped}");
    }

    // Any character changed to a digit drawn like no letter (2 to 9), or a digit to the next: another name.
    [Property(Arbitrary = [typeof(LookAlikeTests)], MaxTest = 2000, QuietOnSuccess = true)]
    public Property ADigitOrLetterChanged_NeverLooksAlike(string name, int at, char digit)
    {
        var i = Math.Abs(at % name.Length);
        var other = (char)('2' + Math.Abs(digit % 8));
        var changed = string.Concat(name.AsSpan(0, i), (char.IsDigit(name[i]) ? (char)('0' + ((name[i] - '0' + 1) % 10)) : other).ToString(), name.AsSpan(i + 1));
        return (!Spelling.LookAlike(name, changed)).Label($"{name} / {changed}");
    }

    [Theory]
    [InlineData("Aldor E1-100", "Aldor E1-101", false)]
    [InlineData("Aldor E1-100", "Aldor E1-100", false)] // the same name is not another spelling
    [InlineData("Aldor E1-100", "Aldor E1 100", false)] // a hyphen and a space show differently
    [InlineData("Aldor E1-100", "Aldor\u00A0E1-100", true)]
    [InlineData("Aldor E1-100", "Aldor E1\uFF0D100", true)] // fullwidth forms read as what they widen
    [InlineData("Aldor E1-100", "Aldor E\u00B9-100", true)] // a superscript digit (a review)
    [InlineData("Aldor E1-100", "\u1D2Cldor E1-100", true)] // a modifier capital letter (a review)
    [InlineData("Aldor E1-100", "Aldor E1-1\u2080\u2080", true)] // subscript digits
    [InlineData("Aldor E1-100", "Aldor E\u00B2-100", false)] // a superscript two is a two
    [InlineData("Aldor E1-100", "Aldor E1\u207B100", true)] // a superscript minus (a review)
    [InlineData("Aldor E1-100", "Aldor E1\u208B100", true)] // a subscript minus (a review)
    [InlineData("Aldor E1-100", "Aldor E1-1\u00BA\u00BA", true)] // the masculine ordinal, drawn as a small o (a review)
    [InlineData("aldor e1-100", "\u00AAldor e1-100", true)] // the feminine ordinal, drawn as a small a
    [InlineData("Hub Central 2", "Hub Central \uFF12", true)]
    [InlineData("Aldor E1-100", "Aldor  E1-100", true)] // a run of spaces reads as one
    [InlineData("Aldor E1-100", "Aldor E1\u2010\u2010100", true)]
    [InlineData("Aldor E1-100", "Aldor E1\u2043100", true)] // marks drawn as a hyphen, not dash punctuation
    [InlineData("Aldor E1-100", "Aldor E1\u02D7100", true)]
    [InlineData("Aldor E1-100", "Aldor E1\u2796100", true)]
    [InlineData("Aldor E1-100", "Aldor E1\u30FC100", true)]
    [InlineData("Aldor E1-100", "Aldor E1\u2500100", true)]
    [InlineData("Aldor E1-100", "Aldor E1-\U0001D7F7\U0001D7F6\U0001D7F6", true)] // mathematical monospace digits
    [InlineData("Aldor E1-100", "Aldor E1-\U0001D7CF00", true)] // a mathematical bold one
    [InlineData("Aldor E1-100", "AIdor E1-100", true)] // l and I
    [InlineData("Aldor E1-100", "Aldor E1-1OO", true)] // 0 and O
    [InlineData("Aldor E1-100", "Aldor El-100", true)] // 1 and l
    [InlineData("Aldor E1-100", "Aldor E1-\u0131oo", true)] // a dotless i and small o
    [InlineData("Aldor E1-100", "ALDOR E1-100", true)] // case
    [InlineData("Aldor E1-100", "Aldor E1_100", false)]
    [InlineData("Aldor E1-100", "AldorE1-100", false)]
    [InlineData("Aldor E1-100", "Aldor E2-100", false)]
    public void Examples(string a, string b, bool alike) => Assert.Equal(alike, Spelling.LookAlike(a, b));
}
