using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Smi.Retention.Hosting;

/// <summary>
/// Keeps a configuration file that breaks from changing anything, and makes it heard: when
/// <c>appsettings.json</c> (or any file provider's file) is emptied or left as invalid JSON and
/// reloaded, .NET's provider empties that file's settings and then throws on a background task
/// that no one observes: nothing is logged, and the next rebuild of the options (another file's
/// edit, a reload) would bind without the broken file's settings, a policy or a limit gone with
/// them. Here each file provider's load-failure handler (a chained configuration's too) first puts
/// back the last good values of the housekeeping section that the file gave, then logs the failure
/// (event 3, naming the file and why) and tells the services the file stands broken until it is
/// read whole again, and then leaves the failure to whatever handler the host set. A file that gave
/// none of the section changes nothing here, and is left to the host alone.
/// </summary>
internal static class ConfigurationLoadGuard
{
    private static readonly ConditionalWeakTable<FileConfigurationSource, object> Guarded = [];

    /// <summary>Guards every file provider of <paramref name="configuration"/> (once each, those of a configuration chained into it too) for the section <paramref name="section"/>, telling <paramref name="source"/>.</summary>
    public static void Install(IConfiguration configuration, string section, GuardedChangeTokenSource source)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return;
        }

        foreach (var chained in root.Providers.OfType<ChainedConfigurationProvider>())
        {
            Install(chained.Configuration, section, source); // (builder.Configuration.AddConfiguration(other): other's files)
        }

        foreach (var provider in root.Providers.OfType<FileConfigurationProvider>())
        {
            var file = provider.Source;
            if (!Guarded.TryAdd(file, source))
            {
                continue;
            }

            var lastGood = SectionOf(provider, section);
            var failedAndIgnored = false;
            ChangeToken.OnChange(provider.GetReloadToken, () =>
            {
                if (failedAndIgnored)
                {
                    failedAndIgnored = false; // the host's handler let a failed load go on: its values are the ones put back
                    return;
                }

                lastGood = SectionOf(provider, section);
                source.FileRead(file);
            });

            var previous = file.OnLoadException;
            file.OnLoadException = context =>
            {
                // A file that gave none of the section (the app's logging settings, say) changes nothing here: not said.
                if (lastGood.Count > 0)
                {
                    foreach (var (key, value) in lastGood)
                    {
                        context.Provider.Set(key, value);
                    }

                    var path = context.Provider.Source.Path ?? "a configuration file";
                    var reason = context.Exception.InnerException?.Message ?? context.Exception.Message;
                    source.FileBroken(file, HostingMessages.ConfigurationFileBroken(path, reason));
                }

                previous?.Invoke(context);
                failedAndIgnored = context.Ignore;
            };
        }
    }

    /// <summary>The values <paramref name="provider"/> gives under <paramref name="section"/>, by full key.</summary>
    private static Dictionary<string, string?> SectionOf(FileConfigurationProvider provider, string section)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Walk(section);
        return values;

        void Walk(string path)
        {
            if (provider.TryGet(path, out var value))
            {
                values[path] = value;
            }

            foreach (var child in provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                Walk(ConfigurationPath.Combine(path, child));
            }
        }
    }
}
