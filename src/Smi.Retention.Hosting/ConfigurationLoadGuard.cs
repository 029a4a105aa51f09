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
/// gives them. A configuration chained in as a section (<c>AddConfiguration(other.GetSection("Tenant1"))</c>)
/// is guarded in its own configuration, at the section's path there. Every host on the same
/// configuration hears of each file (several hosts in one process, or one made again): each says
/// its own events, until it is disposed.
/// </summary>
internal static class ConfigurationLoadGuard
{
    private static readonly ConditionalWeakTable<IConfigurationRoot, HashSet<Listener>> Roots = [];
    private static readonly ConditionalWeakTable<FileConfigurationSource, Guarded> Sources = [];
    private static readonly ConditionalWeakTable<IConfigurationProvider, Guarded> Providers = [];

    /// <summary>A host's token source, and the path of its section in a file (a chained section's path before it).</summary>
    private sealed record Listener(GuardedChangeTokenSource Source, string Section);

    /// <summary>
    /// What is known of one file (its source, which every provider made from it shares): its last
    /// good values of each section guarded, as the provider reading it last read them whole, the
    /// hosts to tell, the host's own load-failure handler, and whether a failed load was let go on
    /// by that handler. Locked on itself.
    /// </summary>
    private sealed class Guarded(Action<FileLoadExceptionContext>? hosts)
    {
        public Action<FileLoadExceptionContext>? HostsHandler { get; } = hosts;

        public Dictionary<string, Dictionary<string, string?>> LastGood { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<Listener> Listeners { get; } = [];

        public bool FailedAndIgnored { get; set; }

        /// <summary>The hosts still listening (those disposed are let go), with the section each keeps.</summary>
        public Listener[] Live()
        {
            lock (this)
            {
                Listeners.RemoveAll(l => l.Source.IsDisposed);
                return [.. Listeners];
            }
        }
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
        if (RootOf(configuration, section) is not var (root, path))
        {
            return;
        }

        RefuseFilesBrokenSinceRead(root, path);
        GuardRoot(root, path, source);
    }

    /// <summary>
    /// How many times the guard holds a host's token source for <paramref name="root"/> (its
    /// configurations chained in and their files included): what a shared configuration keeps of
    /// the hosts made on it, none once they are disposed.
    /// </summary>
    internal static int HostsHeld(IConfigurationRoot root)
    {
        var held = 0;
        foreach (var (reached, _) in RootsReached(root, ""))
        {
            if (Roots.TryGetValue(reached, out var listeners))
            {
                lock (listeners)
                {
                    held += listeners.Count;
                }
            }

            foreach (var provider in reached.Providers.OfType<FileConfigurationProvider>())
            {
                if (Sources.TryGetValue(provider.Source, out var guarded))
                {
                    lock (guarded)
                    {
                        held += guarded.Listeners.Count;
                    }
                }
            }
        }

        return held;
    }

    /// <summary>
    /// The configuration root that holds <paramref name="configuration"/>'s values, and the path of
    /// <paramref name="section"/> in it: a section (chained in, or registered as the configuration)
    /// is its root's values under its own path. Null for a configuration of another kind.
    /// </summary>
    private static (IConfigurationRoot Root, string Section)? RootOf(IConfiguration configuration, string section) => configuration switch
    {
        IConfigurationRoot root => (root, section),
        ConfigurationSection { Path: var path } part when RootField?.GetValue(part) is IConfigurationRoot root => (root, ConfigurationPath.Combine(path, section)),
        _ => null,
    };

    /// <summary>.NET's section keeps its root in a private field, and has no other way to it.</summary>
    private static readonly System.Reflection.FieldInfo? RootField =
        typeof(ConfigurationSection).GetField("_root", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance);

    private static void GuardRoot(IConfigurationRoot root, string section, GuardedChangeTokenSource source)
    {
        foreach (var (provider, path) in FileProviders(root, section))
        {
            Guard(provider, path, source);
        }

        // Looked at again at each reload of every configuration reached, so providers made anew are guarded too.
        foreach (var (reached, path) in RootsReached(root, section))
        {
            bool added;
            var listener = new Listener(source, path);
            var listeners = Roots.GetOrCreateValue(reached);
            lock (listeners)
            {
                added = listeners.Add(listener);
            }

            if (added)
            {
                var registration = ChangeToken.OnChange(reached.GetReloadToken, () =>
                {
                    if (!source.IsDisposed)
                    {
                        foreach (var (provider, at) in FileProviders(reached, path))
                        {
                            Guard(provider, at, source);
                        }
                    }
                });
                source.Tie(() =>
                {
                    // The host disposed, the configuration kept: nothing here holds the host any longer.
                    lock (listeners)
                    {
                        listeners.Remove(listener);
                    }

                    registration.Dispose();
                });
            }
        }
    }

    /// <summary><paramref name="root"/> and every configuration chained into it (as a whole, or a section of it), each with the path of the section in it, once.</summary>
    private static IEnumerable<(IConfigurationRoot Root, string Section)> RootsReached(IConfigurationRoot root, string section, HashSet<IConfigurationRoot>? seen = null)
    {
        seen ??= new HashSet<IConfigurationRoot>(ReferenceEqualityComparer.Instance);
        if (!seen.Add(root))
        {
            yield break;
        }

        yield return (root, section);
        foreach (var provider in root.Providers.ToArray())
        {
            if (provider is ChainedConfigurationProvider chained && RootOf(chained.Configuration, section) is var (inner, path))
            {
                foreach (var reached in RootsReached(inner, path, seen))
                {
                    yield return reached;
                }
            }
        }
    }

    /// <summary>The file providers of <paramref name="root"/> and of the configurations chained into it, each with the path of the section in its file.</summary>
    private static IEnumerable<(FileConfigurationProvider Provider, string Section)> FileProviders(IConfigurationRoot root, string section) =>
        RootsReached(root, section).SelectMany(reached => reached.Root.Providers.ToArray().OfType<FileConfigurationProvider>().Select(file => (file, reached.Section)));

    private static void Guard(FileConfigurationProvider provider, string section, GuardedChangeTokenSource source)
    {
        // A provider made anew keeps the file's last good values the one before it read (its own first read may have failed).
        var file = provider.Source;
        var guarded = Sources.GetValue(file, Handle);
        lock (guarded)
        {
            if (!guarded.LastGood.ContainsKey(section))
            {
                guarded.LastGood[section] = SectionOf(provider, section);
            }

            var listener = new Listener(source, section);
            if (!guarded.Listeners.Contains(listener))
            {
                guarded.Listeners.Add(listener);
                source.Tie(() =>
                {
                    lock (guarded)
                    {
                        guarded.Listeners.Remove(listener);
                    }
                });
            }
        }

        if (!Providers.TryAdd(provider, guarded))
        {
            return;
        }

        guarded.FailedAndIgnored = false; // (a failed first read let go on was over before this provider was known)
        ChangeToken.OnChange(provider.GetReloadToken, () =>
        {
            if (guarded.FailedAndIgnored)
            {
                guarded.FailedAndIgnored = false; // the host's handler let a failed load go on: its values are the ones put back
                return;
            }

            lock (guarded)
            {
                foreach (var kept in guarded.LastGood.Keys.ToArray())
                {
                    guarded.LastGood[kept] = SectionOf(provider, kept);
                }
            }

            foreach (var listener in guarded.Live())
            {
                listener.Source.FileRead(file);
            }
        });
    }

    /// <summary>Sets the load-failure handler of <paramref name="file"/> (every provider made from it, a later one too, fails through it), once; gives what is known of it.</summary>
    private static Guarded Handle(FileConfigurationSource file)
    {
        var guarded = new Guarded(file.OnLoadException);
        file.OnLoadException = context =>
        {
            // Said to each host whose section the file gave (the app's logging settings, say, change nothing here: not said).
            Listener[] broken;
            lock (guarded)
            {
                foreach (var (key, value) in guarded.LastGood.Values.SelectMany(values => values))
                {
                    context.Provider.Set(key, value);
                }

                broken = [.. guarded.Live().Where(l => guarded.LastGood.TryGetValue(l.Section, out var values) && values.Count > 0)];
            }

            var path = context.Provider.Source.Path ?? "a configuration file";
            var reason = context.Exception.InnerException?.Message ?? context.Exception.Message;
            foreach (var listener in broken)
            {
                listener.Source.FileBroken(file, HostingMessages.ConfigurationFileBroken(path, reason));
            }

            guarded.HostsHandler?.Invoke(context);
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
    /// broken or missing; this refuses to start on one broken since, a required one gone, or
    /// anything but a file in its place, naming it, even when the app's own load-failure handler
    /// lets the failure go on (what the file gave cannot be known). A file is looked at again a few times over a
    /// second before it is taken for broken, so that an editor's save (emptied, then written) does
    /// not stop the start; one whose section reads other than its provider holds (a reload emptied
    /// it, or is on its way) is loaded into its provider at once, so the options are first made from
    /// the file as it is.
    /// </summary>
    private static void RefuseFilesBrokenSinceRead(IConfigurationRoot root, string section)
    {
        var problems = new List<string>();
        foreach (var (provider, path) in FileProviders(root, section))
        {
            if (!provider.Source.ReloadOnChange || provider.Source.Path is not { } name)
            {
                continue;
            }

            var (failure, values) = ReadNow(provider.Source, path);
            if (failure is not null)
            {
                // Refused even when the app's own handler lets the file's failures go on: its settings may be
                // emptied already, and what it gave cannot be known (a file broken at the build alike).
                problems.Add(HostingMessages.ConfigurationFileBrokenAtStart(name, failure.InnerException?.Message ?? failure.Message));
            }
            else if (values is not null && !Same(values, SectionOf(provider, path)))
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
                    problems.Add(HostingMessages.ConfigurationFileBrokenAtStart(name, e.InnerException?.Message ?? e.Message)); // broken again since the look
                    continue;
                }

                if (!Same(values, SectionOf(provider, path)))
                {
                    // Changed again since the look, and its load failed with the app's handler letting it go on
                    // (nothing thrown, the settings emptied), or gave other values: not known to be whole.
                    problems.Add(HostingMessages.ConfigurationFileBrokenAtStart(name, HostingMessages.ChangedDuringTheStart));
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
    private static (Exception? Failure, Dictionary<string, string?>? Values) ReadNow(FileConfigurationSource file, string section)
    {
        for (var look = 1; ; look++)
        {
            var read = TryRead(file, section);
            if (read.Failure is null || look == 4)
            {
                return read;
            }

            Thread.Sleep(250);
        }
    }

    /// <summary>
    /// Reads the file into a provider of its own, thrown away after; why it failed, or the values
    /// it gives of <paramref name="section"/>. A file on disk is looked at by its facts (a folder in
    /// its place is not a file gone) and opened as the library opens every file it did not make
    /// (<see cref="SafeOpen"/>): a named pipe swapped in is refused, not waited on.
    /// </summary>
    private static (Exception? Failure, Dictionary<string, string?>? Values) TryRead(FileConfigurationSource file, string section)
    {
        try
        {
            var info = file.FileProvider?.GetFileInfo(file.Path ?? "");
            var onDisk = file.FileProvider is Microsoft.Extensions.FileProviders.PhysicalFileProvider physical && file.Path is { } name
                ? FileFacts.Of(Path.Combine(physical.Root, name))
                : (FileFacts?)null;
            if (onDisk is { Kind: not FileKind.Missing and not FileKind.Regular } other)
            {
                return (new IOException(HostingMessages.ConfigurationFileNotRegular(other.Described)), null);
            }

            if (info is null || !info.Exists)
            {
                return file.Optional ? (null, null) : (new FileNotFoundException(HostingMessages.RequiredFileGone), null);
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
            return (e, null);
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
