namespace Smi.Retention.Inventory;

/// <summary>One data row of an inventory: a valid record, or the reason it was rejected.</summary>
/// <param name="Line">The 1-based line number of the row in the file.</param>
/// <param name="Record">The record, when <see cref="Error"/> is null.</param>
/// <param name="IdText">The device_id as written, for rejects (null for accepted rows, which use the record's id).</param>
/// <param name="Error">Why the row was rejected, or null.</param>
public readonly record struct InventoryRow(long Line, DeviceRecord Record, string? IdText, string? Error)
{
    /// <summary>Whether the row is a valid record (<see cref="Error"/> is null).</summary>
    public bool IsAccepted => Error is null;

    /// <summary>The devices a rejected row names (<see cref="DeviceIdScan"/> of its device_id value, or of the whole line when that holds none or its values cannot be told apart); null for none.</summary>
    internal DeviceId[]? Names { get; init; }

    /// <summary>Whether the row names more devices than are kept (<see cref="DeviceIdScan.TooMany"/>): which it lists cannot be told.</summary>
    internal bool NamesTooMany { get; init; }

    /// <summary>
    /// The devices a rejected row lists, for the duplicate rule (a device with a valid row and a
    /// rejected one is listed twice, and neither row may be decided): every run of 16 hex digits the
    /// reader found in its device_id value, whatever lies between them, or in the whole line when that
    /// holds none or the line's values cannot be told apart. Empty for an accepted row (its device is
    /// <see cref="DeviceRecord.Id"/> of <see cref="Record"/>), and for a row made other than by
    /// <see cref="InventoryReader"/> or <see cref="InventoryAnalysis"/>. <see cref="InventoryAnalysis"/>
    /// and the hosting package's <c>HousekeepingService</c> apply the rule.
    /// </summary>
    /// <returns>A new array of the devices.</returns>
    /// <exception cref="InventoryFormatException">The row holds more such runs than are kept (1,024): which devices it lists cannot be told, so no device of the inventory may be decided or counted.</exception>
    public IReadOnlyList<DeviceId> GetNamedDevices() => DuplicateCheck.DevicesOf(this).ToArray();

    /// <summary>Whether both rows are the same: line, record, id text, error and the devices named.</summary>
    /// <param name="other">The other row.</param>
    /// <returns><see langword="true"/> when every part is equal.</returns>
    public bool Equals(InventoryRow other) =>
        Line == other.Line && Record.Equals(other.Record) && IdText == other.IdText && Error == other.Error
        && Names.AsSpan().SequenceEqual(other.Names) && NamesTooMany == other.NamesTooMany;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Line, Record, IdText, Error);
}
