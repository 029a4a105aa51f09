using NodaTime;

namespace Smi.Retention.Rules;

/// <summary>
/// The device as Microsoft RulesEngine sees it, named <c>device</c> in a rule: one C# member for
/// each member of the <see cref="Vocabulary"/>, written plainly from its documented meaning. The
/// library reads rules itself (<see cref="ExpressionParser"/>); RulesEngine running these members
/// is the oracle it is tested against (ExpressionOracleTests, DifferentialTests), and
/// VocabularyTests holds the members here equal to the vocabulary's.
/// </summary>
/// <remarks>
/// <see cref="Since"/>, <see cref="AsOf"/> and <see cref="Boundary"/> are here for the period
/// members; a rule may not name them (dates reach a rule only through periods).
/// </remarks>
internal sealed class DeviceFacts
{
    private readonly DeviceRecord _device;

    /// <summary>Creates the facts about <paramref name="device"/> as of <paramref name="asOf"/>.</summary>
    /// <param name="device">The device.</param>
    /// <param name="asOf">The London date of the decision.</param>
    /// <param name="boundary">When a period counts as elapsed.</param>
    public DeviceFacts(DeviceRecord device, LocalDate asOf, BoundaryMode boundary = BoundaryMode.OnCorrespondingDate)
    {
        _device = device;
        AsOf = asOf;
        Boundary = boundary;
    }

    /// <summary>The device type.</summary>
    public DeviceType Type => _device.Type;

    /// <summary>The current SMI status.</summary>
    public SmiStatus Status => _device.Status;

    /// <summary>Whether the device is half of a Communications Hub (CHF or GPF).</summary>
    public bool IsCommunicationsHub => _device.Type.IsCommunicationsHub();

    /// <summary>The SMETS generation (<see cref="SmetsGeneration.Unknown"/> when not recorded).</summary>
    public SmetsGeneration Generation => _device.Generation;

    /// <summary>The device model, or null when not recorded.</summary>
    public string? Model => _device.Model;

    /// <summary>The date the current status applied from (not usable in expressions: use a period).</summary>
    public LocalDate Since => _device.StatusSince;

    /// <summary>The date of the decision (not usable in expressions: use a period).</summary>
    public LocalDate AsOf { get; }

    /// <summary>When a period counts as elapsed.</summary>
    public BoundaryMode Boundary { get; }

    /// <summary>Whether the current status has been held for at least <paramref name="period"/> on the as-of date.</summary>
    /// <param name="period">An ISO-8601 period of whole months or years, e.g. <c>P36M</c>.</param>
    /// <returns><see langword="true"/> once the period has elapsed.</returns>
    /// <exception cref="FormatException"><paramref name="period"/> is not a retention period.</exception>
    public bool HeldFor(string period) => RetentionCalendar.HasElapsed(_device.StatusSince, RetentionPeriod.Parse(period), AsOf, Boundary);

    /// <summary>Whether the device is pending and has been for at least <paramref name="period"/>.</summary>
    /// <param name="period">An ISO-8601 period of whole months or years, e.g. <c>P36M</c>.</param>
    /// <returns><see langword="true"/> for a device due under AC 7.2 with that period.</returns>
    /// <exception cref="FormatException"><paramref name="period"/> is not a retention period.</exception>
    public bool PendingFor(string period) => _device.Status == SmiStatus.Pending && HeldFor(period);

    /// <summary>Whether the device held <paramref name="status"/> before its current status run.</summary>
    /// <param name="status">The status, e.g. <c>"Commissioned"</c>.</param>
    /// <returns><see langword="true"/> when it did.</returns>
    public bool HeldBefore(SmiStatus status) => _device.PriorStatuses.Contains(status);

    /// <summary>Whether the device held any status other than <paramref name="status"/> before its current run.</summary>
    /// <param name="status">The status to disregard, e.g. <c>"Pending"</c>.</param>
    /// <returns><see langword="true"/> when it did: for <c>"Pending"</c>, the device was once beyond the warehouse.</returns>
    public bool HeldBeforeOtherThan(SmiStatus status) => _device.PriorStatuses.ContainsOtherThan(status);
}
