using NodaTime;
using Smi.Retention.Files;

namespace Smi.Retention.Inventory;

/// <summary>
/// Runs an analysis (<see cref="Impact.PolicyDiff"/>, <see cref="Impact.PolicyForecast"/>,
/// <see cref="Impact.StockAgeing"/>, or any other) over the devices of an inventory file that may
/// be counted, the devices the tool's <c>diff</c>, <c>forecast</c> and <c>stock</c> count: every
/// valid row but those of a device listed more than once, a rejected row counting as a listing of
/// every device it names (<see cref="InventoryRow.GetNamedDevices"/>), so a device whose other row
/// has a typo is not counted either. Which devices are listed twice is known only at the end of a
/// reading, so the file is read twice: once to find them, once for the analysis, which sees only
/// the devices that may be counted (the second reading must read the same bytes).
/// </summary>
public static class InventoryAnalysis
{
    /// <summary>How many rejected rows a result keeps (<see cref="InventoryAnalysisResult{T}.FirstRejected"/>); all are counted.</summary>
    public static int RejectsKept => 20;

    /// <summary>Runs <paramref name="analysis"/> over the devices of the inventory at <paramref name="path"/> that may be counted.</summary>
    /// <typeparam name="T">The analysis' result.</typeparam>
    /// <param name="path">The inventory CSV file (gzip-compressed or not), opened as <see cref="InventoryReader.Open(string, LocalDate?)"/> opens it. It is read twice, so it must be a file, not a stream (standard input, a pipe).</param>
    /// <param name="asOf">The date of the analysis: rows whose status applies after it are rejected, as the tool rejects them.</param>
    /// <param name="analysis">
    /// The analysis over the devices, in input order, each of which may be counted. It runs once, and
    /// must enumerate them once, to the end, before it returns (not a lazy query or a task that
    /// enumerates later): the second reading is checked to be the same bytes as the first only at its end.
    /// </param>
    /// <param name="cancellationToken">Ends the reading.</param>
    /// <returns>The result, with the rows read and rejected.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="analysis"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="InventoryFormatException">The inventory cannot be opened, is not a file that can be read twice, or its header cannot be read; or a rejected row names more devices than can be told.</exception>
    /// <exception cref="InventoryChangedException">The inventory changed between the two readings (refused before the analysis sees a device), or while it was read (refused at the end of the reading: drop what the analysis wrote anywhere).</exception>
    /// <exception cref="CorruptInventoryException">A compressed inventory is damaged.</exception>
    /// <exception cref="IOException">The inventory failed while reading.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="analysis"/> enumerated the devices twice, or returned before enumerating the last.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static InventoryAnalysisResult<T> Run<T>(string path, LocalDate asOf, Func<IEnumerable<DeviceRecord>, T> analysis, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(analysis);
        try
        {
            var (result, devices) = Run(
                () => InventoryReader.Open(path, asOf),
                path,
                d => analysis(d.Stream()),
                opened: reader =>
                {
                    if (reader.Snapshot()?.Opened.Kind != FileKind.Regular)
                    {
                        throw new InventoryFormatException(Messages.AnalysisNeedsAFile(path));
                    }
                },
                read: null,
                cannotReadAgain: _ => new InventoryFormatException(Messages.AnalysisNeedsAFile(path)),
                cancellationToken,
                countedOnly: true);
            return new InventoryAnalysisResult<T>(result, devices.Read, devices.Rejected, devices.FirstRejected.ToList().AsReadOnly());
        }
        catch (InventoryChangedException e) when (e.Difference is { } difference)
        {
            throw new InventoryChangedException(Messages.AnalysisInventoryChanged(path, difference), e) { Difference = difference };
        }
    }

    /// <summary>
    /// The one loop of an analysis over an inventory, for the tool too: opens it, runs the analysis
    /// over a reading, and reads again when devices turn out to be listed more than once, the
    /// analysis run again over that reading.
    /// </summary>
    /// <param name="open">Opens the inventory, past its header.</param>
    /// <param name="source">Its name in messages.</param>
    /// <param name="analysis">The analysis over a reading's accepted devices.</param>
    /// <param name="opened">Called once, with the first reading's reader past its header.</param>
    /// <param name="read">Called once, after the first reading.</param>
    /// <param name="cannotReadAgain">The exception for an inventory that must be read again and cannot be (how many devices are repeated).</param>
    /// <param name="cancellation">Ends the reading.</param>
    /// <param name="countedOnly">
    /// Whether the analysis may see only devices that may be counted: the first reading then only
    /// finds the repeated devices, and the analysis runs once, over the second. Otherwise (the
    /// tool's analyses, whose first result is dropped when there is a second) it runs over the
    /// first reading, and again over the second only when there are repeated devices.
    /// </param>
    internal static (T Result, AcceptedDevices Devices) Run<T>(
        Func<InventoryReader> open, string source, Func<AcceptedDevices, T> analysis, Action<InventoryReader>? opened, Action<InventoryReader>? read, Func<int, Exception> cannotReadAgain, CancellationToken cancellation, bool countedOnly = false)
    {
        using var duplicates = new DuplicateCheck();
        while (true)
        {
            using var reader = open();
            duplicates.CheckReopened(reader);
            opened?.Invoke(reader);
            opened = null;
            var devices = new AcceptedDevices(reader, source, duplicates, cancellation);
            var analysed = !countedOnly || duplicates.Rechecking;
            var result = analysed ? analysis(devices) : default;
            if (!analysed)
            {
                devices.FindRepeats();
            }
            cancellation.ThrowIfCancellationRequested(); // cancelled, whatever the analysis made of it
            if (!devices.Complete)
            {
                throw new InvalidOperationException(Messages.AnalysisStoppedEarly(source));
            }

            read?.Invoke(reader);
            read = null;
            switch (duplicates.AfterPass(reader, cancellation, always: countedOnly))
            {
                case PassEnd.ReadAgain:
                    continue;
                case PassEnd.CannotReadAgain:
                    throw cannotReadAgain(duplicates.Repeated);
            }

            return analysed ? (result!, devices) : throw new InvalidOperationException("A reading that only found the repeated devices ended the analysis.");
        }
    }
}
