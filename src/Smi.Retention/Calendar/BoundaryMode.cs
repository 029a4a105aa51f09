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
