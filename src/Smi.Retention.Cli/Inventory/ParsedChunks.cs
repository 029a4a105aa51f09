using Smi.Retention.Inventory;

namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// The reading stage of a pass over an inventory: a second thread reads and parses rows into
/// chunks while the caller decides and writes the previous ones. Chunks keep input order, are
/// bounded (three in flight) and are recycled; a read error is rethrown to the caller, and
/// cancellation ends the wait even while the reading thread is blocked on a pipe.
/// </summary>
internal static class ParsedChunks
{
    /// <summary>Rows per chunk.</summary>
    public const int Size = 1 << 16;

    /// <summary>Parses the inventory on a second thread, handing over chunks of rows in input order.</summary>
    public static IEnumerable<ParsedChunk> Read(InventoryReader reader, string source, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var full = new System.Collections.Concurrent.BlockingCollection<ParsedChunk>(boundedCapacity: 3);
        var free = new System.Collections.Concurrent.ConcurrentBag<ParsedChunk>();
        var parser = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    var chunk = ParsedChunk.Rent(free);
                    while (reader.Read(out var row))
                    {
                        chunk.Rows[chunk.Count++] = row;
                        if (chunk.Count == Size)
                        {
                            chunk.Position = reader.Position;
                            full.Add(chunk, stop.Token);
                            chunk = ParsedChunk.Rent(free);
                        }
                    }

                    chunk.Position = reader.Position;
                    full.Add(chunk, stop.Token);
                }
                finally
                {
                    full.CompleteAdding();
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            // Ctrl-C ends the wait for the next chunk, even while the reading thread is blocked on a pipe.
            foreach (var chunk in full.GetConsumingEnumerable(cancellation))
            {
                yield return chunk;
            }

            cancellation.ThrowIfCancellationRequested();
            try
            {
                parser.GetAwaiter().GetResult(); // rethrows a read error
            }
            catch (IOException e)
            {
                throw new UsageException(Messages.Unreadable(source, e.Message));
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                // A reading thread blocked on a pipe is left to end with the process.
                parser.Wait(TimeSpan.FromSeconds(2), CancellationToken.None);
            }
            catch (AggregateException)
            {
                // The consumer stopped early (or was interrupted); the parser saw the cancellation or the closed input.
            }
        }
    }
}

/// <summary>Rows parsed by the reading thread; returned to a free list when decided.</summary>
internal sealed class ParsedChunk
{
    private System.Collections.Concurrent.ConcurrentBag<ParsedChunk>? _free;

    public InventoryRow[] Rows { get; } = new InventoryRow[ParsedChunks.Size];

    public int Count { get; set; }

    /// <summary>Bytes of the file read when the chunk was full, for progress and sizing.</summary>
    public long Position { get; set; }

    public static ParsedChunk Rent(System.Collections.Concurrent.ConcurrentBag<ParsedChunk> free)
    {
        var chunk = free.TryTake(out var reused) ? reused : new ParsedChunk();
        chunk._free = free;
        chunk.Count = 0;
        return chunk;
    }

    public void Recycle()
    {
        Array.Clear(Rows, 0, Count); // drop references to strings of rejected rows
        _free?.Add(this);
    }
}
