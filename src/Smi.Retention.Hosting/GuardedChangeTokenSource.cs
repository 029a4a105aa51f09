using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Smi.Retention.Hosting;

/// <summary>
/// The configuration change notifications of <see cref="RetentionOptions"/>, made safe to receive:
/// the options monitor rebuilds and validates the options inside the notification, and an invalid
/// edit throws there, on a file-watcher or timer thread, which would end the process. Here the
/// throw is caught and logged with its problems; the monitor keeps the failure (its exception) for
/// the edit, <see cref="HousekeepingService"/> keeps the last good policy, and its reloads build the
/// options afresh until they are valid (a policy file fixed since, say). Each rejection (and each
/// configuration file found broken, <see cref="ConfigurationLoadGuard"/>) is told to the services
/// listening (<see cref="Rejected"/>), which say when the configuration is whole again (no file of
/// it broken, the options built), even when that puts back the policy and settings in force.
/// </summary>
internal sealed partial class GuardedChangeTokenSource(IOptionsChangeTokenSource<RetentionOptions> inner, ILogger logger)
    : IOptionsChangeTokenSource<RetentionOptions>, IDisposable
{
    public string? Name => inner.Name;

    private readonly List<Action> _untie = [];
    private volatile bool _disposed;

    /// <summary>Whether its host's services were disposed: the configuration's guard no longer tells it anything.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>
    /// Notes how to let go of this source where the configuration's guard holds it (a shared
    /// configuration outlives its hosts): done when it is disposed, at once if it is already.
    /// </summary>
    public void Tie(Action untie)
    {
        lock (_untie)
        {
            if (!_disposed)
            {
                _untie.Add(untie);
                return;
            }
        }

        untie();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Action[] untie;
        lock (_untie)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            untie = [.. _untie];
            _untie.Clear();
        }

        foreach (var action in untie)
        {
            action();
        }
    }

    private readonly HashSet<Microsoft.Extensions.Configuration.FileConfigurationSource> _broken = [];

    private int _everRejected;

    /// <summary>Told of each rejection of the configuration, after it is logged.</summary>
    public event Action<GuardedChangeTokenSource>? Rejected;

    /// <summary>Told when a configuration file is read whole (one broken before among them).</summary>
    public event Action? FileReadWhole;

    /// <summary>Whether the configuration was ever rejected (for a service made after it was).</summary>
    public bool EverRejected => Volatile.Read(ref _everRejected) == 1;

    /// <summary>Whether a configuration file stands broken (found so, and not read whole since).</summary>
    public bool AnyFileBroken
    {
        get
        {
            lock (_broken)
            {
                return _broken.Count > 0;
            }
        }
    }

    /// <summary>A configuration file could not be read when it changed (its last good values were put back): logged, and broken until it is read whole.</summary>
    public void FileBroken(Microsoft.Extensions.Configuration.FileConfigurationSource file, string problems)
    {
        lock (_broken)
        {
            _broken.Add(file);
        }

        Reject(problems);
    }

    /// <summary>A configuration file was read whole.</summary>
    public void FileRead(Microsoft.Extensions.Configuration.FileConfigurationSource file)
    {
        bool wasBroken;
        lock (_broken)
        {
            wasBroken = _broken.Remove(file);
        }

        if (wasBroken)
        {
            FileReadWhole?.Invoke();
        }
    }

    public IChangeToken GetChangeToken() => new GuardedToken(inner.GetChangeToken(), this);

    /// <summary>Logs a rejection of the configuration (event 3) with its problems, and tells <see cref="Rejected"/>.</summary>
    public void Reject(string problems)
    {
        LogConfigurationRejected(logger, problems);
        Volatile.Write(ref _everRejected, 1);
        Rejected?.Invoke(this);
    }

    /// <summary>The problems of a failed options rebuild, one sentence each.</summary>
    internal static string Describe(Exception e) =>
        e is OptionsValidationException validation ? string.Join(" ", validation.Failures) : e.Message;

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "The edited housekeeping configuration was rejected; the last good policy and settings stay in force and nothing is removed on the edit's account. {Problems}")]
    private static partial void LogConfigurationRejected(ILogger logger, string problems);

    private sealed class GuardedToken(IChangeToken inner, GuardedChangeTokenSource source) : IChangeToken
    {
        public bool HasChanged => inner.HasChanged;

        public bool ActiveChangeCallbacks => inner.ActiveChangeCallbacks;

        public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) =>
            inner.RegisterChangeCallback(
                s =>
                {
                    try
                    {
                        callback(s);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // Whatever an edit makes the rebuild throw, the process goes on with the last good options.
                        source.Reject(Describe(e));
                    }
                },
                state);
    }
}
