namespace Smi.Retention;

/// <summary>Parsing of <see cref="SmetsGeneration"/> values and of device models, as an inventory gives them.</summary>
public static class SmetsGenerations
{
    /// <summary>The longest device model, in characters, that a record or a rule may name.</summary>
    public const int MaxModelLength = 64;

    /// <summary>The generations a record can name (not <see cref="SmetsGeneration.Unknown"/>, which is the absence of one).</summary>
    public static ReadOnlySpan<SmetsGeneration> Known => KnownValues;

    private static readonly SmetsGeneration[] KnownValues = [SmetsGeneration.SMETS1, SmetsGeneration.SMETS2];

    /// <summary>The generations' names, as a rule and an inventory write them.</summary>
    internal static readonly string[] Names = [.. KnownValues.Select(g => g.ToString())];

    /// <summary>Parses <c>SMETS1</c> or <c>SMETS2</c>, in any case; anything else (a number, <c>Unknown</c>, spaces) is refused.</summary>
    /// <param name="text">The value, e.g. <c>SMETS2</c>.</param>
    /// <param name="generation">The generation, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is wrong and what to write instead, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a generation.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out SmetsGeneration generation, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(text, Names[i]))
            {
                generation = KnownValues[i];
                error = null;
                return true;
            }
        }

        generation = SmetsGeneration.Unknown;
        error = Messages.UnknownGeneration(text);
        return false;
    }

    /// <summary>Parses the generation from ASCII bytes exactly as written (any case, no spaces): the reader's fast path.</summary>
    internal static bool TryParseAscii(ReadOnlySpan<byte> text, out SmetsGeneration generation)
    {
        generation = SmetsGeneration.Unknown;
        if (text.Length != 6 || !System.Text.Ascii.EqualsIgnoreCase(text[..5], "SMETS"u8))
        {
            return false;
        }

        generation = text[5] switch
        {
            (byte)'1' => SmetsGeneration.SMETS1,
            (byte)'2' => SmetsGeneration.SMETS2,
            _ => SmetsGeneration.Unknown,
        };
        return generation != SmetsGeneration.Unknown;
    }

    /// <summary>Whether <paramref name="generation"/> is a declared value (<see cref="SmetsGeneration.Unknown"/> included).</summary>
    /// <param name="generation">The value to check.</param>
    /// <returns><see langword="true"/> for Unknown, SMETS1 and SMETS2.</returns>
    public static bool IsDefined(SmetsGeneration generation) => generation <= SmetsGeneration.SMETS2;

    /// <summary>
    /// Whether <paramref name="model"/> can be a device model: 1 to <see cref="MaxModelLength"/>
    /// visible characters (code points) and inner spaces, with no control, format, bidi or zero-width character and no
    /// space at either end. A model is opaque: compared exactly, in its case.
    /// </summary>
    /// <param name="model">The model as the SMI names it.</param>
    /// <param name="error">What is wrong, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when it can.</returns>
    public static bool IsValidModel(string model, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(model);
        error = Text.Untrusted.LongerThan(model, MaxModelLength) ? Messages.ModelTooLong(Text.Untrusted.Characters(model))
            : !Text.Untrusted.IsPrintableName(model) ? Messages.ModelNotPrintable(Text.Untrusted.Show(model, 80))
            : null;
        return error is null;
    }

}
