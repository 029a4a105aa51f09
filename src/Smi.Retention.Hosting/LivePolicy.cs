using Microsoft.Extensions.Options;
using Smi.Retention.Policies;

namespace Smi.Retention.Hosting;

/// <summary>
/// The policy in force for <see cref="HousekeepingService"/>: compiled from the options, swapped
/// atomically when the options or any file the policy was read from change, kept when a reload
/// fails (logged with every problem), and never a reason for the process to end. Files are watched
/// two ways: their folders' change notifications (at once), and a check every second of what each
/// path leads to now, links followed (identity, birth time, size, modification and change times:
/// an edit that keeps the size and puts the modification time back still changes the last), which sees
/// what notifications miss: a link whose target is edited in another folder, the Kubernetes
/// ConfigMap swap of <c>..data</c>, a folder deleted and created again, a file replaced by rename.
/// While the last reload was rejected (or the options were, by an edit of the configuration), the
/// check looks at every path the rejected attempt looked at too, and tries again when one changes:
/// what fixes it may be a file nothing watched (one a rejected timeline or setting named that was
/// not there yet). A rejection found by the service's own reloads is logged again only when its
/// problems change (a call of <see cref="Reload()"/> always says it).
/// </summary>
internal sealed class LivePolicy : IDisposable
{
    private readonly IOptionsMonitor<RetentionOptions> _options;
    private readonly HousekeepingTelemetry _telemetry;
    private readonly IDisposable? _optionsSubscription;
    private readonly Lock _reloading = new();
    private long _requested;
    private long _applied;
    private PolicySnapshot _current;
    private IReadOnlyList<string> _files; // every path the load in force looked at
    private FileSystemWatcher[] _watchers = [];
    private HashSet<string> _watched = new(StringComparer.Ordinal);
    private Timer? _debounce;
    private readonly Timer _poll;
    private string _seen;
    private readonly string? _contentRoot;
    private readonly IOptionsMonitorCache<RetentionOptions>? _optionsCache;
    private Rejection? _rejection;
    private Exception? _optionsFailureMet; // the options' failure a reload met last (the monitor keeps each rebuild's)
    private GuardedChangeTokenSource? _configurationRejected; // what said the configuration was rejected, until it is whole again
    private bool _disposed;

    /// <summary>
    /// The state while the last reload or the options stand rejected: the problems last logged (null
    /// when none was, as when the configuration's own rejection found it), the paths the rejected
    /// attempt looked at with what they were then (null: try again at the next check), and the
    /// options it read (null when they could not be built): other options held by the monitor are
    /// another attempt's to make.
    /// </summary>
    private sealed record Rejection(string? Logged, ExaminedPaths? Looked, RetentionOptions? Options);

    /// <summary>Compiles the configured policy and starts watching for changes.</summary>
    /// <exception cref="OptionsValidationException">The options or the policy are invalid.</exception>
    public LivePolicy(IOptionsMonitor<RetentionOptions> options, HousekeepingTelemetry telemetry, string? contentRoot, IOptionsMonitorCache<RetentionOptions>? optionsCache = null)
    {
        _contentRoot = contentRoot;
        _optionsCache = optionsCache;
        _options = options;
        _telemetry = telemetry;
        var looked = new ExaminedPaths();
        _current = looked.During(() => PolicySnapshot.Compile(options.CurrentValue, contentRoot));
        _files = looked.Paths;
        _seen = looked.Seen;
        telemetry.PolicyLoaded(_current.Policy, reload: false);
        Watch(_files);
        _optionsSubscription = options.OnChange(_ => Reload(quiet: true));
        _poll = new Timer(_ => CheckFiles(), null, PollInterval, PollInterval);
    }

    /// <summary>
    /// Told that an edit of the configuration was rejected (event 3, by the configuration's guard):
    /// once the configuration is whole again (no file of it broken, the options built) and in force,
    /// that is said (event 5), even when it puts back the policy and settings that were, so that an
    /// alert on event 3 can clear; nothing is said while a file of it stays broken, whatever else
    /// is reloaded meanwhile.
    /// </summary>
    /// <param name="source">The configuration's guard, which knows whether a file stands broken.</param>
    public void ConfigurationRejected(GuardedChangeTokenSource source)
    {
        lock (_reloading)
        {
            Volatile.Write(ref _configurationRejected, source);
        }
    }

    /// <summary>Told that a configuration file broken before was read whole: says the configuration whole again, if it is (the reload of what it gives may have ended before this was told).</summary>
    public void ConfigurationFileReadWhole() => SayConfigurationWhole();

    /// <summary>Says the configuration whole again (event 5), if it was rejected and is now: no file of it broken, the options built, and what they give in force (no reload under way or rejected).</summary>
    private void SayConfigurationWhole()
    {
        if (Volatile.Read(ref _configurationRejected) is null)
        {
            return; // (the check every second: nothing to say)
        }

        lock (_reloading)
        {
            if (_configurationRejected is not { } source || _disposed || source.AnyFileBroken || Held(out _) is not { } cached
                || Volatile.Read(ref _requested) != _applied || Volatile.Read(ref _rejection) is not null
                || !PolicySnapshot.Same(cached, Volatile.Read(ref _current).Options) || !FreshOptionsInForce())
            {
                return; // (still rejected; or what it gives is not in force yet: a reload has not ended, or was rejected)
            }

            Volatile.Write(ref _configurationRejected, null);
            _telemetry.ConfigurationWhole(Volatile.Read(ref _current).Policy.Name, Volatile.Read(ref _current).Policy.ContentHash);
        }
    }

    /// <summary>
    /// Whether the options built afresh now are those in force: the monitor may still hold those it
    /// built before a file was read again (its notification a moment behind), and what the file says
    /// now may itself be rejected. Built afresh once each time the configuration looks whole again.
    /// </summary>
    private bool FreshOptionsInForce()
    {
        _optionsCache?.TryRemove(Options.DefaultName);
        try
        {
            return PolicySnapshot.Same(_options.CurrentValue, Volatile.Read(ref _current).Options);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false; // rejected (the monitor keeps it, and the check notices it)
        }
    }

    /// <summary>How often the files are checked, whatever the notifications say.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Reloads when any file of the policy in force leads somewhere else or changed since the last
    /// load or check; while a reload or the options stand rejected, when any path the rejected
    /// attempt looked at did (on the poll timer; called directly by tests). Never throws.
    /// </summary>
    internal void CheckFiles()
    {
        try
        {
            if (ExaminedPaths.Now(Volatile.Read(ref _files)) != Volatile.Read(ref _seen))
            {
                Reload(quiet: true);
                return;
            }

            if (Volatile.Read(ref _requested) == Volatile.Read(ref _applied) && Held(out _) is { } cached
                && !PolicySnapshot.Same(cached, Volatile.Read(ref _current).Options)
                && (Volatile.Read(ref _rejection) is not { Options: { } rejected } || !PolicySnapshot.Same(cached, rejected)))
            {
                // Options the monitor built that no reload put in force or rejected: its notification did
                // not reach this service (an options listener registered before it threw, say).
                Reload(quiet: true);
                return;
            }

            SayConfigurationWhole();
            if (Held(out var failure) is null && failure is not null && !ReferenceEquals(failure, Volatile.Read(ref _optionsFailureMet)))
            {
                // An edit of the configuration rejected (logged where it was) that no reload has met:
                // tried at the next check (whatever stood rejected before), and then as its paths change.
                lock (_reloading)
                {
                    Volatile.Write(ref _optionsFailureMet, failure);
                    var last = Volatile.Read(ref _rejection);
                    Volatile.Write(ref _rejection, new Rejection(last?.Logged, null, null));
                }
            }

            if (Volatile.Read(ref _rejection) is { } rejection && (rejection.Looked is null || rejection.Looked.Changed()))
            {
                Reload(quiet: true);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer thread: nothing may end the process. Reload logs its own failures.
            _telemetry.PolicyRejected(Volatile.Read(ref _current).Options.Policy, Volatile.Read(ref _current).Policy.ContentHash, e.Message);
        }
    }

    /// <summary>The policy in force now.</summary>
    public PolicySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Whether the last reload or an edit of the configuration stands rejected (the last good policy and settings in force meanwhile).</summary>
    public bool StandsRejected => Volatile.Read(ref _rejection) is not null || Volatile.Read(ref _configurationRejected) is not null;

    /// <summary>The options the monitor holds now, or null with the failure it holds instead (an edit of the configuration rejected); cheap.</summary>
    private RetentionOptions? Held(out Exception? failure)
    {
        try
        {
            failure = null;
            return _options.CurrentValue;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e;
            return null;
        }
    }

    /// <summary>
    /// The options now. The monitor keeps a failed rebuild with its exception until the
    /// configuration changes again, though what failed may have been a policy file fixed since:
    /// a failure is built afresh once, so that only what is wrong now is said.
    /// </summary>
    private RetentionOptions CurrentOptions()
    {
        try
        {
            return _options.CurrentValue;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Volatile.Write(ref _optionsFailureMet, e);
            if (_optionsCache is null)
            {
                throw;
            }
        }

        _optionsCache.TryRemove(Options.DefaultName);
        try
        {
            return _options.CurrentValue;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Volatile.Write(ref _optionsFailureMet, e);
            throw;
        }
    }

    /// <summary>Recompiles from the current options and files; false, logged, when the result is not a whole valid policy.</summary>
    public bool Reload() => Reload(quiet: false);

    /// <summary>As <see cref="Reload()"/>; when <paramref name="quiet"/> (the service's own reloads), a rejection is logged only when its problems are not the last ones logged.</summary>
    private bool Reload(bool quiet)
    {
        // Read and compile outside the lock (a large policy takes a while): the lock only orders the
        // swaps, so that a reload started later is never replaced by one started earlier.
        var generation = Interlocked.Increment(ref _requested);
        var policy = Volatile.Read(ref _current).Options.Policy;

        // What the files in force were before this reads anything: a change after this is seen by
        // the next check, whatever this finds. What it looks at is noted as it looks (ExaminedPaths).
        var files = Volatile.Read(ref _files);
        var before = ExaminedPaths.Now(files);
        var looked = new ExaminedPaths();
        PolicySnapshot next;
        RetentionOptions? options = null;
        try
        {
            // Reading the options rebuilds and validates them after an edit: an invalid edit throws here.
            next = looked.During(() =>
            {
                options = CurrentOptions();
                return PolicySnapshot.Compile(options, _contentRoot);
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A reload runs on a timer or a change notification: nothing it meets may end the
            // process, and nothing but a whole, valid policy may replace the one in force.
            var problems = GuardedChangeTokenSource.Describe(e);
            policy = options?.Policy ?? policy;
            lock (_reloading)
            {
                if (generation < _applied)
                {
                    return false; // a later reload has ended since: this rejection is of what was, not what is
                }

                _applied = generation;

                if (ReferenceEquals(files, Volatile.Read(ref _files)))
                {
                    Volatile.Write(ref _seen, before); // (not when a reload started earlier put others in force since)
                }

                var last = Volatile.Read(ref _rejection);
                var said = !quiet || problems != last?.Logged;
                if (said)
                {
                    _telemetry.PolicyRejected(policy, Volatile.Read(ref _current).Policy.ContentHash, problems);
                }

                // While it stands, the next check looks at what this attempt looked at (a file not there yet among them).
                Volatile.Write(ref _rejection, new Rejection(said ? problems : last?.Logged, looked, options));
            }

            return false;
        }

        lock (_reloading)
        {
            if (generation < _applied)
            {
                return Volatile.Read(ref _rejection) is null; // a later reload has ended since (what it found stands, not this)
            }

            _applied = generation;
            var wasRejected = Volatile.Read(ref _rejection) is not null;

            Volatile.Write(ref _rejection, null);
            var previous = Interlocked.Exchange(ref _current, next);
            Volatile.Write(ref _files, looked.Paths);
            Volatile.Write(ref _seen, looked.Seen);
            if (previous.Policy.ContentHash != next.Policy.ContentHash || previous.Options.Policy != next.Options.Policy || wasRejected)
            {
                // (after a rejection too, when the fix puts back what was in force: an alert on rejections is cleared by this)
                _telemetry.PolicyLoaded(next.Policy, reload: true);
            }

            if (!PolicySnapshot.SameSettings(previous.Options, next.Options))
            {
                _telemetry.SettingsInForce(next.Options); // a limit, the boundary, the zone or the alert changed on its own
            }

            Watch(_files);
        }

        SayConfigurationWhole();
        return true;
    }

    private void Watch(IReadOnlyList<string> files)
    {
        var paths = files.Select(WatchedPath).ToHashSet(StringComparer.Ordinal);
        if (_disposed || paths.SetEquals(_watched))
        {
            return; // (a reload that ends after the service was disposed starts no watcher)
        }

        foreach (var old in _watchers)
        {
            old.Dispose();
        }

        _watchers = [];
        _watched = paths; // before the watchers start: one refused later empties it
        _debounce ??= new Timer(_ => Reload(quiet: true));
        var watchers = new List<FileSystemWatcher>();
        var every = true;
        foreach (var folder in paths.Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal))
        {
            if (TryWatch(folder, paths) is { } watcher)
            {
                watchers.Add(watcher);
            }
            else
            {
                every = false;
            }
        }

        _watchers = [.. watchers];
        if (!every)
        {
            Volatile.Write(ref _watched, new HashSet<string>(StringComparer.Ordinal)); // a folder not watched is tried again at the next reload
        }
    }

    /// <summary>
    /// The operating system's notifications of changes in <paramref name="folder"/>; null, logged, when
    /// it will not give them (the folder gone since its file was read, the user's inotify limit
    /// reached): the check every second finds the changes instead, and nothing here may stop the
    /// service starting or end it on a reload's timer.
    /// </summary>
    private FileSystemWatcher? TryWatch(string folder, HashSet<string> paths)
    {
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler changed = (_, e) => Changed(paths, e.FullPath, null);
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, e) => Changed(paths, e.FullPath, e.OldFullPath);

            // What the operating system refuses once the watcher has started (the user's limit of
            // inotify watches, a folder that may not be read) comes here, not as an exception.
            var said = 0;
            watcher.Error += (_, e) =>
            {
                if (Interlocked.Exchange(ref said, 1) == 0)
                {
                    _telemetry.FolderNotWatched(folder, e.GetException().Message);
                    Volatile.Write(ref _watched, new HashSet<string>(StringComparer.Ordinal)); // tried again at the next reload
                }
            };
            watcher.EnableRaisingEvents = true;
            if (Volatile.Read(ref said) == 1)
            {
                watcher.Dispose(); // refused as it started (said above)
                return null;
            }

            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            watcher?.Dispose();
            _telemetry.FolderNotWatched(folder, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Where the kernel finds a file (lk/../t.json is beside lk's target); its text's full path when
    /// that cannot be told now (its folder gone since it was read): a reload, on a timer, must not
    /// throw, and the next check finds the change and reloads (or refuses and logs).
    /// </summary>
    private static string WatchedPath(string file)
    {
        try
        {
            return Files.RealPaths.Full(file);
        }
        catch (IOException)
        {
            return Path.GetFullPath(file);
        }
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
        lock (_reloading)
        {
            _disposed = true;
        }

        _poll.Dispose();
        _optionsSubscription?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debounce?.Dispose();
    }
}
