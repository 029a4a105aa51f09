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

    private readonly int _shift;
    private readonly ulong[]?[] _current;
    private readonly int[] _filled;
    private readonly List<ulong[]>[] _held;
    private readonly List<long>[] _spilled;
    private readonly long _budgetSegments;
    private readonly string _spillFolder;
    private long _heldSegments;
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
        var p = (int)(Mix(id.Value) >> _shift);
        var segment = _current[p] ??= new ulong[SegmentIds];
        segment[_filled[p]++] = id.Value;
        Count++;
        if (_filled[p] == SegmentIds)
        {
            Retire(p, segment);
        }
    }

    /// <summary>The ids added more than once (checked partition by partition, on every core).</summary>
    public HashSet<DeviceId> Repeated(CancellationToken cancellation)
    {
        var repeated = new HashSet<DeviceId>();
        var options = new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(
            0,
            _current.Length,
            options,
            () => new Scratch(),
            (p, _, scratch) =>
            {
                scratch.Check(Gather(p, scratch), repeated);
                return scratch;
            },
            _ => { });
        return repeated;
    }

    /// <inheritdoc />
    public void Dispose() => _spill?.Dispose();

    // Device ids are not random (vendors allocate ranges): spread them before partitioning.
    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDUL;
        z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53UL;
        return z ^ (z >> 33);
    }

    private void Retire(int p, ulong[] segment)
    {
        _filled[p] = 0;
        if (_heldSegments < _budgetSegments)
        {
            _held[p].Add(segment);
            _heldSegments++;
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

    /// <summary>A partition's ids, from memory and the file, in the scratch's buffer.</summary>
    private ReadOnlySpan<ulong> Gather(int p, Scratch scratch)
    {
        var count = (_held[p].Count + _spilled[p].Count) * SegmentIds + _filled[p];
        var ids = scratch.Ids(count);
        var at = 0;
        foreach (var segment in _held[p])
        {
            segment.CopyTo(ids, at);
            at += SegmentIds;
        }

        foreach (var offset in _spilled[p])
        {
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan(at, SegmentIds));
            if (RandomAccess.Read(_spill!.SafeFileHandle, bytes, offset) != bytes.Length)
            {
                throw new Output.OutputFailedException(CliMessages.SpillFailed(_spill.Name, "it was shorter than written"), new EndOfStreamException());
            }

            at += SegmentIds;
        }

        _current[p]?.AsSpan(0, _filled[p]).CopyTo(ids.AsSpan(at));
        return ids.AsSpan(0, count);
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

    /// <summary>One thread's buffers for checking partitions: the ids, and an open-addressing table of them.</summary>
    private sealed class Scratch
    {
        private ulong[] _ids = [];
        private ulong[] _table = [];

        public ulong[] Ids(int count)
        {
            if (_ids.Length < count)
            {
                _ids = new ulong[count];
            }

            return _ids;
        }

        /// <summary>Adds to <paramref name="repeated"/> every id that occurs more than once in <paramref name="ids"/>.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Check(ReadOnlySpan<ulong> ids, HashSet<DeviceId> repeated)
        {
            var size = 16;
            while (size < ids.Length * 2)
            {
                size <<= 1;
            }

            if (_table.Length < size)
            {
                _table = new ulong[size];
            }

            var table = _table.AsSpan(0, size);
            table.Clear();
            var mask = size - 1;
            var zeros = 0; // id 0 cannot be told from an empty slot: counted aside
            foreach (var id in ids)
            {
                if (id == 0)
                {
                    if (++zeros == 2)
                    {
                        Report(repeated, id);
                    }

                    continue;
                }

                var i = (int)Mix(id) & mask; // the low bits: the high ones chose the partition
                while (table[i] != 0 && table[i] != id)
                {
                    i = (i + 1) & mask;
                }

                if (table[i] == id)
                {
                    Report(repeated, id);
                }

                table[i] = id;
            }
        }

        private static void Report(HashSet<DeviceId> repeated, ulong id)
        {
            lock (repeated)
            {
                repeated.Add(new DeviceId(id));
            }
        }
    }
}
