namespace Smi.Retention.Inventory;

/// <summary>
/// The device ids of a pass, to find those listed more than once once the pass is over. Adding an
/// id appends it to one of up to a few thousand partitions (chosen by the id's hash), which touches the
/// same few cache lines whatever the inventory's size; <see cref="Repeated(CancellationToken)"/> then checks one
/// partition at a time, each small enough to check in the processor's cache, on every core.
/// Memory is bounded: beyond <see cref="MemoryBudget"/> bytes of ids, full partition segments go to
/// a temporary file that no one else can open and that is gone when the process ends.
/// Ids may carry a tag each (where the row was, how it was decided), for a pass that cannot be read
/// again to find every occurrence of the repeated ones (<see cref="Occurrences"/>).
/// </summary>
internal sealed class SeenDeviceIds : IDisposable
{
    /// <summary>Bytes of ids held in memory before they spill to a temporary file: 16 million devices.</summary>
    public const long MemoryBudget = 128L << 20;

    private const int SegmentIds = 1024; // 8 KiB
    // About this many ids a partition: few partitions keep the lines being appended to in the
    // nearest caches (10 M rows: 512, not 2,048: the collection's samples 7.6% -> 6.2%, the check's
    // the same; benchmarks/results/SUMMARY.md), and a partition's check table (64 K slots, 512 KB)
    // still fits a core's cache.
    private const int IdsPerPartition = 32768;

    // Keys drawn for each run, so that no file can be written to crowd one partition or one slot
    // of a table (which would make checking it quadratic): the partition and the slot come from
    // two differently keyed hashes.
    private readonly ulong _partitionKey;
    private readonly ulong _slotKey;
    private readonly int _shift;
    private readonly ulong[]?[] _current;
    private readonly int[] _filled;
    private readonly List<ulong[]>[] _held;
    private readonly List<long>[] _spilled;
    private readonly long _budgetSegments;
    private readonly string _spillFolder;
    private readonly int _stride;
    private long _segments; // allocated, full or filling: the budget counts both
    private FileStream? _spill;
    private long _spillLength;

    /// <summary>Creates the partitions for about <paramref name="expected"/> ids (any number may be added).</summary>
    /// <param name="expected">About how many ids will be added.</param>
    /// <param name="memoryBudget">Bytes of ids kept in memory before they spill.</param>
    /// <param name="spillFolder">Where the temporary file goes: the temporary folder (TMPDIR) unless given.</param>
    /// <param name="tagged">Whether each id is added with a tag (<see cref="Add(DeviceId, ulong)"/>), twice the memory a device.</param>
    public SeenDeviceIds(long expected, long memoryBudget = MemoryBudget, string? spillFolder = null, bool tagged = false)
        : this(ShiftFor(expected), memoryBudget, spillFolder ?? Path.GetTempPath(), tagged ? 2 : 1, (ulong)Random.Shared.NextInt64(), (ulong)Random.Shared.NextInt64())
    {
    }

    private SeenDeviceIds(int shift, long memoryBudget, string spillFolder, int stride, ulong partitionKey, ulong slotKey)
    {
        _spillFolder = spillFolder;
        _stride = stride;
        _partitionKey = partitionKey;
        _slotKey = slotKey;
        _shift = shift;
        var partitions = 1 << (64 - shift);
        _current = new ulong[partitions][];
        _filled = new int[partitions];
        _held = new List<ulong[]>[partitions];
        _spilled = new List<long>[partitions];
        for (var p = 0; p < partitions; p++)
        {
            _held[p] = [];
            _spilled[p] = [];
        }

        _budgetSegments = memoryBudget / (SegmentIds * sizeof(ulong));
    }

    /// <summary>
    /// An empty, untagged collection partitioned as this one (the same keys and partitions), with a
    /// budget of its own: ids to be looked up among this one's by <see cref="Repeated(SeenDeviceIds?, CancellationToken)"/>.
    /// </summary>
    /// <param name="memoryBudget">Bytes of its ids kept in memory before they spill.</param>
    public SeenDeviceIds Alongside(long memoryBudget) => new(_shift, memoryBudget, _spillFolder, 1, _partitionKey, _slotKey);

    /// <summary>The shift that makes enough partitions for about <paramref name="expected"/> ids: 64 to 4,096 of them.</summary>
    private static int ShiftFor(long expected)
    {
        var bits = 6;
        while (bits < 12 && (1L << bits) * IdsPerPartition < expected)
        {
            bits++;
        }

        return 64 - bits;
    }

    /// <summary>How many ids were added.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes of ids written to the temporary file, 0 while they fit in memory.</summary>
    public long Spilled => _spillLength;

    /// <summary>Adds an id (the same id may be added any number of times).</summary>
    /// <exception cref="SpillFailedException">The temporary file could not be created or written.</exception>
    public void Add(DeviceId id)
    {
        RequireUntagged();
        var p = PartitionOf(id.Value);
        Count++;
        if (Append(_current, _filled, p, id.Value) is { } full)
        {
            Retire(p, full);
        }
    }

    /// <summary>Adds the id of every record, in one loop (the same id may be added any number of times).</summary>
    /// <exception cref="SpillFailedException">The temporary file could not be created or written.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // a loop over millions: optimised at once
    public void Add(ReadOnlySpan<DeviceRecord> records)
    {
        RequireUntagged();

        // The fields in locals and the count in a register: the JIT reloads a field after every
        // store it cannot prove leaves it alone (perf of the packed tool's diff: this loop's
        // samples 545 -> 358; benchmarks/results/SUMMARY.md).
        var (current, filled, key, shift) = (_current, _filled, _partitionKey, _shift);
        var added = 0L;
        foreach (ref readonly var record in records)
        {
            var id = record.Id.Value;
            var p = PartitionOf(id, key, shift);
            added++;
            if (Append(current, filled, p, id) is { } full)
            {
                (Count, added) = (Count + added, 0); // counted before Retire, which may throw
                Retire(p, full);
            }
        }

        Count += added;
    }

    private void RequireUntagged()
    {
        if (_stride != 1)
        {
            throw new InvalidOperationException("A tagged collection takes each id with its tag.");
        }
    }

    /// <summary>Puts an untagged id in partition <paramref name="p"/>'s filling segment (of <paramref name="current"/>, filled as <paramref name="filled"/> says): the segment, when that filled it (for <see cref="Retire"/>), else null.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ulong[]? Append(ulong[]?[] current, int[] filled, int p, ulong id)
    {
        var segment = current[p] ??= NewSegment();
        var at = filled[p];
        segment[at] = id;
        filled[p] = at + 1;
        return at + 1 == SegmentIds ? segment : null;
    }

    /// <summary>Adds an id with its tag, in a tagged collection.</summary>
    /// <exception cref="SpillFailedException">The temporary file could not be created or written.</exception>
    public void Add(DeviceId id, ulong tag)
    {
        if (_stride != 2)
        {
            throw new InvalidOperationException("An untagged collection takes ids alone.");
        }

        var p = PartitionOf(id.Value);
        var segment = _current[p] ??= NewSegment();
        var at = _filled[p];
        segment[at] = id.Value;
        segment[at + 1] = tag;
        _filled[p] = at + 2;
        Count++;
        if (at + 2 == SegmentIds)
        {
            Retire(p, segment);
        }
    }

    /// <summary>Every occurrence of the <paramref name="repeated"/> ids with its tag, in no order (a tagged collection).</summary>
    public List<(DeviceId Id, ulong Tag)> Occurrences(RepeatedIds repeated, CancellationToken cancellation)
    {
        if (_stride != 2)
        {
            throw new InvalidOperationException("Only a tagged collection knows where its ids were.");
        }

        var found = new List<(DeviceId, ulong)>();
        if (repeated.Count == 0)
        {
            return found;
        }

        for (var p = 0; p < _current.Length; p++)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var segment in Segments(p))
            {
                var span = segment.Span;
                for (var i = 0; i + 1 < span.Length; i += 2)
                {
                    var id = new DeviceId(span[i]);
                    if (repeated.Contains(id))
                    {
                        found.Add((id, span[i + 1]));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The ids added more than once (checked partition by partition, on every core).</summary>
    public RepeatedIds Repeated(CancellationToken cancellation) => Repeated(alsoFound: null, cancellation);

    /// <summary>
    /// The ids added more than once, and those of <paramref name="alsoFound"/> (made by
    /// <see cref="Alongside"/>) that were added here too, however often each occurs there: an id that
    /// occurs only in <paramref name="alsoFound"/>, once or more, is not one of them.
    /// </summary>
    public RepeatedIds Repeated(SeenDeviceIds? alsoFound, CancellationToken cancellation)
    {
        if (alsoFound is not null && (alsoFound._partitionKey != _partitionKey || alsoFound._current.Length != _current.Length || _stride != 1))
        {
            throw new ArgumentException("Ids are looked up only in a collection made alongside this untagged one.", nameof(alsoFound));
        }

        var repeated = new RepeatedIds();
        var options = new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(
            0,
            _current.Length,
            options,
            () => new Scratch(_slotKey),
            (p, _, scratch) =>
            {
                scratch.Check(Segments(p), _stride, repeated, cancellation);
                if (alsoFound is not null)
                {
                    scratch.Find(alsoFound.Segments(p), repeated, cancellation);
                }

                return scratch;
            },
            _ => { });
        return repeated;
    }

    /// <inheritdoc />
    public void Dispose() => _spill?.Dispose();

    /// <summary>The partition an id goes to (by the keyed hash).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal int PartitionOf(ulong id) => PartitionOf(id, _partitionKey, _shift);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int PartitionOf(ulong id, ulong key, int shift) => (int)(Mix(id ^ key) >> shift);

    // Device ids are not random (vendors allocate ranges): spread them before partitioning.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDUL;
        z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53UL;
        return z ^ (z >> 33);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private ulong[] NewSegment()
    {
        _segments++;
        return GC.AllocateUninitializedArray<ulong>(SegmentIds); // never read past what was written: Segments takes a filling one up to its count
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Retire(int p, ulong[] segment)
    {
        _filled[p] = 0;
        if (_segments < _budgetSegments)
        {
            _held[p].Add(segment);
            _current[p] = null;
            return;
        }

        // Over budget: the segment goes to the file, and its array is filled again.
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(segment.AsSpan());
        var file = _spill ??= OpenSpill(_spillFolder);
        try
        {
            RandomAccess.Write(file.SafeFileHandle, bytes, _spillLength);
        }
        catch (IOException e)
        {
            throw new SpillFailedException(Messages.SpillFailed(file.Name, e.Message), e);
        }

        _spilled[p].Add(_spillLength);
        _spillLength += bytes.Length;
    }

    /// <summary>A partition's ids, a segment at a time, from memory and from the file.</summary>
    private IEnumerable<ReadOnlyMemory<ulong>> Segments(int p)
    {
        foreach (var segment in _held[p])
        {
            yield return segment;
        }

        if (_spilled[p].Count > 0)
        {
            var buffer = new ulong[SegmentIds];
            foreach (var offset in _spilled[p])
            {
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan());
                if (RandomAccess.Read(_spill!.SafeFileHandle, bytes, offset) != bytes.Length)
                {
                    throw new SpillFailedException(Messages.SpillFailed(_spill.Name, "it was shorter than written"), new EndOfStreamException());
                }

                yield return buffer;
            }
        }

        if (_current[p] is { } current)
        {
            yield return current.AsMemory(0, _filled[p]);
        }
    }

    /// <summary>
    /// A file in the temporary folder (TMPDIR), created under a random name that no other file
    /// has; on Linux and macOS its name is removed at once, so it leaves nothing behind however
    /// the process ends.
    /// </summary>
    private static FileStream OpenSpill(string folder)
    {
        var path = Path.Combine(folder, "smi-retention-ids-" + Path.GetRandomFileName());
        try
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            if (!OperatingSystem.IsWindows())
            {
                File.Delete(path);
            }

            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpillFailedException(Messages.SpillFailed(path, e.Message), e);
        }
    }

    /// <summary>
    /// One thread's table for checking partitions: open addressing over the distinct ids of the
    /// partition, grown as they come, so its size follows the distinct ids however often one repeats.
    /// </summary>
    private sealed class Scratch(ulong slotKey)
    {
        private ulong[] _table = new ulong[1 << 12];
        private int _zeros; // id 0 cannot be told from an empty slot: counted aside

        /// <summary>Adds to <paramref name="repeated"/> every id that occurs more than once in the partition's segments.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Check(IEnumerable<ReadOnlyMemory<ulong>> segments, int stride, RepeatedIds repeated, CancellationToken cancellation)
        {
            Array.Clear(_table);
            var count = 0;
            _zeros = 0;
            foreach (var segment in segments)
            {
                cancellation.ThrowIfCancellationRequested();
                var span = segment.Span;
                for (var at = 0; at < span.Length; at += stride)
                {
                    var id = span[at];
                    if (id == 0)
                    {
                        if (++_zeros == 2)
                        {
                            repeated.Add(id);
                        }

                        continue;
                    }

                    if ((count + 1) * 2 > _table.Length)
                    {
                        Grow();
                    }

                    var mask = _table.Length - 1;
                    var i = (int)Mix(id ^ slotKey) & mask;
                    while (_table[i] != 0 && _table[i] != id)
                    {
                        i = (i + 1) & mask;
                    }

                    if (_table[i] == id)
                    {
                        repeated.Add(id);
                        continue;
                    }

                    _table[i] = id;
                    count++;
                }
            }
        }

        /// <summary>After <see cref="Check"/> of a partition: adds to <paramref name="repeated"/> every id of <paramref name="segments"/> (untagged) that the partition holds.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Find(IEnumerable<ReadOnlyMemory<ulong>> segments, RepeatedIds repeated, CancellationToken cancellation)
        {
            var mask = _table.Length - 1;
            foreach (var segment in segments)
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var id in segment.Span)
                {
                    if (id == 0)
                    {
                        if (_zeros > 0)
                        {
                            repeated.Add(id);
                        }

                        continue;
                    }

                    var i = (int)Mix(id ^ slotKey) & mask;
                    while (_table[i] != 0 && _table[i] != id)
                    {
                        i = (i + 1) & mask;
                    }

                    if (_table[i] == id)
                    {
                        repeated.Add(id);
                    }
                }
            }
        }

        private void Grow()
        {
            var old = _table;
            _table = new ulong[old.Length * 2];
            var mask = _table.Length - 1;
            foreach (var id in old)
            {
                if (id == 0)
                {
                    continue;
                }

                var i = (int)Mix(id ^ slotKey) & mask;
                while (_table[i] != 0)
                {
                    i = (i + 1) & mask;
                }

                _table[i] = id;
            }
        }
    }
}

/// <summary>The temporary file that holds device ids beyond the memory budget could not be created, written or read back.</summary>
internal sealed class SpillFailedException(string message, Exception inner) : IOException(message, inner);
