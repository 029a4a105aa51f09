using Smi.Retention.Inventory;
using Smi.Retention.Safety;

namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// Devices listed more than once: which of their rows is right cannot be told, so none of them is
/// decided. A first pass collects every accepted id and, when it is over, finds those seen twice
/// (<see cref="SeenDeviceIds"/>: no cache miss a row, memory bounded); when there are any,
/// <see cref="ReadAgain"/> says to read the inventory again, with fresh outputs, and in that pass
/// every row of those devices is rejected. The first pass's outputs are never committed then.
/// </summary>
internal sealed class DuplicateCheck : IDisposable
{
    private RepeatedIds? _excluded;
    private SeenDeviceIds? _seen;

    /// <summary>Whether this is a second pass, rejecting every row of the devices the first found repeated.</summary>
    public bool Rechecking => _excluded is not null;

    /// <summary>
    /// Sizes the collection of ids before the first row of a first pass, from the first chunk's
    /// bytes a row and the input's length (0 for a pipe).
    /// </summary>
    public void Expect(ParsedChunk first, long inputLength) =>
        _seen ??= _excluded is null ? new SeenDeviceIds(first.Position == 0 || inputLength == 0 ? first.Count : inputLength * first.Count / first.Position) : null;

    /// <summary>Why the row may not be decided, or null when it may (in a first pass, any valid row).</summary>
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

        (_seen ??= new SeenDeviceIds(0)).Add(id);
        return null;
    }

    /// <summary>Collects the ids of a first pass's valid rows, a chunk at a time (the rows <see cref="Problem"/> would pass).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Collect(ReadOnlySpan<DeviceRecord> records)
    {
        if (_excluded is not null)
        {
            throw new InvalidOperationException("A second pass checks each row against the devices found repeated.");
        }

        var seen = _seen ??= new SeenDeviceIds(0);
        foreach (ref readonly var record in records)
        {
            seen.Add(record.Id);
        }
    }

    /// <summary>
    /// After a pass: whether the inventory must be read again, because the pass found devices listed
    /// more than once; the next pass rejects every row of them and collects no ids.
    /// </summary>
    /// <exception cref="TooManyRejectsException">Such devices were found, and the inventory (standard input, a pipe) cannot be read twice.</exception>
    public bool ReadAgain(string path, CancellationToken cancellation)
    {
        if (_seen is null)
        {
            return false;
        }

        var repeated = _seen.Repeated(cancellation);
        _seen.Dispose();
        _seen = null;
        if (repeated.Count == 0)
        {
            return false;
        }

        if (!CanReadTwice(path))
        {
            throw new TooManyRejectsException(CliMessages.DuplicatesNotRereadable(repeated.Count, path));
        }

        _excluded = repeated;
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _seen?.Dispose();

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
