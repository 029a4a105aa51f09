namespace Smi.Retention.Policies;

/// <summary>What a DCC alert code looks like, for the rules' alerts and the configured default alike.</summary>
internal static class AlertCodes
{
    /// <summary>A capital letter, then up to 7 letters or digits: <c>N8</c>.</summary>
    public static bool IsValid(string code) =>
        code.Length is > 0 and <= 8 && code.All(char.IsAsciiLetterOrDigit) && char.IsAsciiLetterUpper(code[0]);
}
