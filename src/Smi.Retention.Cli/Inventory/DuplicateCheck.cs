using Smi.Retention.Inventory;
using Smi.Retention.Safety;

namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// Devices listed more than once: which of their rows is right cannot be told, so none of them is
/// decided. A first pass finds them (a later row is rejected as it is met, but the earlier one has
/// already been decided); when it finds any, <see cref="ReadAgain"/> says to read the inventory
/// again, and in that pass every row of those devices is rejected.
/// </summary>
internal sealed class DuplicateCheck
{
    private HashSet<DeviceId>? _excluded;
    private DeviceIdSet? _seen;
    private HashSet<DeviceId> _found = [];

    /// <summary>Sizes the set of ids seen once, before the first row of a first pass, so that it need not grow.</summary>
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

        _found.Add(id);
        return CliMessages.ListedMoreThanOnce(id);
    }

    /// <summary>
    /// After a pass: whether the inventory must be read again, because the pass found devices listed
    /// more than once; the next pass rejects every row of them and needs no set of ids seen.
    /// </summary>
    /// <exception cref="TooManyRejectsException">Such devices were found, and the inventory (standard input, a pipe) cannot be read twice.</exception>
    public bool ReadAgain(string path)
    {
        if (_found.Count == 0)
        {
            return false;
        }

        if (!CanReadTwice(path))
        {
            throw new TooManyRejectsException(CliMessages.DuplicatesNotRereadable(_found.Count, path));
        }

        _excluded = _found;
        _found = [];
        _seen = null;
        return true;
    }

    /// <summary>Whether an inventory can be read a second time: a regular file, not standard input or a pipe.</summary>
    private static bool CanReadTwice(string path)
    {
        try
        {
            return path != "-" && FileFacts.Of(path).Kind == FileKind.Regular;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
