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
    public ValueTask<bool> IsDoneAsync(LocalDate asOf, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
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

    /// <summary>The dates done, read from the file once (none when it does not exist yet).</summary>
    /// <exception cref="IOException">The ledger cannot be read, or a line of it is not a date.</exception>
    private SortedSet<LocalDate> Done()
    {
        if (_done is not null)
        {
            return _done;
        }

        var done = new SortedSet<LocalDate>();
        if (File.Exists(Path))
        {
            var number = 0;
            foreach (var line in File.ReadLines(Path))
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }

                var parsed = LocalDatePattern.Iso.Parse(line);
                if (!parsed.Success)
                {
                    throw new IOException(Messages.LedgerUnreadable(Path, number));
                }

                done.Add(parsed.Value);
            }
        }

        return _done = done;
    }

    private void Write(SortedSet<LocalDate> done)
    {
        // A ledger that is a link (to a persistent volume, say) is written where it leads: the link stays.
        var target = new FileInfo(Path).LinkTarget is null ? System.IO.Path.GetFullPath(Path) : new FileInfo(Path).ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        var folder = System.IO.Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
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
