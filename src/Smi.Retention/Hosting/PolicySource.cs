using Microsoft.Extensions.Options;

namespace Smi.Retention.Hosting;

/// <summary>
/// The policy in force for <see cref="HousekeepingService"/>: compiled from the options, swapped
/// atomically when the options or any file the policy was read from change, kept when a reload
/// fails (logged with every problem), and never a reason for the process to end.
/// </summary>
internal sealed class PolicySource : IDisposable
{
    private readonly IOptionsMonitor<RetentionOptions> _options;
    private readonly HousekeepingTelemetry _telemetry;
    private readonly IDisposable? _optionsSubscription;
    private readonly Lock _reloading = new();
    private long _requested;
    private long _applied;
    private PolicySnapshot _current;
    private FileSystemWatcher[] _watchers = [];
    private HashSet<string> _watched = new(StringComparer.Ordinal);
    private Timer? _debounce;

    /// <summary>Compiles the configured policy and starts watching for changes.</summary>
    /// <exception cref="OptionsValidationException">The options or the policy are invalid.</exception>
    private readonly string? _contentRoot;

    public PolicySource(IOptionsMonitor<RetentionOptions> options, HousekeepingTelemetry telemetry, string? contentRoot)
    {
        _contentRoot = contentRoot;
        _options = options;
        _telemetry = telemetry;
        _current = PolicySnapshot.Compile(options.CurrentValue, contentRoot);
        telemetry.PolicyLoaded(_current.Policy.Name, _current.Policy.ContentHash, reload: false);
        Watch(_current.Policy.Timeline.Files);
        _optionsSubscription = options.OnChange(_ => Reload());
    }

    /// <summary>The policy in force now.</summary>
    public PolicySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Recompiles from the current options and files; false, logged, when the result is not a whole valid policy.</summary>
    public bool Reload()
    {
        // Read and compile outside the lock (a large policy takes a while): the lock only orders the
        // swaps, so that a reload started later is never replaced by one started earlier.
        var generation = Interlocked.Increment(ref _requested);
        var policy = Volatile.Read(ref _current).Options.Policy;
        PolicySnapshot next;
        RetentionOptions options;
        try
        {
            // Reading the options rebuilds and validates them after an edit: an invalid edit throws here.
            options = _options.CurrentValue;
            policy = options.Policy;
            next = PolicySnapshot.Compile(options, _contentRoot);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A reload runs on a timer or a change notification: nothing it meets may end the
            // process, and nothing but a whole, valid policy may replace the one in force.
            _telemetry.PolicyRejected(policy, Volatile.Read(ref _current).Policy.ContentHash, GuardedChangeTokenSource.Describe(e));
            return false;
        }

        lock (_reloading)
        {
            if (generation < _applied)
            {
                return true; // a later reload has already put a newer policy in force
            }

            _applied = generation;
            var previous = Interlocked.Exchange(ref _current, next);
            if (previous.Policy.ContentHash != next.Policy.ContentHash || previous.Options.Policy != options.Policy)
            {
                _telemetry.PolicyLoaded(next.Policy.Name, next.Policy.ContentHash, reload: true);
            }

            Watch(next.Policy.Timeline.Files);
            return true;
        }
    }

    private void Watch(IReadOnlyList<string> files)
    {
        var paths = files.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        if (paths.SetEquals(_watched))
        {
            return;
        }

        foreach (var old in _watchers)
        {
            old.Dispose();
        }

        _watchers = [];
        _watched = paths;
        _debounce ??= new Timer(_ => Reload());
        var watchers = new List<FileSystemWatcher>();
        foreach (var folder in paths.Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal))
        {
            var watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler changed = (_, e) => Changed(paths, e.FullPath, null);
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, e) => Changed(paths, e.FullPath, e.OldFullPath);
            watcher.EnableRaisingEvents = true;
            watchers.Add(watcher);
        }

        _watchers = [.. watchers];
    }

    /// <summary>An event in a watched folder: a reload, 200 ms after the last change to one of the policy's files.</summary>
    private void Changed(HashSet<string> paths, string path, string? oldPath)
    {
        if (paths.Contains(path) || (oldPath is not null && paths.Contains(oldPath)))
        {
            _debounce?.Change(TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _optionsSubscription?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debounce?.Dispose();
    }
}
