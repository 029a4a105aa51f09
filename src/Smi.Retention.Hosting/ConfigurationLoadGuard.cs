using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Smi.Retention.Files;

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
    /// telling <paramref name="source"/>. Called as the options are first made (the host's start),
    /// and each time they are (a start tried again, another host on the same configuration): the
    /// files are checked first, every time, and nothing is guarded when one is refused.
    /// </summary>
    /// <exception cref="OptionsValidationException">A file that follows its edits cannot be read now (<see cref="RefuseFilesBrokenSinceRead"/>).</exception>
    public static void Install(IConfiguration configuration, string section, GuardedChangeTokenSource source)
    {
        if (configuration is not IConfigurationRoot root)
        {
            return;
        }

        RefuseFilesBrokenSinceRead(root, section);
        GuardRoot(root, section, source);
    }

    private static void GuardRoot(IConfigurationRoot root, string section, GuardedChangeTokenSource source)
    {
        GuardProviders(root, section, source);
        if (Roots.TryAdd(root, source))
        {
            ChangeToken.OnChange(root.GetReloadToken, () => GuardProviders(root, section, source));
        }
    }

    private static void GuardProviders(IConfigurationRoot root, string section, GuardedChangeTokenSource source)
    {
        foreach (var provider in root.Providers.ToArray())
        {
            if (provider is ChainedConfigurationProvider { Configuration: IConfigurationRoot chained })
            {
                GuardRoot(chained, section, source); // (builder.Configuration.AddConfiguration(other): other's files)
            }
            else if (provider is FileConfigurationProvider file)
            {
                Guard(file, section, source);
            }
        }
    }

    /// <summary>The file providers of <paramref name="root"/> and of the configurations chained into it, each once.</summary>
    private static IEnumerable<FileConfigurationProvider> FileProviders(IConfigurationRoot root, HashSet<IConfigurationRoot>? seen = null)
    {
        seen ??= new HashSet<IConfigurationRoot>(ReferenceEqualityComparer.Instance);
        if (!seen.Add(root))
        {
            yield break;
        }

        foreach (var provider in root.Providers.ToArray())
        {
            if (provider is ChainedConfigurationProvider { Configuration: IConfigurationRoot chained })
            {
                foreach (var file in FileProviders(chained, seen))
                {
                    yield return file;
                }
            }
            else if (provider is FileConfigurationProvider file)
            {
                yield return file;
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
    /// Refuses the start when a file of <paramref name="root"/> (or of a configuration chained into
    /// it) that follows its edits cannot be read now: broken after the configuration was built
    /// (between building the host and starting it), its reload has emptied its settings, or will,
    /// before this guard was there to keep them, and the options would be made without them (an
    /// override's policy or limit given way to the base file's). .NET refuses to build on a file
    /// broken or missing; this refuses to start on one broken since, or a required one gone, naming
    /// it. A file is looked at again a few times over a second before it is taken for broken, so
    /// that an editor's save (emptied, then written) does not stop the start; one whose section
    /// reads other than its provider holds (a reload emptied it, or is on its way) is loaded into
    /// its provider at once, so the options are first made from the file as it is.
    /// </summary>
    private static void RefuseFilesBrokenSinceRead(IConfigurationRoot root, string section)
    {
        var problems = new List<string>();
        foreach (var provider in FileProviders(root))
        {
            if (!provider.Source.ReloadOnChange || provider.Source.Path is not { } path)
            {
                continue;
            }

            var (reason, values) = ReadNow(provider.Source, section);
            if (reason is not null)
            {
                problems.Add(HostingMessages.ConfigurationFileBrokenAtStart(path, reason));
            }
            else if (values is not null && !Same(values, SectionOf(provider, section)))
            {
                try
                {
                    provider.Load();
                }
                catch (AggregateException)
                {
                    // The file was loaded; an app's listener of the configuration's reload threw
                    // (as it would on .NET's own reload thread, where nothing sees it): not the file's fault.
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
    /// 250 ms apart: why it cannot be read, or the values it gives of <paramref name="section"/>
    /// (none when an optional file is not there: a file gone is an edit, as .NET takes it).
    /// </summary>
    private static (string? Reason, Dictionary<string, string?>? Values) ReadNow(FileConfigurationSource file, string section)
    {
        for (var look = 1; ; look++)
        {
            var read = TryRead(file, section);
            if (read.Reason is null || look == 4)
            {
                return read;
            }

            Thread.Sleep(250);
        }
    }

    /// <summary>
    /// Reads the file into a provider of its own, thrown away after; why it failed, or the values
    /// it gives of <paramref name="section"/>. A file on disk is opened as the library opens every
    /// file it did not make (<see cref="SafeOpen"/>): a named pipe swapped in is refused, not waited on.
    /// </summary>
    private static (string? Reason, Dictionary<string, string?>? Values) TryRead(FileConfigurationSource file, string section)
    {
        try
        {
            var info = file.FileProvider?.GetFileInfo(file.Path ?? "");
            if (info is null || !info.Exists)
            {
                return file.Optional ? (null, null) : (HostingMessages.RequiredFileGone, null);
            }

            if (file.Build(new ConfigurationBuilder()) is not FileConfigurationProvider provider)
            {
                return (null, null);
            }

            using (provider)
            {
                using (var stream = Open(info))
                {
                    provider.Load(stream);
                }

                return (null, SectionOf(provider, section));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (e.InnerException?.Message ?? e.Message, null);
        }
    }

    /// <summary>The file's stream: on disk, opened without waiting and refused unless it is a regular file.</summary>
    private static Stream Open(Microsoft.Extensions.FileProviders.IFileInfo info)
    {
        if (info.PhysicalPath is not { } path)
        {
            return info.CreateReadStream();
        }

        var stream = SafeOpen.Read(path, out var facts);
        if (facts.Kind != FileKind.Regular)
        {
            stream.Dispose();
            throw new IOException(HostingMessages.ConfigurationFileNotRegular(facts.Described));
        }

        return stream;
    }

    private static bool Same(Dictionary<string, string?> a, Dictionary<string, string?> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && string.Equals(value, pair.Value, StringComparison.Ordinal));

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
