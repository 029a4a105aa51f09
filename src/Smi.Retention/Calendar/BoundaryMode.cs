namespace Smi.Retention;

/// <summary>
/// When a period of N months counts as elapsed, relative to the corresponding date
/// <c>T = since + N months</c>.
/// </summary>
public enum BoundaryMode
{
    /// <summary>
    /// Elapsed on the corresponding date itself (E J Riley v Eurostile): pending since 2019-03-15,
    /// 12 months have elapsed on 2020-03-15. The default.
    /// </summary>
    OnCorrespondingDate = 0,

    /// <summary>Elapsed from the day after the corresponding date: the strict reading, a policy choice.</summary>
    AfterCorrespondingDate = 1,
}

/// <summary>The words for a <see cref="BoundaryMode"/>, one home for the tool, configuration and tests files.</summary>
internal static class BoundaryModes
{
    /// <summary>
    /// <c>on</c> or <c>OnCorrespondingDate</c>, <c>after</c> or <c>AfterCorrespondingDate</c>, in any
    /// case: the tool's words and the enum's names alike.
    /// </summary>
    public static bool TryParse(string? text, out BoundaryMode mode)
    {
        // ASCII only: ToUpperInvariant folds look-alikes such as the dotless 'ı' into 'I'. Spaces around
        // it are refused, as around every other value read (' after' is no boundary).
        switch (text is not null && System.Text.Ascii.IsValid(text) ? text.ToUpperInvariant() : null)
        {
            case "ON" or "ONCORRESPONDINGDATE":
                mode = BoundaryMode.OnCorrespondingDate;
                return true;
            case "AFTER" or "AFTERCORRESPONDINGDATE":
                mode = BoundaryMode.AfterCorrespondingDate;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}
