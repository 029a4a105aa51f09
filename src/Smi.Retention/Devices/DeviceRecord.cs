using NodaTime;

namespace Smi.Retention;

/// <summary>
/// One device as the housekeeping rules see it: its identifier, type, current SMI status, the
/// London date from which that status applied, and the statuses it held before the current run;
/// and, when the inventory gives them, its SMETS generation, its device model and the Service User
/// to notify of its removal.
/// </summary>
/// <remarks>
/// 24 bytes on a 64-bit runtime (8 for the EUI-64, 8 for one reference to the party and model, 4
/// for the date, 2 for the type and status, 2 for the prior-status set and the generation), so 10
/// million records take 240 MB; a test pins the size. The id and the set are stored as primitives
/// because the runtime pads struct-typed fields of a struct that holds a reference to 8 bytes each
/// (32 bytes otherwise). The constructor validates every field, so an initialised record is always
/// consistent; <c>default(DeviceRecord)</c> has no valid type and evaluates as undetermined.
/// </remarks>
public readonly record struct DeviceRecord
{
    private readonly ulong _id;
    private const int GenerationShift = 14; // the prior statuses take bits 1 to 10 (SmiStatusSet.ValidBits), the generation the top two
    private const ushort PriorMask = (1 << GenerationShift) - 1;

    private readonly object? _details; // null, the notifying party (string), or DeviceDetails when the model is known
    private readonly int _sinceKey; // RetentionCalendar.DateKey: the evaluator compares it with the cutoffs' keys
    private readonly ushort _pair; // type << PairShift | status: one read gives the evaluator its pair's entry
    private readonly ushort _priorAndGeneration;

    /// <summary>Creates a device record, checking that its fields are consistent.</summary>
    /// <param name="id">The device's EUI-64.</param>
    /// <param name="type">The device type.</param>
    /// <param name="status">The current SMI status; <see cref="SmiStatus.NotApplicable"/> exactly for IHD and CAD.</param>
    /// <param name="statusSince">The London local date from which the current status applied (ISO calendar).</param>
    /// <param name="priorStatuses">The statuses held before the current, uninterrupted status run.</param>
    /// <param name="notifyingParty">The Service User to notify of a removal, if known.</param>
    /// <param name="generation">The SMETS generation, if known.</param>
    /// <param name="model">The device model as the SMI names it, if known (<see cref="SmetsGenerations.IsValidModel"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The type, status or generation is not a declared value.</exception>
    /// <exception cref="ArgumentException">The status or a prior status does not fit the type, the date is not in the ISO calendar, or the model is not printable text of at most <see cref="SmetsGenerations.MaxModelLength"/> characters.</exception>
    public DeviceRecord(
        DeviceId id,
        DeviceType type,
        SmiStatus status,
        LocalDate statusSince,
        SmiStatusSet priorStatuses = default,
        string? notifyingParty = null,
        SmetsGeneration generation = SmetsGeneration.Unknown,
        string? model = null)
        : this(id.Value, type, status, RetentionCalendar.DateKey(Checked(type, status, statusSince, priorStatuses, generation, model)), priorStatuses.Bits, notifyingParty, generation, model)
    {
    }

    /// <summary>Creates a device record, or says why its fields are inconsistent, without throwing.</summary>
    /// <param name="id">The device's EUI-64.</param>
    /// <param name="type">The device type.</param>
    /// <param name="status">The current SMI status; <see cref="SmiStatus.NotApplicable"/> exactly for IHD and CAD.</param>
    /// <param name="statusSince">The London local date from which the current status applied (ISO calendar).</param>
    /// <param name="priorStatuses">The statuses held before the current, uninterrupted status run.</param>
    /// <param name="notifyingParty">The Service User to notify of a removal, if known.</param>
    /// <param name="generation">The SMETS generation, if known.</param>
    /// <param name="model">The device model as the SMI names it, if known.</param>
    /// <param name="record">The record, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is inconsistent and how to fix it, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the fields make a valid record.</returns>
    public static bool TryCreate(
        DeviceId id, DeviceType type, SmiStatus status, LocalDate statusSince, SmiStatusSet priorStatuses, string? notifyingParty,
        SmetsGeneration generation, string? model,
        out DeviceRecord record, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        error = !DeviceTypes.IsDefined(type) ? Messages.UndefinedDeviceType(type)
            : !SmiStatuses.IsDefined(status) ? Messages.UndefinedSmiStatus(status)
            : !type.Fits(status) ? Messages.StatusDoesNotFitType(type, status)
            : !type.Fits(priorStatuses) ? Messages.HistoryDoesNotFitType(type, priorStatuses)
            : !DeviceTypes.CanPrecede(priorStatuses, status) ? Messages.HistoryOfTheCurrentStatusAlone(type, status)
            : statusSince.Calendar != CalendarSystem.Iso ? Messages.NotIsoCalendar(statusSince)
            : !SmetsGenerations.IsDefined(generation) ? Messages.UndefinedGeneration(generation)
            : !string.IsNullOrEmpty(model) && !SmetsGenerations.IsValidModel(model, out var modelError) ? modelError
            : null;
        record = error is null ? new DeviceRecord(id.Value, type, status, RetentionCalendar.DateKey(statusSince), priorStatuses.Bits, notifyingParty, generation, model) : default;
        return error is null;
    }

    /// <summary>Creates a device record without a generation or model, or says why its fields are inconsistent, without throwing.</summary>
    /// <param name="id">The device's EUI-64.</param>
    /// <param name="type">The device type.</param>
    /// <param name="status">The current SMI status.</param>
    /// <param name="statusSince">The London local date from which the current status applied.</param>
    /// <param name="priorStatuses">The statuses held before the current, uninterrupted status run.</param>
    /// <param name="notifyingParty">The Service User to notify of a removal, if known.</param>
    /// <param name="record">The record, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is inconsistent, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when the fields make a valid record.</returns>
    public static bool TryCreate(
        DeviceId id, DeviceType type, SmiStatus status, LocalDate statusSince, SmiStatusSet priorStatuses, string? notifyingParty,
        out DeviceRecord record, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) =>
        TryCreate(id, type, status, statusSince, priorStatuses, notifyingParty, SmetsGeneration.Unknown, null, out record, out error);

    /// <summary>The status date, once the fields are found consistent; throws as the public constructor documents.</summary>
    private static LocalDate Checked(DeviceType type, SmiStatus status, LocalDate statusSince, SmiStatusSet priorStatuses, SmetsGeneration generation, string? model)
    {
        if (!SmetsGenerations.IsDefined(generation))
        {
            throw new ArgumentOutOfRangeException(nameof(generation), generation, Messages.UndefinedGeneration(generation));
        }

        if (!string.IsNullOrEmpty(model) && !SmetsGenerations.IsValidModel(model, out var modelError))
        {
            throw new ArgumentException(modelError, nameof(model));
        }

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

        if (!DeviceTypes.CanPrecede(priorStatuses, status))
        {
            throw new ArgumentException(Messages.HistoryOfTheCurrentStatusAlone(type, status), nameof(priorStatuses));
        }

        return statusSince.Calendar == CalendarSystem.Iso ? statusSince : throw new ArgumentException(Messages.NotIsoCalendar(statusSince), nameof(statusSince));
    }

    /// <summary>A record from fields already checked (TryCreate checks each once, for the reader's millions of rows).</summary>
    private DeviceRecord(ulong id, DeviceType type, SmiStatus status, int sinceKey, ushort priorStatuses, string? notifyingParty, SmetsGeneration generation, string? model)
        : this(id, type, status, sinceKey, priorStatuses, generation, DeviceDetails.Of(notifyingParty, model))
    {
    }

    /// <summary>A record from checked fields and the party and model already in one reference (the reader keeps one per distinct pair).</summary>
    internal DeviceRecord(ulong id, DeviceType type, SmiStatus status, int sinceKey, ushort priorStatuses, SmetsGeneration generation, object? details)
    {
        _id = id;
        System.Diagnostics.Debug.Assert((int)status < 1 << PairShift, "Every status fits below the type.");
        _pair = (ushort)(((int)type << PairShift) | (int)status);
        _sinceKey = sinceKey;
        _priorAndGeneration = (ushort)(priorStatuses | ((int)generation << GenerationShift));
        _details = details;
    }

    /// <summary>The device's EUI-64.</summary>
    public DeviceId Id => new(_id);

    /// <summary>The device type; not a declared value only in an uninitialised record.</summary>
    public DeviceType Type => (DeviceType)(_pair >> PairShift);

    /// <summary>The current SMI status.</summary>
    public SmiStatus Status => (SmiStatus)(_pair & ((1 << PairShift) - 1));

    /// <summary>Where the type sits in <see cref="Pair"/>: every status fits below it.</summary>
    internal const int PairShift = 4;

    /// <summary>The type and status as one number, <c>type &lt;&lt; PairShift | status</c>; below <c>1 &lt;&lt; PairShift</c> only in an uninitialised record.</summary>
    internal int Pair => _pair;

    /// <summary>The London local date from which the current status applied: the start of the 'pending' clock.</summary>
    public LocalDate StatusSince => _sinceKey == 0 ? default : RetentionCalendar.FromDateKey(_sinceKey); // 0 is no date's key: an uninitialised record

    /// <summary>The status date as an ordered integer (<see cref="RetentionCalendar.DateKey(NodaTime.LocalDate)"/>).</summary>
    internal int SinceKey => _sinceKey;

    /// <summary>The statuses held before the current, uninterrupted status run.</summary>
    public SmiStatusSet PriorStatuses => SmiStatusSet.FromBitsUnchecked((ushort)(_priorAndGeneration & PriorMask));

    /// <summary>The Service User to notify of a removal, or <see langword="null"/> when not recorded.</summary>
    public string? NotifyingParty => _details as string ?? (_details as DeviceDetails)?.Party;

    /// <summary>The SMETS generation; <see cref="SmetsGeneration.Unknown"/> when not recorded.</summary>
    public SmetsGeneration Generation => (SmetsGeneration)(_priorAndGeneration >> GenerationShift);

    /// <summary>The device model as the SMI names it, or <see langword="null"/> when not recorded.</summary>
    public string? Model => (_details as DeviceDetails)?.Model;

    /// <summary>The party and model as one reference: null, the party, or a <see cref="DeviceDetails"/>.</summary>
    internal object? Details => _details;

    /// <summary>Whether the record was made by the constructor (an uninitialised record has no valid type).</summary>
    public bool IsInitialized => _pair >= 1 << PairShift;
}

/// <summary>
/// A device's notifying party and model together, so that a record holds one reference; the reader
/// shares one per distinct pair. Compared by value, as the record is.
/// </summary>
/// <param name="Party">The Service User to notify, or null.</param>
/// <param name="Model">The device model.</param>
internal sealed record DeviceDetails(string? Party, string Model)
{
    /// <summary>The reference a record keeps for a party and model: null, the party alone, or both.</summary>
    public static object? Of(string? party, string? model)
    {
        party = string.IsNullOrEmpty(party) ? null : party;
        return string.IsNullOrEmpty(model) ? party : new DeviceDetails(party, model);
    }
}
