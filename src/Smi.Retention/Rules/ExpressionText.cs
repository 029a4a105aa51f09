namespace Smi.Retention.Rules;

/// <summary>
/// Expression trees and the parser's messages shown as an author wrote the rule: without our
/// namespaces, the library's facts type named as the rule names it (<c>device</c>), and without the
/// conversions the parser inserts. The one place that rewrites
/// third-party renderings; ExpressionReaderTests pins it to the parser's version.
/// </summary>
internal static class ExpressionText
{
    /// <summary>The rendering or message <paramref name="rendered"/> as the author wrote it.</summary>
    public static string AsWritten(string rendered) =>
        System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(rendered, @"Smi\.Retention\.(?:[A-Za-z]+\.)*", "").Replace("type 'DeviceFacts'", "device", StringComparison.Ordinal),
            @"Convert\(([^,()]+), \w+\)",
            "$1");
}
