using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Smi.Retention.Hosting;

/// <summary>
/// Makes <see cref="HousekeepingService"/> as the host starts, right after its options were
/// validated (<c>ValidateOnStart</c>) and before any hosted service starts (the app's own, slow ones
/// included: this is the step every lifecycle service takes first), rather than at the app's first
/// use of it (a web app's first request, say): from then on its policy is in force and it hears
/// every edit of the configuration, so that an edit rejected before that first use is a rejection
/// with a last good policy kept, not a service that cannot be made, and the edit that fixes it is said.
/// </summary>
/// <param name="services">The host's services.</param>
internal sealed class HousekeepingStartup(IServiceProvider services) : IHostedLifecycleService
{
    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // (an app's own service, registered before AddSmiRetention, is tied to it here; the library's was as it was made)
        RetentionServiceCollectionExtensions.Attach(services.GetRequiredService<HousekeepingService>(), services);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
