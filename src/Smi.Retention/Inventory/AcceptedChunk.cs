namespace Smi.Retention.Inventory;

/// <summary>
/// A chunk of an inventory with its valid rows' records gathered in input order: on a parsing
/// thread for a file or stream read in blocks, or from records handed over. Whoever takes the
/// chunks in order works on them a batch at a time, never a row at a time.
/// </summary>
internal class AcceptedChunk : ParsedChunk
{
    private DeviceRecord[] _records = [];
    private int[] _rowOf = [];

    /// <summary>The valid rows' records, in order; the first <see cref="Accepted"/> are this chunk's.</summary>
    public DeviceRecord[] Records => _records;

    /// <summary>How many rows are valid.</summary>
    public int Accepted { get; private set; }

    /// <summary>How many rows are rejects.</summary>
    public int Rejects => Count - Accepted;

    /// <summary>The 0-based index among the input's rows of valid row <paramref name="index"/>.</summary>
    public long RowOf(int index) => FirstRow + (Rejects == 0 ? index : _rowOf[index]);

    /// <summary>Gathers the valid rows' records (after parsing, on a parsing thread).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Accept()
    {
        Grow(Count);
        var count = 0;
        for (var i = 0; i < Count; i++)
        {
            if (Rows[i].IsAccepted)
            {
                _rowOf[count] = i;
                _records[count++] = Rows[i].Record;
            }
        }

        Accepted = count;
    }

    /// <summary>Takes records handed over (every one valid: a record is a row), on this thread.</summary>
    /// <param name="records">The records, in input order.</param>
    /// <param name="firstRow">How many records came before them.</param>
    public void Accept(ReadOnlySpan<DeviceRecord> records, long firstRow)
    {
        Reset();
        Grow(records.Length);
        records.CopyTo(_records);
        Count = Accepted = records.Length;
        FirstRow = firstRow;
    }

    /// <summary>Made room for <paramref name="size"/> records: a chunk that keeps something a record grows it here.</summary>
    protected virtual void Resized(int size)
    {
    }

    private void Grow(int count)
    {
        if (_records.Length < count)
        {
            var size = Math.Max(count, Rows.Length);
            _records = new DeviceRecord[size];
            _rowOf = new int[size];
            Resized(size);
        }
    }
}
