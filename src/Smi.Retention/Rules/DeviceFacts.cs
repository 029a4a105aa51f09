using NodaTime;

namespace Smi.Retention.Rules;

/// <summary>
/// The vocabulary of policy expressions: what a rule may ask about one device on one as-of date.
/// An expression names it <c>device</c>, e.g. <c>device.PendingFor("P36M")</c> or
/// <c>device.Type in ("CHF", "GPF")</c>.
/// </summary>
/// <remarks>
/// Rules may use <see cref="Type"/>, <see cref="Status"/>, <see cref="IsCommunicationsHub"/>,
/// <see cref="HeldFor"/>, <see cref="PendingFor"/>, <see cref="HeldBefore"/> and
/// <see cref="HeldBeforeOtherThan"/>, combined with <c>==</c>, <c>!=</c>, <c>in</c>, <c>&amp;&amp;</c>,
/// <c>||</c>, <c>!</c> and <c>? :</c>. Dates reach a rule only through periods, so every decision
/// has an exact due date. The same members drive the RulesEngine reference interpreter.
/// </remarks>
internal sealed class DeviceFacts
{
    /// <summary>The members a rule may use, by name: the vocabulary of expressions.</summary>
    public static readonly string[] Vocabulary =
        [nameof(Type), nameof(Status), nameof(IsCommunicationsHub), nameof(HeldFor), nameof(PendingFor), nameof(HeldBefore), nameof(HeldBeforeOtherThan)];

    /// <summary>The members that are methods, each taking one name or period in double quotes.</summary>
    public static readonly string[] Methods = [nameof(HeldFor), nameof(PendingFor), nameof(HeldBefore), nameof(HeldBeforeOtherThan)];

    /// <summary>The members that hold dates, which a rule may not use directly.</summary>
    public static readonly string[] Dates = [nameof(Since), nameof(AsOf), nameof(Boundary)];

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
