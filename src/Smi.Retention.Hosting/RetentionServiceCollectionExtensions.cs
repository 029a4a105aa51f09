using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Smi.Retention.Hosting;

/// <summary>Registers Smi.Retention in a .NET host.</summary>
public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="HousekeepingService"/> with <see cref="RetentionOptions"/> bound from the
    /// configuration section <see cref="RetentionOptions.SectionName"/>, validated at start
    /// (<c>ValidateOnStart</c>): a bad option or a bad policy file stops the host with every problem
    /// listed. The host registers a NodaTime <c>IClock</c> (the system clock, or a fake in tests).
    /// In a host, the service is made as the host starts, right after the options are validated, so
    /// that it hears every edit of the configuration from then on. Calling it again adds nothing twice
    /// (only its options set in code); naming another section then is refused, since one section is bound.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddSmiRetention(this IServiceCollection services) =>
        services.AddSmiRetention(RetentionOptions.SectionName, null);

    /// <summary>As <see cref="AddSmiRetention(IServiceCollection)"/>, then sets options in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code, after the configuration section is bound.</param>
    /// <returns>The same service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection AddSmiRetention(this IServiceCollection services, Action<RetentionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSmiRetention(RetentionOptions.SectionName, configure);
    }

    /// <summary>As <see cref="AddSmiRetention(IServiceCollection, Action{RetentionOptions})"/>, binding another configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configurationSection">The section path, e.g. <c>Dsp:Housekeeping</c>.</param>
    /// <param name="configure">Sets options in code, after the configuration section is bound.</param>
    /// <returns>The same service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="configurationSection"/> is empty, not a section path (an empty key, spaces around a key), or not the section an earlier call named.</exception>
    public static IServiceCollection AddSmiRetention(this IServiceCollection services, string configurationSection, Action<RetentionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configurationSection);
        if (configurationSection.Trim() != configurationSection || configurationSection.Split(ConfigurationPath.KeyDelimiter).Any(key => key.Length == 0 || key.Trim() != key))
        {
            // (' Dsp:Housekeeping ', 'Dsp:Housekeeping:'): a section no configuration gives, its settings never bound.
            throw new ArgumentException(HostingMessages.NotASectionPath(configurationSection), nameof(configurationSection));
        }

        var builder = services.AddOptions<RetentionOptions>();
        var added = services.FirstOrDefault(s => s.ServiceType == typeof(RetentionSection))?.ImplementationInstance as RetentionSection;
        if (added is not null && !string.Equals(added.Path, configurationSection, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(HostingMessages.AddedWithAnotherSection(added.Path, configurationSection), nameof(configurationSection));
        }

        // Added once, marked by its section (not by the service: an app may register its own service, and the section is bound all the same).
        if (added is null)
        {
            // Bind the section when the host has configuration; code-only setups work without it.
            var section = new RetentionSection(configurationSection);
            services.AddSingleton(section);
            builder.Configure<IServiceProvider>((options, provider) =>
            {
                if (provider.GetService(typeof(IConfiguration)) is IConfiguration configuration)
                {
                    section.Bind(configuration, options);
                }
            });
            services.AddSingleton<IOptionsChangeTokenSource<RetentionOptions>>(provider =>
            {
                if (provider.GetService(typeof(IConfiguration)) is not IConfiguration configuration)
                {
                    return new NoChangeTokenSource();
                }

                var logger = (ILogger?)provider.GetService<ILoggerFactory>()?.CreateLogger<HousekeepingService>() ?? NullLogger.Instance;
                var source = new GuardedChangeTokenSource(new ConfigurationChangeTokenSource<RetentionOptions>(Options.DefaultName, configuration.GetSection(configurationSection)), logger);
                ConfigurationLoadGuard.Install(configuration, configurationSection, source);
                return source;
            });
            builder.ValidateOnStart();
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>());
        services.TryAddSingleton(provider =>
        {
            // The service hears each rejection of the configuration, so that the edit fixing it is said (event 1).
            var service = ActivatorUtilities.CreateInstance<HousekeepingService>(provider);
            Attach(service, provider);
            return service;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, HousekeepingStartup>());
        return services;
    }

    /// <summary>
    /// Ties <paramref name="service"/> to what <c>AddSmiRetention</c> registered: the section its
    /// messages name, and each rejection of the configuration heard, so that the edit fixing it is
    /// said (a rejection before the service was made too). Once: the service made here, or an app's
    /// own registered before <c>AddSmiRetention</c>, which the host's start ties (<see cref="HousekeepingStartup"/>).
    /// </summary>
    internal static void Attach(HousekeepingService service, IServiceProvider provider)
    {
        if (!service.TryAttach())
        {
            return;
        }

        var section = provider.GetService<RetentionSection>();
        service.SettingsSection = section?.Path ?? RetentionOptions.SectionName;
        if (section is not null && provider.GetService<IConfiguration>() is { } configuration)
        {
            service.StatedLimits = () => StatedLimits(section, configuration, provider);
        }
        foreach (var source in provider.GetServices<IOptionsChangeTokenSource<RetentionOptions>>().OfType<GuardedChangeTokenSource>())
        {
            source.Rejected += service.ConfigurationRejected;
            source.FileReadWhole += service.ConfigurationFileReadWhole;
            if (source.EverRejected)
            {
                service.ConfigurationRejected(source); // before the service was made: its fix is said too
            }
        }
    }

    /// <summary>
    /// The limits the configuration and the code state now (<see cref="RetentionSection.StatedLimits"/>):
    /// the options built as the options' factory builds them (the section bound, the code's options
    /// after it), without their validation; options that cannot be built at all hold as no removal.
    /// </summary>
    private static IReadOnlyList<StatedLimit> StatedLimits(RetentionSection section, IConfiguration configuration, IServiceProvider provider)
    {
        try
        {
            var options = new RetentionOptions();
            foreach (var configure in provider.GetServices<IConfigureOptions<RetentionOptions>>())
            {
                if (configure is IConfigureNamedOptions<RetentionOptions> named)
                {
                    named.Configure(Options.DefaultName, options);
                }
                else
                {
                    configure.Configure(options);
                }
            }

            foreach (var post in provider.GetServices<IPostConfigureOptions<RetentionOptions>>())
            {
                post.PostConfigure(Options.DefaultName, options);
            }

            return section.StatedLimits(configuration, options);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [new StatedLimit(new Smi.Retention.Evaluation.BlastRadiusLimits(0, null), HostingMessages.StatedUnbuildable(section.Path, e.Message))];
        }
    }

    private sealed class NoChangeTokenSource : IOptionsChangeTokenSource<RetentionOptions>
    {
        public string Name => Options.DefaultName;

        public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => NullChangeToken.Instance;
    }

    private sealed class NullChangeToken : Microsoft.Extensions.Primitives.IChangeToken
    {
        public static readonly NullChangeToken Instance = new();

        public bool HasChanged => false;

        public bool ActiveChangeCallbacks => false;

        public IDisposable RegisterChangeCallback(Action<object?> callback, object? state) => EmptyDisposable.Instance;
    }

    private sealed class EmptyDisposable : IDisposable
    {
        public static readonly EmptyDisposable Instance = new();

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// Adds daily housekeeping on a schedule (<see cref="Scheduling.ScheduledHousekeepingService"/>): the host
    /// registers an <see cref="Scheduling.IInventorySource"/> and an <see cref="Scheduling.IRemovalSink"/>
    /// (and may register an <see cref="Scheduling.IHousekeepingLedger"/> of its own; the default keeps the
    /// dates done in <see cref="Scheduling.HousekeepingScheduleOptions.LedgerFile"/>, so a restart never
    /// repeats a date). Call after <see cref="AddSmiRetention(IServiceCollection)"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets when the daily run is; 02:00 London time by default.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSmiRetentionSchedule(this IServiceCollection services, Action<Scheduling.HousekeepingScheduleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<Scheduling.HousekeepingScheduleOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddSingleton<Scheduling.IHousekeepingLedger>(provider =>
        {
            var file = provider.GetRequiredService<IOptions<Scheduling.HousekeepingScheduleOptions>>().Value.LedgerFile;
            var root = provider.GetService<Microsoft.Extensions.Hosting.IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
            return new Scheduling.FileLedger(Path.GetFullPath(file, root));
        });
        services.TryAddSingleton<Scheduling.ScheduledHousekeepingService>();
        services.AddHostedService(provider => provider.GetRequiredService<Scheduling.ScheduledHousekeepingService>());
        return services;
    }
}
