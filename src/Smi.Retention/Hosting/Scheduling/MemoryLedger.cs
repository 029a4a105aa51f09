using NodaTime;

namespace Smi.Retention.Hosting.Scheduling;

/// <summary>The default ledger: the dates done since the process started.</summary>
internal sealed class MemoryLedger : IHousekeepingLedger
{
    private readonly HashSet<LocalDate> _done = [];

    public ValueTask<bool> IsDoneAsync(LocalDate asOf, CancellationToken cancellationToken)
    {
        lock (_done)
        {
            return ValueTask.FromResult(_done.Contains(asOf));
        }
    }

    public ValueTask MarkDoneAsync(LocalDate asOf, CancellationToken cancellationToken)
    {
        lock (_done)
        {
            _done.Add(asOf);
        }

        return ValueTask.CompletedTask;
    }
}
