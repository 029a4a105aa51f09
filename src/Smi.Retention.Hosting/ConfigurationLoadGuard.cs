using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace Smi.Retention.Hosting;

/// <summary>
/// Makes a configuration file that breaks heard: when <c>appsettings.json</c> (or any file
/// provider's file) is emptied or left as invalid JSON and reloaded, .NET's provider throws on a
/// background task that no one observes, and nothing is logged, while the options in force stay.
/// This adds to each file provider's load-failure handler a log entry (event 3, naming the file and
/// why) and then leaves the failure to whatever handler the host set; the options, and so the
/// policy, stay the last good ones.
/// </summary>
internal static class ConfigurationLoadGuard
{
    private static readonly ConditionalWeakTable<FileConfigurationSource, object> Guarded = [];

    /// <summary>Adds the log entry (through <paramref name="source"/>, which also tells the services) to every file provider of <paramref name="configuration"/> (once each).</summary>
    public static void Install(IConfiguration configuration, GuardedChangeTokenSource source)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return;
        }

        foreach (var provider in root.Providers.OfType<FileConfigurationProvider>())
        {
            var file = provider.Source;
            if (!Guarded.TryAdd(file, source))
            {
                continue;
            }

            var previous = file.OnLoadException;
            file.OnLoadException = context =>
            {
                var path = context.Provider.Source.Path ?? "a configuration file";
                var reason = context.Exception.InnerException?.Message ?? context.Exception.Message;
                source.Reject(HostingMessages.ConfigurationFileBroken(path, reason));
                previous?.Invoke(context);
            };
        }
    }
}
