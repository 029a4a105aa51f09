namespace Smi.Retention;

/// <summary>Parsing and classification of <see cref="DeviceType"/> values.</summary>
public static class DeviceTypes
{
    /// <summary>Every device type, in declaration order.</summary>
    public static ReadOnlySpan<DeviceType> All => EnumNames<DeviceType>.All;

    /// <summary>Parses a device type name case-insensitively (<c>chf</c>, <c>CHF</c>).</summary>
    /// <param name="text">The name, e.g. <c>ESME</c>.</param>
    /// <returns>The device type.</returns>
    /// <exception cref="FormatException">The text is not a device type name; the message lists the valid names.</exception>
    public static DeviceType Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var type) ? type : throw new FormatException(Messages.UnknownDeviceType(text));

    /// <summary>Parses a device type name case-insensitively; numbers are not accepted.</summary>
    /// <param name="text">The name, e.g. <c>ESME</c>.</param>
    /// <param name="type">The device type, when the result is <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a device type.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out DeviceType type) => EnumNames<DeviceType>.TryParse(text, out type);

    /// <summary>Parses a name case-insensitively, giving the reason (with the valid names) when it fails.</summary>
    /// <param name="text">The name.</param>
    /// <param name="type">The value, when the result is <see langword="true"/>.</param>
    /// <param name="error">What is wrong, listing the valid names, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a name.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out DeviceType type, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        error = EnumNames<DeviceType>.TryParse(text, out type) ? null : Messages.UnknownDeviceType(text);
        return error is null;
    }

    /// <summary>Whether <paramref name="type"/> is a declared device type (not an uninitialised or cast value).</summary>
    /// <param name="type">The value to check.</param>
    /// <returns><see langword="true"/> for the declared types.</returns>
    public static bool IsDefined(DeviceType type) => (uint)type - 1 < (uint)EnumNames<DeviceType>.Count;

    /// <summary>
    /// Whether the device is half of a Communications Hub (its CHF or its GPF). Excluding
    /// Communications Hubs must exclude both, or orphan GPFs get removed.
    /// </summary>
    /// <param name="type">The device type.</param>
    /// <returns><see langword="true"/> for <see cref="DeviceType.CHF"/> and <see cref="DeviceType.GPF"/>.</returns>
    public static bool IsCommunicationsHub(this DeviceType type) => type is DeviceType.CHF or DeviceType.GPF;

    /// <summary>Whether devices of this type carry an SMI status (Type 2 devices, IHD and CAD, do not).</summary>
    /// <param name="type">The device type.</param>
    /// <returns><see langword="false"/> for <see cref="DeviceType.IHD"/> and <see cref="DeviceType.CAD"/>.</returns>
    public static bool HasSmiStatus(this DeviceType type) => type is not (DeviceType.IHD or DeviceType.CAD);

    /// <summary>Whether a device of this type can hold <paramref name="status"/>: an SMI status for a device with one, NotApplicable for a Type 2 device.</summary>
    /// <param name="type">The device type.</param>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> when a record may have both.</returns>
    public static bool Fits(this DeviceType type, SmiStatus status) => IsDefined(type) && SmiStatuses.IsDefined(status) && type.HasSmiStatus() != (status == SmiStatus.NotApplicable);

    /// <summary>Whether a device of this type can have held every status of <paramref name="history"/>: a history is held to the same rule as the current status.</summary>
    /// <param name="type">The device type.</param>
    /// <param name="history">The statuses held before the current run.</param>
    /// <returns><see langword="true"/> when each fits the type (an empty history always does).</returns>
    public static bool Fits(this DeviceType type, SmiStatusSet history) => IsDefined(type) && (history.Bits & ~StatusBits[(int)type]) == 0;

    /// <summary>
    /// Whether a history can lie before a run of <paramref name="status"/>: the current run is not in
    /// it, and a run of a status ends only in another status, so a history that holds the current
    /// status holds another too (Pending before Pending was Pending, then something else). A
    /// history of the current status alone cannot be: for a Type 2 device, whose status never
    /// changes, any history but the empty one.
    /// </summary>
    /// <param name="status">The current status.</param>
    /// <param name="history">The statuses held before the current run.</param>
    /// <returns><see langword="false"/> when the history is the current status alone.</returns>
    internal static bool CanPrecede(SmiStatusSet history, SmiStatus status) => history.Bits != 1 << (int)status;

    /// <summary>
    /// Whether a record may have these type, status and history (every check of
    /// <see cref="DeviceRecord.TryCreate(DeviceId, DeviceType, SmiStatus, NodaTime.LocalDate, SmiStatusSet, string?, SmetsGeneration, string?, out DeviceRecord, out string?)"/>
    /// on them, as one table lookup a field): the inventory reader's fast path, on every row.
    /// </summary>
    internal static bool FitsRecord(DeviceType type, SmiStatus status, SmiStatusSet history) =>
        IsDefined(type) && ((StatusBits[(int)type] >> (int)status) & 1) != 0 && (history.Bits & ~StatusBits[(int)type]) == 0 && CanPrecede(history, status);

    /// <summary>Every status a device of <paramref name="type"/> can hold.</summary>
    internal static SmiStatusSet StatusesOf(DeviceType type) => IsDefined(type) ? SmiStatusSet.FromBitsUnchecked(StatusBits[(int)type]) : SmiStatusSet.Empty;

    // Each type's statuses as a set's bits, by the rule of Fits(type, status): made once, read on every row.
    private static readonly ushort[] StatusBits = MakeStatusBits();

    private static ushort[] MakeStatusBits()
    {
        var bits = new ushort[EnumNames<DeviceType>.Count + 1];
        foreach (var type in All)
        {
            var set = SmiStatusSet.Empty;
            foreach (var status in SmiStatuses.All)
            {
                set = type.Fits(status) ? set.Add(status) : set;
            }

            bits[(int)type] = set.Bits;
        }

        return bits;
    }
}
