namespace Smi.Retention.Inventory;

/// <summary>The result of an analysis over an inventory's devices (<see cref="InventoryAnalysis.Run{T}(string, NodaTime.LocalDate, Func{IEnumerable{DeviceRecord}, T}, CancellationToken)"/>), with what was read.</summary>
/// <typeparam name="T">The analysis' result.</typeparam>
public sealed class InventoryAnalysisResult<T>
{
    internal InventoryAnalysisResult(T result, long rowsRead, long rowsRejected, IReadOnlyList<InventoryRow> firstRejected)
    {
        Result = result;
        RowsRead = rowsRead;
        RowsRejected = rowsRejected;
        FirstRejected = firstRejected;
    }

    /// <summary>The analysis' result, over the devices that may be counted.</summary>
    public T Result { get; }

    /// <summary>The rows of the inventory read (its lines after the header).</summary>
    public long RowsRead { get; }

    /// <summary>The rows not counted: invalid ones, and every row of a device listed more than once.</summary>
    public long RowsRejected { get; }

    /// <summary>The first <see cref="InventoryAnalysis.RejectsKept"/> rows not counted, in input order, each with why (<see cref="InventoryRow.Error"/>).</summary>
    public IReadOnlyList<InventoryRow> FirstRejected { get; }
}
