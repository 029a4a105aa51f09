using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
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
/// none of the section changes nothing here, and is left to the host alone. The providers are
/// looked at again whenever the configuration reloads, so that those made anew (a source removed
/// from a <c>ConfigurationManager</c> builds them all again) are guarded too: the last good values
/// are the file's, kept with its source, so a provider made anew whose first read fails still
/// gives them.
/// </summary>
internal static class ConfigurationLoadGuard
{
    private static readonly ConditionalWeakTable<IConfigurationRoot, object> Roots = [];
    private static readonly ConditionalWeakTable<FileConfigurationSource, Guarded> Sources = [];
    private static readonly ConditionalWeakTable<IConfigurationProvider, object> Providers = [];

    /// <summary>
    /// What is known of one file (its source, which every provider made from it shares): its last
    /// good values of the section, as the provider reading it last read them whole, and whether a
    /// failed load was let go on by the host's handler.
    /// </summary>
    private sealed class Guarded(Dictionary<string, string?> lastGood)
    {
        public Dictionary<string, string?> LastGood { get; set; } = lastGood;

        public bool FailedAndIgnored { get; set; }
    }

    /// <summary>
    /// Guards every file provider of <paramref name="configuration"/> (those of a configuration
    /// chained into it too, and those it makes anew later) for the section <paramref name="section"/>,
    /// telling <paramref name="source"/>. Called as the options are first made (the host's start).
    /// </summary>
    /// <exception cref="OptionsValidationException">A file that follows its edits cannot be read now (<see cref="RefuseFilesBrokenSinceRead"/>).</exception>
    public static void Install(IConfiguration configuration, string section, GuardedChangeTokenSource source) =>
        Install(configuration, section, source, atStart: true);

    private static void Install(IConfiguration configuration, string section, GuardedChangeTokenSource source, bool atStart)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return;
        }

        GuardProviders(root, section, source, atStart);
        if (Roots.TryAdd(root, source))
        {
            ChangeToken.OnChange(root.GetReloadToken, () => GuardProviders(root, section, source, atStart: false));
            if (atStart)
            {
                RefuseFilesBrokenSinceRead(root);
            }
        }
    }

    private static void GuardProviders(IConfigurationRoot root, string section, GuardedChangeTokenSource source, bool atStart)
    {
        foreach (var provider in root.Providers.ToArray())
        {
            if (provider is ChainedConfigurationProvider { Configuration: IConfigurationRoot chained })
            {
                Install(chained, section, source, atStart); // (builder.Configuration.AddConfiguration(other): other's files)
            }
            else if (provider is FileConfigurationProvider file)
            {
                Guard(file, section, source);
            }
        }
    }

    private static void Guard(FileConfigurationProvider provider, string section, GuardedChangeTokenSource source)
    {
        if (!Providers.TryAdd(provider, source))
        {
            return;
        }

        // A provider made anew keeps the file's last good values the one before it read (its own first read may have failed).
        var file = provider.Source;
        var guarded = Sources.GetValue(file, _ => Handle(file, source, new Guarded(SectionOf(provider, section))));
        guarded.FailedAndIgnored = false; // (a failed first read let go on was over before this provider was known)
        ChangeToken.OnChange(provider.GetReloadToken, () =>
        {
            if (guarded.FailedAndIgnored)
            {
                guarded.FailedAndIgnored = false; // the host's handler let a failed load go on: its values are the ones put back
                return;
            }

            guarded.LastGood = SectionOf(provider, section);
            source.FileRead(provider.Source);
        });
    }

    /// <summary>Sets the load-failure handler of <paramref name="file"/> (every provider made from it, a later one too, fails through it), once; gives <paramref name="guarded"/>.</summary>
    private static Guarded Handle(FileConfigurationSource file, GuardedChangeTokenSource source, Guarded guarded)
    {
        var previous = file.OnLoadException;
        file.OnLoadException = context =>
        {
            // A file that gave none of the section (the app's logging settings, say) changes nothing here: not said.
            if (guarded.LastGood.Count > 0)
            {
                foreach (var (key, value) in guarded.LastGood)
                {
                    context.Provider.Set(key, value);
                }

                var path = context.Provider.Source.Path ?? "a configuration file";
                var reason = context.Exception.InnerException?.Message ?? context.Exception.Message;
                source.FileBroken(file, HostingMessages.ConfigurationFileBroken(path, reason));
            }

            previous?.Invoke(context);
            guarded.FailedAndIgnored = context.Ignore;
        };
        return guarded;
    }

    /// <summary>
    /// Refuses the start when a file of <paramref name="root"/> that follows its edits cannot be read
    /// now: broken after the configuration was built (between building the host and starting it),
    /// its reload has emptied its settings, or will, before this guard was there to keep them, and
    /// the options would be made without them (an override's policy or limit given way to the base
    /// file's). .NET refuses to build on a file broken before; this refuses to start on one broken
    /// since, naming it. A file is looked at again a few times over a second before it is taken for
    /// broken, so that an editor's save (emptied, then written) does not stop the start; a file that
    /// reads whole but gives other values than its provider holds (a reload emptied them, or is on its
    /// way) is loaded into its provider at once, so the options are first made from it as it is.
    /// </summary>
    private static void RefuseFilesBrokenSinceRead(IConfigurationRoot root)
    {
        var problems = new List<string>();
        foreach (var provider in root.Providers.OfType<FileConfigurationProvider>())
        {
            if (!provider.Source.ReloadOnChange || provider.Source.Path is not { } path)
            {
                continue;
            }

            var (reason, values) = ReadNow(provider.Source);
            if (reason is not null)
            {
                problems.Add(HostingMessages.ConfigurationFileBrokenAtStart(path, reason));
            }
            else if (values is not null && !Same(values, SectionOf(provider, null)))
            {
                try
                {
                    provider.Load(); // (its guard's reload handler notes the values as the file's last good)
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    problems.Add(HostingMessages.ConfigurationFileBrokenAtStart(path, e.InnerException?.Message ?? e.Message)); // broken again since the look
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RetentionOptions), problems);
        }
    }

    /// <summary>
    /// The file of <paramref name="file"/> read now, as its provider would, after up to four looks
    /// 250 ms apart: why it cannot be read, or every value it gives (none when it is not there: a
    /// file gone is an edit, as .NET takes it).
    /// </summary>
    private static (string? Reason, Dictionary<string, string?>? Values) ReadNow(FileConfigurationSource file)
    {
        for (var look = 1; ; look++)
        {
            var read = TryRead(file);
            if (read.Reason is null || look == 4)
            {
                return read;
            }

            Thread.Sleep(250);
        }
    }

    /// <summary>Reads the file into a provider of its own, thrown away after; why it failed, or the values it gives.</summary>
    private static (string? Reason, Dictionary<string, string?>? Values) TryRead(FileConfigurationSource file)
    {
        try
        {
            var info = file.FileProvider?.GetFileInfo(file.Path ?? "");
            if (info is null || !info.Exists || file.Build(new ConfigurationBuilder()) is not FileConfigurationProvider provider)
            {
                return (null, null);
            }

            using (provider)
            {
                using (var stream = info.CreateReadStream())
                {
                    provider.Load(stream);
                }

                return (null, SectionOf(provider, null));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (e.InnerException?.Message ?? e.Message, null);
        }
    }

    private static bool Same(Dictionary<string, string?> a, Dictionary<string, string?> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && string.Equals(value, pair.Value, StringComparison.Ordinal));

    /// <summary>The values <paramref name="provider"/> gives under <paramref name="section"/> (every value, for null), by full key.</summary>
    private static Dictionary<string, string?> SectionOf(FileConfigurationProvider provider, string? section)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Walk(section);
        return values;

        void Walk(string? path)
        {
            if (path is not null && provider.TryGet(path, out var value))
            {
                values[path] = value;
            }

            foreach (var child in provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                Walk(path is null ? child : ConfigurationPath.Combine(path, child));
            }
        }
    }
}
