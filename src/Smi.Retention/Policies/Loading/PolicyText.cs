using System.Text;

namespace Smi.Retention.Policies.Loading;

/// <summary>
/// Policy and tests text handed over as a string, as bytes for the loaders, which read UTF-8. A
/// .NET string may hold a lone surrogate, which UTF-8 cannot: <see cref="Encoding.UTF8"/> would write
/// U+FFFD in its place, and the text would load (and be hashed) as another text. A lone surrogate
/// is refused instead, at its line and column, as a file's bytes that are not UTF-8 are.
/// </summary>
internal static class PolicyText
{
    /// <summary>The UTF-8 bytes of <paramref name="text"/>.</summary>
    /// <param name="text">The JSON text.</param>
    /// <param name="source">Its name in the problem.</param>
    /// <param name="noun">What the text is, in the refusal (null: a policy).</param>
    /// <exception cref="PolicyValidationException">The text holds a lone surrogate.</exception>
    public static byte[] Utf8(string text, string source, string? noun = null)
    {
        var (line, start) = (1, 0);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                (line, start) = (line + 1, i + 1);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                var problems = new ProblemSink(source);
                problems.Add(line, i - start + 1, null, Messages.LoneSurrogate(c));
                throw problems.Refusal(noun);
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }
}
