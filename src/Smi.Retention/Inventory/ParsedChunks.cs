using System.Collections.Concurrent;

namespace Smi.Retention.Inventory;

/// <summary>
/// A pass over an inventory on every core: one thread reads blocks of whole lines (finding only
/// where they end), a parsing thread per core turns each block into rows and does the caller's
/// per-chunk work on them (deciding, formatting), and the caller takes the chunks back in input
/// order. At most a few chunks are in flight, and they are recycled, so memory does not grow with
/// the input. A read error is rethrown to the caller, and cancellation ends the wait even while
/// the reading thread is blocked on a pipe.
/// </summary>
internal static class ParsedChunks
{
    /// <summary>Reads the inventory in chunks of rows, in input order; <paramref name="work"/> runs on a parsing thread once a chunk is parsed.</summary>
    /// <param name="reader">The inventory, past its header; its remaining lines are read here.</param>
    /// <param name="source">The inventory's name in messages.</param>
    /// <param name="create">Makes a new chunk (chunks are reused).</param>
    /// <param name="work">The work on a parsed chunk that needs no order, or null.</param>
    /// <param name="cancellation">Ends the pass.</param>
    public static IEnumerable<TChunk> Read<TChunk>(InventoryReader reader, string source, Func<TChunk> create, Action<TChunk>? work, CancellationToken cancellation)
        where TChunk : ParsedChunk
    {
        var parsers = Math.Clamp(Environment.ProcessorCount, 1, 16);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var ordered = new BlockingCollection<TChunk>(boundedCapacity: parsers * 2 + 1);
        using var unparsed = new BlockingCollection<TChunk>();
        var free = new ConcurrentBag<TChunk>();
        var blocks = reader.Blocks();

        var reading = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    while (true)
                    {
                        var chunk = free.TryTake(out var reused) ? reused : create();
                        chunk.Reset();
                        if (!blocks.Next(chunk.Block))
                        {
                            break;
                        }

                        // The bound on chunks in order is the bound on chunks in flight.
                        ordered.Add(chunk, stop.Token);
                        unparsed.Add(chunk, stop.Token);
                    }
                }
                finally
                {
                    ordered.CompleteAdding();
                    unparsed.CompleteAdding();
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var parsing = new Task[parsers];
        for (var i = 0; i < parsers; i++)
        {
            parsing[i] = Task.Factory.StartNew(
                () =>
                {
                    var parser = reader.NewParser();
                    foreach (var chunk in unparsed.GetConsumingEnumerable(stop.Token))
                    {
                        chunk.Parse(parser, work);
                    }
                },
                stop.Token,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        try
        {
            // Ctrl-C ends the wait for the next chunk, even while the reading thread is blocked on a pipe.
            foreach (var chunk in ordered.GetConsumingEnumerable(cancellation))
            {
                chunk.WaitParsed(cancellation);
                yield return chunk;
                free.Add(chunk);
            }

            cancellation.ThrowIfCancellationRequested();
            try
            {
                reading.GetAwaiter().GetResult(); // rethrows a read error
            }
            catch (IOException e) when (e is not CorruptInventoryException)
            {
                // A corrupt input stays what it is, as the reader throws it row by row: bad input, which a host tells from a failed read by type.
                throw new InventoryFormatException(Messages.Unreadable(source, e.Message), e);
            }

            reader.CheckUnchanged();
        }
        finally
        {
            stop.Cancel();
            try
            {
                // A reading thread blocked on a pipe is left to end with the process.
                Task.WaitAll([reading, .. parsing], TimeSpan.FromMilliseconds(250));
            }
            catch (AggregateException)
            {
                // The consumer stopped early (or was interrupted); the threads saw the cancellation or the closed input.
            }
        }
    }
}

/// <summary>A block of an inventory's lines and the rows parsed from it; a chunk is reused once the caller is done with it.</summary>
internal class ParsedChunk
{
    private InventoryRow[] _rows = new InventoryRow[1024];
    private TaskCompletionSource _parsed = new();

    /// <summary>The lines, as read.</summary>
    public LineBlock Block { get; } = new();

    /// <summary>The rows, one a line, in input order; the first <see cref="Count"/> are this chunk's.</summary>
    public InventoryRow[] Rows => _rows;

    /// <summary>How many rows the chunk holds.</summary>
    public int Count { get; protected set; }

    /// <summary>Bytes of the input read up to the end of the chunk, for progress.</summary>
    public long Position => Block.Position;

    /// <summary>
    /// The 0-based index among the input's rows of the chunk's first row: its line less the
    /// header's for a parsed chunk (one row a line), the records before it for records handed over.
    /// </summary>
    public long FirstRow { get; protected set; }

    /// <summary>Readies the chunk to be filled again.</summary>
    public void Reset()
    {
        Count = 0;
        FirstRow = 0;
        _parsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Parses the block and does the caller's work on it; a failure is kept for the caller, who waits for the chunk.</summary>
    public void Parse<TChunk>(RowParser parser, Action<TChunk>? work)
        where TChunk : ParsedChunk
    {
        try
        {
            Count = Block.Parse(parser, ref _rows);
            FirstRow = Block.FirstLine - 2;
            work?.Invoke((TChunk)this);
            _parsed.SetResult();
        }
#pragma warning disable CA1031 // Any failure here (a bug) is the caller's to report: it is rethrown by WaitParsed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _parsed.SetException(e);
        }
    }

    /// <summary>Waits until the chunk is parsed and worked on, rethrowing a failure of either.</summary>
    public void WaitParsed(CancellationToken cancellation)
    {
        try
        {
            _parsed.Task.Wait(cancellation);
        }
        catch (AggregateException)
        {
            // Rethrown below as itself.
        }

        _parsed.Task.GetAwaiter().GetResult();
    }
}
