using NodaTime;

namespace Smi.Retention.Inventory;

/// <summary>
/// Runs an analysis (<see cref="Impact.PolicyDiff"/>, <see cref="Impact.PolicyForecast"/>,
/// <see cref="Impact.StockAgeing"/>, or any other) over the devices of an inventory that may be
/// counted, as the tool's <c>diff</c>, <c>forecast</c> and <c>stock</c> do: every valid row but
/// those of a device listed more than once, counting a rejected row as a listing of every device it
/// names (<see cref="InventoryRow.NamedDevices"/>), so a device whose other row has a typo is not
/// counted either. Which devices are listed twice is known only at the end of a reading, so when
/// there are any the inventory is read again and the analysis run again over that reading, which
/// must read the same bytes.
/// </summary>
public static class InventoryAnalysis
{
    /// <summary>How many rejected rows a result keeps (<see cref="InventoryAnalysisResult{T}.FirstRejected"/>); all are counted.</summary>
    public const int RejectsKept = 20;

    /// <summary>Runs <paramref name="analysis"/> over the devices of the inventory at <paramref name="path"/> that may be counted.</summary>
    /// <typeparam name="T">The analysis' result.</typeparam>
    /// <param name="path">The inventory CSV (gzip-compressed or not), opened as <see cref="InventoryReader.Open(string, LocalDate?)"/> opens it.</param>
    /// <param name="asOf">The date of the analysis, if known: rows whose status applies after it are rejected.</param>
    /// <param name="analysis">
    /// The analysis over the devices, in input order. It must enumerate them once, to the end (each
    /// enumeration reads the inventory); it may run twice, and only the last run's result is kept.
    /// </param>
    /// <param name="cancellationToken">Ends the reading.</param>
    /// <returns>The result, with the rows read and rejected.</returns>
    /// <exception cref="InventoryFormatException">The inventory cannot be opened or its header read; a rejected row names more devices than can be told; or devices are listed more than once in an inventory that cannot be read twice (standard input, a pipe).</exception>
    /// <exception cref="InventoryChangedException">The inventory changed while it was read, or between two readings.</exception>
    /// <exception cref="CorruptInventoryException">A compressed inventory is damaged.</exception>
    /// <exception cref="IOException">The inventory failed while reading.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="analysis"/> enumerated the devices twice, or stopped before the last.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static InventoryAnalysisResult<T> Run<T>(string path, LocalDate? asOf, Func<IEnumerable<DeviceRecord>, T> analysis, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(analysis);
        var (result, devices) = Run(
            () => InventoryReader.Open(path, asOf), path, d => analysis(d.Stream()), null, null, repeated => new InventoryFormatException(Messages.RepeatedOnStream(repeated, path)), cancellationToken);
        return new InventoryAnalysisResult<T>(result, devices.Read, devices.Rejected, devices.FirstRejected.ToList().AsReadOnly());
    }

    /// <summary>
    /// The one loop of an analysis over an inventory, for the tool too: opens it, runs the analysis
    /// over a reading, and reads again when devices turn out to be listed more than once.
    /// </summary>
    /// <param name="open">Opens the inventory, past its header.</param>
    /// <param name="source">Its name in messages.</param>
    /// <param name="analysis">The analysis over a reading's accepted devices.</param>
    /// <param name="opened">Called once, with the first reading's reader past its header.</param>
    /// <param name="read">Called once, after the first reading.</param>
    /// <param name="cannotReadAgain">The exception for devices listed more than once (how many) in an inventory that cannot be read twice.</param>
    /// <param name="cancellation">Ends the reading.</param>
    internal static (T Result, AcceptedDevices Devices) Run<T>(
        Func<InventoryReader> open, string source, Func<AcceptedDevices, T> analysis, Action<InventoryReader>? opened, Action<InventoryReader>? read, Func<int, Exception> cannotReadAgain, CancellationToken cancellation)
    {
        using var duplicates = new DuplicateCheck();
        while (true)
        {
            using var reader = open();
            opened?.Invoke(reader);
            opened = null;
            var devices = new AcceptedDevices(reader, source, duplicates, cancellation);
            var result = analysis(devices);
            if (!devices.Complete)
            {
                throw new InvalidOperationException(Messages.AnalysisStoppedEarly(source));
            }

            read?.Invoke(reader);
            read = null;
            switch (duplicates.AfterPass(reader, cancellation))
            {
                case PassEnd.ReadAgain:
                    continue;
                case PassEnd.CannotReadAgain:
                    throw cannotReadAgain(duplicates.Repeated);
            }

            return (result, devices);
        }
    }
}
