using Smi.Retention.Files;

namespace Smi.Retention.Inventory;

/// <summary>
/// Devices listed more than once: which of their rows is right cannot be told, so none of them is
/// decided. A first pass collects every accepted id and, when it is over, finds those seen twice
/// (<see cref="SeenDeviceIds"/>: no cache miss a row, memory bounded); when there are any,
/// <see cref="AfterPass"/> says to read the inventory again, with fresh outputs, and in that pass
/// every row of those devices is rejected; the second reading must prove it read the same bytes
/// (<see cref="InventorySnapshot"/>). The first pass's outputs are never committed then.
/// </summary>
internal sealed class DuplicateCheck : IDisposable
{
    /// <summary>The distinct devices a first pass's rejects name that are held in memory, each once (256 Ki, 4 to 8 MB), before every name goes to a collection that spills.</summary>
    private const int RejectNamesHeld = 1 << 18;

    private RepeatedIds? _excluded;
    private SeenDeviceIds? _seen;
    private InventorySnapshot? _first;

    // The devices the first pass's rejects name, each once: a device named by two rejects and no
    // valid row has no decision to undo, so it is no reason to read the inventory again. (A set
    // keyed afresh each run, as the ids' own: no file can crowd one of its slots.) Beyond
    // RejectNamesHeld, every name goes to _named, partitioned as the valid rows' ids, whose memory
    // is bounded as theirs is, and which are looked up among them partition by partition.
    private RepeatedIds? _rejectNames;
    private SeenDeviceIds? _named;

    /// <summary>A test's hook, run between the two readings of an inventory (to change the file there, deterministically).</summary>
    internal static AsyncLocal<Action<string>?> BetweenReadings { get; } = new();

    /// <summary>Whether this is a second pass, rejecting every row of the devices the first found repeated.</summary>
    public bool Rechecking => _excluded is not null;

    /// <summary>Whether this is a second pass that rejects no valid row (no device was found repeated: a pass read again only so that its work sees every device's fate first).</summary>
    public bool ExcludesNone => _excluded is { Count: 0 };

    /// <summary>
    /// Before a second pass reads a row: refuses an inventory that its handle shows is not the file
    /// the first pass read (replaced, or changed in size or times since), so that nothing of it is
    /// decided or counted. The bytes themselves are compared when the pass ends (<see cref="AfterPass"/>).
    /// </summary>
    /// <exception cref="InventoryChangedException">The file is not the one the first pass read.</exception>
    public void CheckReopened(InventoryReader reader)
    {
        if (_first is not null && (reader.Snapshot() is not { } now ? "it is not the file first read" : _first.DifferenceAtOpen(now)) is { } difference)
        {
            throw new InventoryChangedException(Messages.InventoryChanged(_first.Source, difference)) { Difference = difference };
        }
    }

    /// <summary>
    /// Sizes the collection of ids before the first row of a first pass, from the first chunk's
    /// bytes a row and the input's length (0 for a pipe).
    /// </summary>
    public void Expect(ParsedChunk first, long inputLength) =>
        _seen ??= _excluded is null ? new SeenDeviceIds(first.Position == 0 || inputLength == 0 ? first.Count : inputLength * first.Count / first.Position) : null;

    /// <summary>
    /// The devices a rejected row names (<see cref="InventoryRow.Names"/>: any identifier in its
    /// device_id value however spoilt, or in the whole line when that holds none or its values
    /// cannot be told apart):
    /// such a row is a listing of each, so a device with one valid row and one rejected row (a typo
    /// in a newer status, a date after the run) is listed twice, and its valid row is not decided either.
    /// </summary>
    /// <exception cref="InventoryFormatException">The row names more identifiers than are kept (<see cref="DeviceIdScan.MaxFound"/>): which devices it lists cannot be told, so no device may be decided.</exception>
    public static ReadOnlySpan<DeviceId> DevicesOf(in InventoryRow row) =>
        row.NamesTooMany ? throw new InventoryFormatException(Messages.RejectNamesTooMany(row.Line, DeviceIdScan.MaxFound)) { AmidRows = true } : row.Names;

    /// <summary>Collects the devices a first pass's rejected row names.</summary>
    public void CollectRejected(in InventoryRow row)
    {
        if (_excluded is null)
        {
            foreach (var id in DevicesOf(row))
            {
                if (_rejectNames is not { Count: >= RejectNamesHeld })
                {
                    (_rejectNames ??= new RepeatedIds()).Add(id.Value);
                }
                else
                {
                    (_named ??= (_seen ??= new SeenDeviceIds(0)).Alongside(SeenDeviceIds.MemoryBudget / 8)).Add(id);
                }
            }
        }
    }

    /// <summary>Why the row may not be decided, or null when it may (in a first pass, any valid row).</summary>
    public string? Problem(in InventoryRow row)
    {
        if (row.Error is { } error)
        {
            CollectRejected(row);
            return error;
        }

        var id = row.Record.Id;
        if (_excluded is not null)
        {
            return _excluded.Contains(id) ? Messages.ListedMoreThanOnce(id) : null;
        }

        (_seen ??= new SeenDeviceIds(0)).Add(id);
        return null;
    }

    /// <summary>Collects the ids of a first pass's valid rows, a chunk at a time (the rows <see cref="Problem"/> would pass).</summary>
    public void Collect(ReadOnlySpan<DeviceRecord> records)
    {
        if (_excluded is not null)
        {
            throw new InvalidOperationException("A second pass checks each row against the devices found repeated.");
        }

        (_seen ??= new SeenDeviceIds(0)).Add(records);
    }

    /// <summary>
    /// After a pass, with its reader still open: whether the inventory must be read again, because
    /// the pass found devices listed more than once (the next pass rejects every row of them and
    /// collects no ids). After a second pass, proves that it read the same bytes as the first.
    /// </summary>
    /// <param name="reader">The pass's reader, still open.</param>
    /// <param name="cancellation">Ends the check.</param>
    /// <param name="always">Whether a first pass is read again even when no device is repeated: for work that may see only devices that may be decided (the first pass then only finds them).</param>
    /// <returns><see cref="PassEnd.Done"/>, <see cref="PassEnd.ReadAgain"/>, or <see cref="PassEnd.CannotReadAgain"/> for a stream (standard input, a pipe) that must be read again, with <see cref="Repeated"/> devices repeated.</returns>
    /// <exception cref="InventoryChangedException">A second pass did not read what the first did (the file was replaced or changed).</exception>
    public PassEnd AfterPass(InventoryReader reader, CancellationToken cancellation, bool always = false)
    {
        var snapshot = reader.Snapshot();
        if (_excluded is not null)
        {
            var difference = _first is null || snapshot is null ? "it is not the file first read" : _first.DifferenceFrom(snapshot);
            if (difference is not null)
            {
                throw new InventoryChangedException(Messages.InventoryChanged(_first?.Source ?? snapshot?.Source ?? "the inventory", difference)) { Difference = difference };
            }

            return PassEnd.Done;
        }

        if (_rejectNames is not null)
        {
            // Each device a reject names, once, among the valid rows' ids (or, past those held, to be
            // looked up among them): repeated when a valid row lists it too.
            foreach (var id in _rejectNames.ToArray())
            {
                if (_named is not null)
                {
                    _named.Add(id);
                }
                else
                {
                    (_seen ??= new SeenDeviceIds(0)).Add(id);
                }
            }

            _rejectNames = null;
        }

        var repeated = _seen?.Repeated(_named, cancellation) ?? new RepeatedIds();
        _seen?.Dispose();
        _seen = null;
        _named?.Dispose();
        _named = null;
        Repeated = repeated.Count;
        if (repeated.Count == 0 && !always)
        {
            return PassEnd.Done;
        }

        if (snapshot is null || snapshot.Opened.Kind != FileKind.Regular)
        {
            return PassEnd.CannotReadAgain;
        }

        _first = snapshot;
        _excluded = repeated;
        BetweenReadings.Value?.Invoke(snapshot.Source);
        return PassEnd.ReadAgain;
    }

    /// <summary>How many devices the first pass found listed more than once.</summary>
    public int Repeated { get; private set; }

    /// <inheritdoc />
    public void Dispose()
    {
        _seen?.Dispose();
        _named?.Dispose();
    }
}

/// <summary>How a pass over an inventory ended, for the duplicate rule.</summary>
internal enum PassEnd
{
    /// <summary>Every row is decided or rejected.</summary>
    Done,

    /// <summary>Devices are listed more than once: read the inventory again, rejecting every row of them.</summary>
    ReadAgain,

    /// <summary>Devices are listed more than once, and the inventory (a stream) cannot be read again.</summary>
    CannotReadAgain,
}
