namespace Smi.Retention.Rules;

/// <summary>Which facts of a device a vocabulary member reads (besides whether its period has elapsed).</summary>
[Flags]
internal enum DeviceFactKinds
{
    /// <summary>None: the member's value depends on its period alone.</summary>
    None = 0,

    /// <summary>The device type.</summary>
    Type = 1,

    /// <summary>The current status.</summary>
    Status = 2,

    /// <summary>The statuses held before the current run.</summary>
    Prior = 4,

    /// <summary>The SMETS generation, which a record may lack.</summary>
    Generation = 8,

    /// <summary>The device model, which a record may lack.</summary>
    Model = 16,
}
