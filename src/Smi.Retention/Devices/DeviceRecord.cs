using NodaTime;

namespace Smi.Retention;

/// <summary>
/// One device as the housekeeping rules see it: its identifier, type, current SMI status, the
/// London date from which that status applied, and the statuses it held before the current run.
/// </summary>
/// <remarks>
/// 24 bytes on a 64-bit runtime (8 for the EUI-64, 8 for the party reference, 4 for the date, 1
/// each for type and status, 2 for the prior-status set), so 10 million records take 240 MB; a
/// test pins the size. The id and the set are stored as primitives because the runtime pads
/// struct-typed fields of a struct that holds a reference to 8 bytes each (32 bytes otherwise). The constructor validates every field, so an initialised record is always
/// consistent; <c>default(DeviceRecord)</c> has no valid type and evaluates as undetermined.
/// </remarks>
public readonly record struct DeviceRecord
{
    private readonly ulong _id;
    private readonly string? _notifyingParty;
    private readonly int _sinceKey; // RetentionCalendar.DateKey: the evaluator compares it with the cutoffs' keys
    private readonly DeviceType _type;
    private readonly SmiStatus _status;
    private readonly ushort _priorStatuses;

    /// <summary>Creates a device record, checking that its fields are consistent.</summary>
    /// <param name="id">The device's EUI-64.</param>
    /// <param name="type">The device type.</param>
    /// <param name="status">The current SMI status; <see cref="SmiStatus.NotApplicable"/> exactly for IHD and CAD.</param>
    /// <param name="statusSince">The London local date from which the current status applied (ISO calendar).</param>
    /// <param name="priorStatuses">The statuses held before the current, uninterrupted status run.</param>
    /// <param name="notifyingParty">The Service User to notify of a removal, if known.</param>
    /// <exception cref="ArgumentOutOfRangeException">The type or status is not a declared value.</exception>
    /// <exception cref="ArgumentException">The status or a prior status does not fit the type, or the date is not in the ISO calendar.</exception>
    public DeviceRecord(
        DeviceId id,
        DeviceType type,
        SmiStatus status,
        LocalDate statusSince,
        SmiStatusSet priorStatuses = default,
        string? notifyingParty = null)
        : this(id.Value, type, status, RetentionCalendar.DateKey(Checked(type, status, statusSince, priorStatuses)), priorStatuses.Bits, notifyingParty)
    {
    }

    /// <summary>Creates a device record, or says why its fields are inconsistent, without throwing.</summary>
    /// <param name="id">The device's EUI-64.</param>
    /// <param name="type">The device type.</param>
    /// <param name="status">The current SMI status; <see cref="SmiStatus.NotApplicable"/> exactly for IHD and CAD.</param>
    /// <param name="statusSince">The London local date from which the current status applied (ISO calendar).</param>
    /// <param name="priorStatuses">The statuses held before the current, uninterrupted status run.</param>
    /// <param name="notifyingParty">The Service User to notify of a removal, if known.</param>
    /// <param name="record">The record, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is inconsistent and how to fix it, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the fields make a valid record.</returns>
    public static bool TryCreate(
        DeviceId id, DeviceType type, SmiStatus status, LocalDate statusSince, SmiStatusSet priorStatuses, string? notifyingParty,
        out DeviceRecord record, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        error = !DeviceTypes.IsDefined(type) ? Messages.UndefinedDeviceType(type)
            : !SmiStatuses.IsDefined(status) ? Messages.UndefinedSmiStatus(status)
            : !type.Fits(status) ? Messages.StatusDoesNotFitType(type, status)
            : !type.Fits(priorStatuses) ? Messages.HistoryDoesNotFitType(type, priorStatuses)
            : statusSince.Calendar != CalendarSystem.Iso ? Messages.NotIsoCalendar(statusSince)
            : null;
        record = error is null ? new DeviceRecord(id.Value, type, status, RetentionCalendar.DateKey(statusSince), priorStatuses.Bits, notifyingParty) : default;
        return error is null;
    }

    /// <summary>The status date, once the fields are found consistent; throws as the public constructor documents.</summary>
    private static LocalDate Checked(DeviceType type, SmiStatus status, LocalDate statusSince, SmiStatusSet priorStatuses)
    {
        if (!DeviceTypes.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, Messages.UndefinedDeviceType(type));
        }

        if (!SmiStatuses.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, Messages.UndefinedSmiStatus(status));
        }

        if (!type.Fits(status))
        {
            throw new ArgumentException(Messages.StatusDoesNotFitType(type, status), nameof(status));
        }

        if (!type.Fits(priorStatuses))
        {
            throw new ArgumentException(Messages.HistoryDoesNotFitType(type, priorStatuses), nameof(priorStatuses));
        }

        return statusSince.Calendar == CalendarSystem.Iso ? statusSince : throw new ArgumentException(Messages.NotIsoCalendar(statusSince), nameof(statusSince));
    }

    /// <summary>A record from fields already checked (<see cref="TryCreate"/> checks each once, for the reader's millions of rows).</summary>
    private DeviceRecord(ulong id, DeviceType type, SmiStatus status, int sinceKey, ushort priorStatuses, string? notifyingParty)
    {
        _id = id;
        _type = type;
        _status = status;
        _sinceKey = sinceKey;
        _priorStatuses = priorStatuses;
        _notifyingParty = string.IsNullOrEmpty(notifyingParty) ? null : notifyingParty;
    }

    /// <summary>The device's EUI-64.</summary>
    public DeviceId Id => new(_id);

    /// <summary>The device type; not a declared value only in an uninitialised record.</summary>
    public DeviceType Type => _type;

    /// <summary>The current SMI status.</summary>
    public SmiStatus Status => _status;

    /// <summary>The London local date from which the current status applied: the start of the 'pending' clock.</summary>
    public LocalDate StatusSince => _sinceKey == 0 ? default : RetentionCalendar.FromDateKey(_sinceKey); // 0 is no date's key: an uninitialised record

    /// <summary>The status date as an ordered integer (<see cref="RetentionCalendar.DateKey"/>).</summary>
    internal int SinceKey => _sinceKey;

    /// <summary>The statuses held before the current, uninterrupted status run.</summary>
    public SmiStatusSet PriorStatuses => SmiStatusSet.FromBitsUnchecked(_priorStatuses);

    /// <summary>The Service User to notify of a removal, or <see langword="null"/> when not recorded.</summary>
    public string? NotifyingParty => _notifyingParty;

    /// <summary>Whether the record was made by the constructor (an uninitialised record has no valid type).</summary>
    public bool IsInitialized => _type != 0;
}
