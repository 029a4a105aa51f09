namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// Devices listed more than once: which of their rows is right cannot be told, so none of them is
/// decided. A first pass finds them (a later row is rejected as it is met, but the earlier one has
/// already been decided); when it finds any, the caller reads the inventory again with
/// <see cref="Excluding"/>, and every row of those devices is rejected.
/// </summary>
internal sealed class DuplicateCheck
{
    private readonly HashSet<DeviceId>? _excluded;
    private DeviceIdSet? _seen;

    private DuplicateCheck(HashSet<DeviceId>? excluded) => _excluded = excluded;

    /// <summary>The devices found on more than one line, in the first pass.</summary>
    public HashSet<DeviceId> Found { get; } = [];

    /// <summary>A first pass: duplicates are found as they appear.</summary>
    public static DuplicateCheck FirstPass() => new(null);

    /// <summary>A second pass: every row of these devices is rejected; no other id needs remembering.</summary>
    public static DuplicateCheck Excluding(HashSet<DeviceId> duplicates) => new(duplicates);

    /// <summary>Sizes the set of ids seen once, before the first row, so that it need not grow.</summary>
    public void Expect(long rows) => _seen ??= _excluded is null ? new DeviceIdSet(rows) : null;

    /// <summary>Why the row may not be decided, or null when it may.</summary>
    public string? Problem(in InventoryRow row)
    {
        if (row.Error is { } error)
        {
            return error;
        }

        var id = row.Record.Id;
        if (_excluded is not null)
        {
            return _excluded.Contains(id) ? CliMessages.ListedMoreThanOnce(id) : null;
        }

        if ((_seen ??= new DeviceIdSet()).Add(id))
        {
            return null;
        }

        Found.Add(id);
        return CliMessages.ListedMoreThanOnce(id);
    }
}
