using Smi.Retention.Inventory;

namespace Smi.Retention.Evaluation;

/// <summary>
/// A chunk of an inventory with its valid rows decided: on a parsing thread for a file or stream
/// read in blocks, or on the caller's thread for records handed over. The decisions are counted by
/// action and type, and the removals and undetermined ones noted, so that whoever takes the chunks
/// in order (the tool's <c>run</c>, the host's <c>HousekeepingService</c>) only adds them up.
/// </summary>
internal class DecidedChunk : AcceptedChunk
{
    private RetentionDecision[] _decisions = [];

    /// <summary>The valid rows' decisions, in order.</summary>
    public RetentionDecision[] Decisions => _decisions;

    /// <summary>The decisions by action and device type.</summary>
    public DecisionCounts Counts { get; } = new();

    /// <summary>Indexes (among the valid rows) of the removals.</summary>
    public List<int> Removals { get; } = [];

    /// <summary>Indexes (among the valid rows) of the undetermined decisions.</summary>
    public List<int> Undetermined { get; } = [];

    /// <summary>Decides the chunk's valid rows (after parsing, on a parsing thread).</summary>
    public void Decide(PolicyEvaluator evaluator)
    {
        Accept();
        Evaluate(evaluator);
    }

    /// <summary>Takes records handed over (every one valid: a record is a row) and decides them, on this thread.</summary>
    /// <param name="records">The records, in input order.</param>
    /// <param name="firstRow">How many records came before them.</param>
    /// <param name="evaluator">The policy in force on the run's date.</param>
    public void Decide(ReadOnlySpan<DeviceRecord> records, long firstRow, PolicyEvaluator evaluator)
    {
        Accept(records, firstRow);
        Evaluate(evaluator);
    }

    /// <summary>Work on the decided chunk, on the same thread (the tool formats its decisions here).</summary>
    protected virtual void Decided()
    {
    }

    /// <inheritdoc />
    protected override void Resized(int size) => _decisions = new RetentionDecision[size];

    private void Evaluate(PolicyEvaluator evaluator)
    {
        var count = Accepted;
        var records = Records;
        evaluator.Evaluate(records.AsSpan(0, count), _decisions.AsSpan(0, count));
        Counts.Clear();
        Removals.Clear();
        Undetermined.Clear();
        for (var i = 0; i < count; i++)
        {
            var decision = _decisions[i];
            Counts.Add(decision.Action, records[i].Type);
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
