namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// The device ids of a pass, to find those listed more than once once the pass is over. Adding an
/// id appends it to one of a few thousand partitions (chosen by the id's hash), which touches the
/// same few cache lines whatever the inventory's size; <see cref="Repeated"/> then checks one
/// partition at a time, each small enough to check in the processor's cache, on every core.
/// Memory is bounded: beyond <see cref="MemoryBudget"/> bytes of ids, full partition segments go to
/// a temporary file that no one else can open and that is gone when the process ends.
/// </summary>
internal sealed class SeenDeviceIds : IDisposable
{
    /// <summary>Bytes of ids held in memory before they spill to a temporary file: 16 million devices.</summary>
    public const long MemoryBudget = 128L << 20;

    private const int SegmentIds = 1024; // 8 KiB
    private const int IdsPerPartition = 8192;

    // Keys drawn for each run, so that no file can be written to crowd one partition or one slot
    // of a table (which would make checking it quadratic): the partition and the slot come from
    // two differently keyed hashes.
    private readonly ulong _partitionKey = (ulong)Random.Shared.NextInt64();
    private readonly ulong _slotKey = (ulong)Random.Shared.NextInt64();
    private readonly int _shift;
    private readonly ulong[]?[] _current;
    private readonly int[] _filled;
    private readonly List<ulong[]>[] _held;
    private readonly List<long>[] _spilled;
    private readonly long _budgetSegments;
    private readonly string _spillFolder;
    private long _segments; // allocated, full or filling: the budget counts both
    private FileStream? _spill;
    private long _spillLength;

    /// <summary>Creates the partitions for about <paramref name="expected"/> ids (any number may be added).</summary>
    /// <param name="expected">About how many ids will be added.</param>
    /// <param name="memoryBudget">Bytes of ids kept in memory before they spill.</param>
    /// <param name="spillFolder">Where the temporary file goes: the temporary folder (TMPDIR) unless given.</param>
    public SeenDeviceIds(long expected, long memoryBudget = MemoryBudget, string? spillFolder = null)
    {
        _spillFolder = spillFolder ?? Path.GetTempPath();
        var bits = 6;
        while (bits < 12 && (1L << bits) * IdsPerPartition < expected)
        {
            bits++;
        }

        _shift = 64 - bits;
        var partitions = 1 << bits;
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

    /// <summary>How many ids were added.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes of ids written to the temporary file, 0 while they fit in memory.</summary>
    public long Spilled => _spillLength;

    /// <summary>Adds an id (the same id may be added any number of times).</summary>
    /// <exception cref="Output.OutputFailedException">The temporary file could not be created or written.</exception>
    public void Add(DeviceId id)
    {
        var p = PartitionOf(id.Value);
        var segment = _current[p] ??= NewSegment();
        segment[_filled[p]++] = id.Value;
        Count++;
        if (_filled[p] == SegmentIds)
        {
            Retire(p, segment);
        }
    }

    /// <summary>The ids added more than once (checked partition by partition, on every core).</summary>
    public RepeatedIds Repeated(CancellationToken cancellation)
    {
        var repeated = new RepeatedIds();
        var options = new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(
            0,
            _current.Length,
            options,
            () => new Scratch(_slotKey),
            (p, _, scratch) =>
            {
                scratch.Check(Segments(p), repeated, cancellation);
                return scratch;
            },
            _ => { });
        return repeated;
    }

    /// <inheritdoc />
    public void Dispose() => _spill?.Dispose();

    /// <summary>The partition an id goes to (by the keyed hash).</summary>
    internal int PartitionOf(ulong id) => (int)(Mix(id ^ _partitionKey) >> _shift);

    // Device ids are not random (vendors allocate ranges): spread them before partitioning.
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDUL;
        z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53UL;
        return z ^ (z >> 33);
    }

    private ulong[] NewSegment()
    {
        _segments++;
        return new ulong[SegmentIds];
    }

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
            throw new Output.OutputFailedException(CliMessages.SpillFailed(file.Name, e.Message), e);
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
                    throw new Output.OutputFailedException(CliMessages.SpillFailed(_spill.Name, "it was shorter than written"), new EndOfStreamException());
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
            throw new Output.OutputFailedException(CliMessages.SpillFailed(path, e.Message), e);
        }
    }

    /// <summary>
    /// One thread's table for checking partitions: open addressing over the distinct ids of the
    /// partition, grown as they come, so its size follows the distinct ids however often one repeats.
    /// </summary>
    private sealed class Scratch(ulong slotKey)
    {
        private ulong[] _table = new ulong[1 << 12];

        /// <summary>Adds to <paramref name="repeated"/> every id that occurs more than once in the partition's segments.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Check(IEnumerable<ReadOnlyMemory<ulong>> segments, RepeatedIds repeated, CancellationToken cancellation)
        {
            Array.Clear(_table);
            var count = 0;
            var zeros = 0; // id 0 cannot be told from an empty slot: counted aside
            foreach (var segment in segments)
            {
                cancellation.ThrowIfCancellationRequested();
                foreach (var id in segment.Span)
                {
                    if (id == 0)
                    {
                        if (++zeros == 2)
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
