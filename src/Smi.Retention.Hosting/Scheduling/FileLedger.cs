using System.Security.Cryptography;
using NodaTime;
using NodaTime.Text;

namespace Smi.Retention.Hosting.Scheduling;

/// <summary>
/// The default ledger of scheduled housekeeping: the dates done, one ISO date a line, in a file
/// (<see cref="HousekeepingScheduleOptions.LedgerFile"/>, in the host's content root by default),
/// so that a restart, or a crash between marking a date and handing its removals over, never hands
/// a date over twice. Each mark is written whole to a new file beside it, flushed to the disk, and
/// renamed over the ledger: a crash leaves the old ledger or the new one, never half of one. A
/// ledger that cannot be read stops scheduled runs (logged, event 20) rather than risk a date twice.
/// </summary>
internal sealed class FileLedger(string path) : IHousekeepingLedger
{
    /// <summary>Dates kept: the scheduler asks only about today and yesterday.</summary>
    private const int Kept = 400;

    private readonly Lock _gate = new();
    private SortedSet<LocalDate>? _done;

    /// <summary>The ledger's file.</summary>
    public string Path { get; } = path;

    /// <inheritdoc />
    /// <remarks>
    /// The first call also writes the ledger back as it is, so that a ledger that cannot be written
    /// (a link to a folder that is gone, no permission) fails here, before the run decides
    /// anything, rather than after it, when the date could not be marked done.
    /// </remarks>
    public ValueTask<bool> IsDoneAsync(LocalDate asOf, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_done is null)
            {
                Write(Done());
            }

            return ValueTask.FromResult(Done().Contains(asOf));
        }
    }

    /// <inheritdoc />
    public ValueTask MarkDoneAsync(LocalDate asOf, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var done = new SortedSet<LocalDate>(Done()) { asOf };
            while (done.Count > Kept)
            {
                done.Remove(done.Min);
            }

            Write(done);
            _done = done;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Where a path leads, its links followed one by one (a link whose file does not exist yet leads to that file).</summary>
    /// <exception cref="IOException">More than 40 links in a row (a loop).</exception>
    private static string Target(string path)
    {
        var current = System.IO.Path.GetFullPath(path);
        for (var hop = 0; hop < 40; hop++)
        {
            if (new FileInfo(current).LinkTarget is not { } next)
            {
                return current;
            }

            current = System.IO.Path.GetFullPath(next, System.IO.Path.GetDirectoryName(current)!);
        }

        throw new IOException(HostingMessages.LedgerLinkLoop(path));
    }

    /// <summary>The dates done, read from the file once (none when it does not exist yet).</summary>
    /// <exception cref="IOException">The ledger cannot be read, or a line of it is not a date.</exception>
    private SortedSet<LocalDate> Done()
    {
        if (_done is not null)
        {
            return _done;
        }

        var done = new SortedSet<LocalDate>();
        var target = Target(Path);
        if (File.Exists(target))
        {
            // The one safe open: a ledger swapped for a pipe is refused, never waited on.
            using var file = Files.SafeOpen.Read(target, out var facts);
            if (facts.Kind != Files.FileKind.Regular)
            {
                throw new IOException(HostingMessages.LedgerNotAFile(Path, facts.Described));
            }

            using var text = new StreamReader(file);
            var number = 0;
            while (text.ReadLine() is { } line)
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }

                var parsed = LocalDatePattern.Iso.Parse(line);
                if (!parsed.Success)
                {
                    throw new IOException(HostingMessages.LedgerUnreadable(Path, number));
                }

                done.Add(parsed.Value);
            }
        }

        return _done = done;
    }

    private void Write(SortedSet<LocalDate> done)
    {
        // A ledger that is a link (to a persistent volume, say) is written where it leads: the link stays.
        var target = Target(Path);
        var folder = System.IO.Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
        {
            // Never created here: a persistent volume that is not mounted must not become a folder of the container's own.
            throw new IOException(HostingMessages.LedgerFolderMissing(Path, folder));
        }

        var temporary = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(target) + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".partial");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var text = new StreamWriter(file))
            {
                foreach (var date in done)
                {
                    text.Write(LocalDatePattern.Iso.Format(date));
                    text.Write('\n');
                }

                text.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
