using Smi.Retention.Inventory;

namespace Smi.Retention.Evaluation;

/// <summary>
/// A chunk of an inventory with its valid rows decided: on a parsing thread for a file or stream
/// read in blocks, or on the caller's thread for records handed over. The decisions are counted by
/// action and type, and the removals and undetermined ones noted, so that whoever takes the chunks
/// in order (the tool's <c>run</c>, the host's <c>HousekeepingService</c>) only adds them up.
/// </summary>
internal class DecidedChunk : ParsedChunk
{
    private DeviceRecord[] _records = [];
    private RetentionDecision[] _decisions = [];
    private int[] _rowOf = [];

    /// <summary>The valid rows' records, in order; the first <see cref="Accepted"/> are this chunk's.</summary>
    public DeviceRecord[] Records => _records;

    /// <summary>The valid rows' decisions, in order.</summary>
    public RetentionDecision[] Decisions => _decisions;

    /// <summary>How many rows are valid (decided).</summary>
    public int Accepted { get; private set; }

    /// <summary>How many rows are rejects.</summary>
    public int Rejects => Count - Accepted;

    /// <summary>The decisions by action and device type.</summary>
    public DecisionCounts Counts { get; } = new();

    /// <summary>Indexes (among the valid rows) of the removals.</summary>
    public List<int> Removals { get; } = [];

    /// <summary>Indexes (among the valid rows) of the undetermined decisions.</summary>
    public List<int> Undetermined { get; } = [];

    /// <summary>The 0-based index among the input's rows of valid row <paramref name="index"/>.</summary>
    public long RowOf(int index) => FirstRow + (Rejects == 0 ? index : _rowOf[index]);

    /// <summary>Decides the chunk's valid rows (after parsing, on a parsing thread).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Decide(PolicyEvaluator evaluator)
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
        Evaluate(evaluator);
    }

    /// <summary>Takes records handed over (every one valid: a record is a row) and decides them, on this thread.</summary>
    /// <param name="records">The records, in input order.</param>
    /// <param name="firstRow">How many records came before them.</param>
    /// <param name="evaluator">The policy in force on the run's date.</param>
    public void Decide(ReadOnlySpan<DeviceRecord> records, long firstRow, PolicyEvaluator evaluator)
    {
        Reset();
        Grow(records.Length);
        records.CopyTo(_records);
        Count = Accepted = records.Length;
        FirstRow = firstRow;
        Evaluate(evaluator);
    }

    /// <summary>Work on the decided chunk, on the same thread (the tool formats its decisions here).</summary>
    protected virtual void Decided()
    {
    }

    private void Grow(int count)
    {
        if (_records.Length < count)
        {
            var size = Math.Max(count, Rows.Length);
            _records = new DeviceRecord[size];
            _decisions = new RetentionDecision[size];
            _rowOf = new int[size];
        }
    }

    private void Evaluate(PolicyEvaluator evaluator)
    {
        var count = Accepted;
        evaluator.Evaluate(_records.AsSpan(0, count), _decisions.AsSpan(0, count));
        Counts.Clear();
        Removals.Clear();
        Undetermined.Clear();
        for (var i = 0; i < count; i++)
        {
            var decision = _decisions[i];
            Counts.Add(decision.Action, _records[i].Type);
            if (decision.IsRemoval)
            {
                Removals.Add(i);
            }
            else if (decision.Action == RetentionAction.Undetermined)
            {
                Undetermined.Add(i);
            }
        }

        Decided();
    }
}
