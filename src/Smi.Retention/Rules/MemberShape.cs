namespace Smi.Retention.Rules;

/// <summary>How a vocabulary member is written in an expression.</summary>
internal enum MemberShape
{
    /// <summary>A condition by itself: <c>device.IsCommunicationsHub</c>.</summary>
    Flag,

    /// <summary>A value compared with names: <c>device.Type == "CHF"</c>, <c>!=</c>, <c>in ("CHF", "GPF")</c>.</summary>
    Compared,

    /// <summary>A call with one literal argument: <c>device.PendingFor("P36M")</c>.</summary>
    Call,
}
