using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NodaTime;
using Smi.Retention.Policies;

using Smi.Retention.Evaluation;

namespace Smi.Retention.Hosting;

/// <summary>
/// Validates <see cref="RetentionOptions"/> completely: each failure names the field and the bad
/// value and says how to fix it; a policy that does not load lists every problem in it.
/// </summary>
internal sealed class RetentionOptionsValidator(IServiceProvider services) : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        var bound = services.GetService(typeof(RetentionSection)) as RetentionSection;
        var section = bound?.Path ?? RetentionOptions.SectionName; // each message names the section bound
        if (bound is not null && services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
        {
            failures.AddRange(bound.Problems(configuration, options));
        }

        if (services.GetService(typeof(IClock)) is null)
        {
            failures.Add(HostingMessages.NoClock());
        }

        if (string.IsNullOrWhiteSpace(options.Policy))
        {
            failures.Add(HostingMessages.OptionPolicyMissing(section));
        }
        else
        {
            try
            {
                var contentRoot = (services.GetService(typeof(Microsoft.Extensions.Hosting.IHostEnvironment)) as Microsoft.Extensions.Hosting.IHostEnvironment)?.ContentRootPath;
                PolicyCatalog.Load(PolicySnapshot.PathOf(options.Policy, contentRoot), contentRoot);
            }
            catch (PolicyValidationException e)
            {
                failures.Add(HostingMessages.OptionPolicyInvalid(section, e.Message));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add(HostingMessages.OptionPolicyUnreadable(section, options.Policy, e.Message));
            }
        }

        if (options.Boundary is not (BoundaryMode.OnCorrespondingDate or BoundaryMode.AfterCorrespondingDate))
        {
            failures.Add(HostingMessages.OptionBoundary(section, options.Boundary));
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZoneId ?? "") is null)
        {
            failures.Add(HostingMessages.OptionTimeZone(section, options.TimeZoneId));
        }

        if (!string.IsNullOrEmpty(options.AlertCode) && !AlertCodes.IsValid(options.AlertCode))
        {
            failures.Add(HostingMessages.OptionAlert(section, options.AlertCode));
        }

        if (options.MaxRemovals is < 0)
        {
            failures.Add(HostingMessages.OptionMaxRemovals(section, options.MaxRemovals.Value));
        }

        if (options.MaxRemovalFraction is { } fraction && !BlastRadiusLimits.IsValidFraction(fraction))
        {
            failures.Add(HostingMessages.OptionMaxFraction(section, fraction));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
