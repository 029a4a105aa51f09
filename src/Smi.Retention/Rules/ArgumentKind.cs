using Smi.Retention.Text;

namespace Smi.Retention.Rules;

/// <summary>
/// What a literal in a rule names: a device type, a status, a SMETS generation, a period or a device
/// model. Each kind reads a literal exactly as its text says, after the expression's escapes are
/// undone: one name (any case, ASCII letters and digits only), one period, or one model (opaque text,
/// compared exactly), never a list, a number or anything the parser would read otherwise.
/// </summary>
internal sealed partial class ArgumentKind
{
    /// <summary>A device type name: <c>"CHF"</c>.</summary>
    public static readonly ArgumentKind DeviceType = new("device type", "device types", EnumNames<DeviceType>.NameArray(), "CHF");

    /// <summary>An SMI status name: <c>"Commissioned"</c>.</summary>
    public static readonly ArgumentKind Status = new("status", "statuses", EnumNames<SmiStatus>.NameArray(), "Commissioned");

    /// <summary>A SMETS generation: <c>"SMETS2"</c>.</summary>
    public static readonly ArgumentKind Generation = new("SMETS generation", "SMETS generations", SmetsGenerations.Names, "SMETS2");

    /// <summary>A retention period of whole months or years: <c>"P36M"</c>.</summary>
    public static readonly ArgumentKind Period = new("period", "periods", null, "P36M");

    /// <summary>A device model, as the SMI names it: opaque text, compared exactly.</summary>
    public static readonly ArgumentKind Model = new("device model", "device models", null, "E470-5394") { IsText = true };

    // Generated at build time: nothing to parse or build when the first policy loads.
    [System.Text.RegularExpressions.GeneratedRegex("^[Pp](?:[0-9]+[Yy])?(?:[0-9]+[Mm])?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex WholeMonths();

    private ArgumentKind(string noun, string plural, string[]? names, string example)
    {
        Noun = noun;
        Plural = plural;
        Names = names is null ? null : Array.AsReadOnly(names);
        Example = example;
    }

    /// <summary>What a literal of this kind is called: "device type".</summary>
    public string Noun { get; }

    /// <summary>The plural: "device types".</summary>
    public string Plural { get; }

    /// <summary>The names a literal may be, as declared (any case is accepted); null for periods.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>A literal of this kind, as an example.</summary>
    public string Example { get; }

    /// <summary>Whether a literal is text kept as written (<see cref="MemberTest.Text"/>), not a value.</summary>
    public bool IsText { get; private init; }

    /// <summary>Whether <paramref name="literal"/> can be a text literal of this kind (a device model), or why not.</summary>
    /// <param name="literal">The literal, its escapes undone.</param>
    /// <param name="error">What is wrong, when the result is false.</param>
    /// <returns>Whether it can.</returns>
    public bool TryReadText(string literal, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (!IsText)
        {
            throw new InvalidOperationException(Noun + " literals are values, read by TryRead.");
        }

        error = SmetsGenerations.IsValidModel(literal, out var reason) ? null : Messages.NotAModel(reason);
        return error is null;
    }

    /// <summary>The literal's value (an enum value, or a period's months), or the reason it is not one.</summary>
    /// <param name="literal">The literal, its escapes undone.</param>
    /// <param name="asDeclared">
    /// Whether a name must be spelt in its declared case: RulesEngine's engine reads a name in any
    /// case where it is compared (<c>device.Type == "chf"</c>) but only as declared where it is a
    /// call's argument (<c>device.HeldBefore("Commissioned")</c>), and the reader accepts nothing
    /// RulesEngine would read otherwise (ExpressionOracleTests).
    /// </param>
    /// <param name="value">The value when the result is true.</param>
    /// <param name="error">What is wrong and how to write it, when the result is false.</param>
    /// <returns>Whether the literal is exactly one value of this kind.</returns>
    public bool TryRead(string literal, bool asDeclared, out int value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (Names is null)
        {
            // ASCII letters and digits only: nothing the period parser would trim, fold or skip (a '.' or ',' reaches it, to be refused as a fraction).
            string? reason = null;
            if (literal.Length > 0 && literal.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or ',') && RetentionPeriod.TryParse(literal, out var period, out reason))
            {
                // Years and months only, as written: P12M0D and P12MT0H are the same length, but not what a rule should say.
                value = period.Months;
                error = WholeMonths().IsMatch(literal) ? null : Messages.PeriodNotWholeMonthsAsWritten(literal);
                return error is null;
            }

            // "12M": the designator P forgotten.
            var suggestion = literal.Length > 0 && char.IsAsciiDigit(literal[0]) && literal.All(char.IsAsciiLetterOrDigit)
                && RetentionPeriod.TryParse("P" + literal, out _, out _) ? "P" + literal.ToUpperInvariant() : null;
            error = Messages.NotAPeriod(literal, suggestion, reason ?? "");
            return false;
        }

        for (var i = 0; i < Names.Count; i++)
        {
            if (literal.Length == Names[i].Length && literal.All(char.IsAsciiLetterOrDigit) && System.Text.Ascii.EqualsIgnoreCase(literal, Names[i]))
            {
                value = i + 1; // the enums are declared from 1 in this order (DeviceEnumsTests; SmetsGeneration's Unknown is 0, never named)
                error = asDeclared && literal != Names[i] ? Messages.NameNotAsDeclared(literal, Noun, Names[i]) : null;
                return error is null;
            }
        }

        var joined = literal.IndexOfAny([',', ';', '|', ' ']) >= 0;
        error = Messages.NotOneName(literal, Noun, Plural, Names, joined ? null : Spelling.Suggest(literal.Trim(), Names), joined);
        return false;
    }

    /// <summary>A value of this kind as written in a rule: <c>CHF</c>, <c>Commissioned</c>, <c>P36M</c>.</summary>
    public string Format(int value) => IsText ? throw new InvalidOperationException("A text literal is kept as written.") : Names is null ? RetentionPeriod.FromMonths(value).ToString() : Names[value - 1];
}
