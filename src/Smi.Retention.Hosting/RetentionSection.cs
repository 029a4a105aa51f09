using System.Reflection;
using Microsoft.Extensions.Configuration;
using Smi.Retention.Text;

using Smi.Retention.Evaluation;

namespace Smi.Retention.Hosting;

/// <summary>
/// The configuration section <see cref="RetentionOptions"/> is bound from, checked as a whole,
/// because the binder fails open: it ignores a key it does not know (<c>Polciy</c>) and a section it
/// cannot find (<c>SmiRetentoin</c>), so defaults would run in place of what was meant, and it
/// accepts numbers in forms the tool refuses. Here each of these is a validation failure naming
/// the key: a key that is not a setting, a section where a value belongs or a value where the
/// section belongs, a value that is not written as the tool writes it, a section misspelt, and a
/// section that was there and has been removed while the host runs.
/// </summary>
internal sealed class RetentionSection(string path)
{
    private static readonly PropertyInfo[] Settings = typeof(RetentionOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToArray();

    private static readonly string[] Names = Settings.Select(p => p.Name).ToArray();

    private volatile bool _seen;

    /// <summary>The section's path, e.g. <c>SmiRetention</c>.</summary>
    public string Path { get; } = path;

    /// <summary>Binds what converts; <see cref="Problems"/> reports the rest, so nothing is thrown from binding.</summary>
    public void Bind(IConfiguration configuration, RetentionOptions options)
    {
        var section = configuration.GetSection(Path);
        _seen |= section.Exists();
        foreach (var setting in Settings)
        {
            if (section.GetSection(setting.Name).Value is { } value && Convert(value, setting.PropertyType, out var converted))
            {
                setting.SetValue(options, converted);
            }
        }
    }

    /// <summary>
    /// The limits the configuration states now, as it is (not the options in force), each with what
    /// to say when it refuses a run: the section's as <paramref name="bound"/> has them (the section
    /// and the code's options, built without validation: a limit given in neither is the default),
    /// and each limit a misplaced key states (<see cref="Misplaced"/>). A limit stated in a form that
    /// cannot be read holds as 0. While the configuration stands rejected (a policy file broken, say),
    /// a run is held to these as well as to the limits in force, so that a lowered limit (or one
    /// removed, for the default) holds at once; a raised one waits for the whole edit.
    /// </summary>
    public IReadOnlyList<StatedLimit> StatedLimits(IConfiguration configuration, RetentionOptions bound)
    {
        var section = configuration.GetSection(Path);
        var max = Readable(section.GetSection(nameof(RetentionOptions.MaxRemovals)).Value, typeof(long?), out var badCount) ? bound.MaxRemovals : 0;
        var fraction = bound.MaxRemovalFraction;
        if (!Readable(section.GetSection(nameof(RetentionOptions.MaxRemovalFraction)).Value, typeof(decimal?), out var badFraction)
            || (fraction is { } given && !BlastRadiusLimits.IsValidFraction(given)))
        {
            badFraction ??= fraction?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fraction = 0;
        }
        var limits = new List<StatedLimit>
        {
            new(new BlastRadiusLimits(max, fraction), badCount is not null || badFraction is not null
                ? HostingMessages.StatedUnreadable(Path, badCount is not null ? nameof(RetentionOptions.MaxRemovals) : nameof(RetentionOptions.MaxRemovalFraction), badCount ?? badFraction!)
                : HostingMessages.StatedWhileRejected()),
        };
        foreach (var (key, setting, value) in Misplaced(configuration))
        {
            if (setting == nameof(RetentionOptions.MaxRemovals))
            {
                limits.Add(new(new BlastRadiusLimits(Convert(value, typeof(long?), out var count) ? (long?)count : 0, null), HostingMessages.StatedMisplaced(key, Path, setting)));
            }
            else if (setting == nameof(RetentionOptions.MaxRemovalFraction))
            {
                var share = Convert(value, typeof(decimal?), out var f) && f is decimal d && BlastRadiusLimits.IsValidFraction(d) ? d : 0;
                limits.Add(new(new BlastRadiusLimits(null, share), HostingMessages.StatedMisplaced(key, Path, setting)));
            }
        }

        return limits;

        // Whether a value (if any) reads as the setting's type; the one that does not, when it does not.
        static bool Readable(string? value, Type type, out string? bad)
        {
            bad = value is not null && !Convert(value, type, out _) ? value : null;
            return bad is null;
        }
    }

    /// <summary>
    /// Every problem with the section as configured now, and every setting it gives that the options
    /// do not hold (set otherwise in code, after binding): empty when the options are the section as written.
    /// </summary>
    public IEnumerable<string> Problems(IConfiguration configuration, RetentionOptions options)
    {
        var section = configuration.GetSection(Path);
        var exists = section.Exists();
        if (!exists && _seen)
        {
            yield return HostingMessages.OptionSectionRemoved(Path);
        }

        // A setting beside the section, whether or not it is there: it (a limit, say) would be
        // ignored and the section's own or the default would apply in its place.
        foreach (var (key, setting, _) in Misplaced(configuration))
        {
            yield return HostingMessages.OptionMisplaced(Path, key, setting, exists);
        }

        if (!exists)
        {
            yield break;
        }

        if (section.Value is { Length: > 0 } && !section.GetChildren().Any())
        {
            yield return HostingMessages.OptionSectionIsAValue(Path);
        }

        foreach (var child in section.GetChildren())
        {
            var setting = Settings.FirstOrDefault(s => s.Name.Equals(child.Key, StringComparison.OrdinalIgnoreCase));
            if (setting is null)
            {
                yield return HostingMessages.OptionUnknownKey(Path, child.Key, Spelling.Suggest(child.Key, Names), Names);
            }
            else if (child.GetChildren().Any())
            {
                yield return HostingMessages.OptionNotAValue(Path, setting.Name);
            }
            else if (child.Value is not { } value)
            {
                continue;
            }
            else if (!Convert(value, setting.PropertyType, out var converted))
            {
                yield return value.Length == 0 ? HostingMessages.OptionEmpty(Path, setting.Name) : HostingMessages.OptionBadValue(Path, setting.Name, value, setting.PropertyType);
            }
            else if (setting.GetValue(options) is var actual && !Equals(actual, converted))
            {
                // Code configured after binding replaced what the configuration says: an operator
                // editing the section would see no effect. One place must say it.
                yield return HostingMessages.OptionSetTwice(Path, setting.Name, value, actual);
            }
        }
    }

    /// <summary>
    /// Keys outside the section that are one of its settings misplaced, with the setting meant and
    /// the value: a key whose letters and digits (any case, separators and ':' left out) are those
    /// of the section's path and a setting's name, or one or two letters from them. So a section
    /// misspelt (<c>SmiRetentoin:MaxRemovals</c>), spelt with other separators or nested
    /// (<c>SMI_RETENTION:MAXREMOVALS</c>, <c>Smi:Retention:MaxRemovals</c>), or a setting joined to it
    /// by another character (<c>SmiRetention_MaxRemovals</c>, an environment variable with one
    /// underscore where two make ':'), at any depth. A section of another name, or one a letter or
    /// two away that holds none of these settings, is not taken for it.
    /// </summary>
    public IEnumerable<(string Key, string Setting, string Value)> Misplaced(IConfiguration configuration)
    {
        var path = Bare(Path);
        var within = Path + ":";
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is null || key.StartsWith(within, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var bare = Bare(key);
            if (bare.Length < path.Length - 2)
            {
                continue;
            }

            foreach (var setting in Names)
            {
                var meant = path + Bare(setting);
                if (bare == meant || (Math.Abs(bare.Length - meant.Length) <= 2 && Spelling.Distance(bare, meant) <= 2))
                {
                    yield return (key, setting, value);
                    break;
                }
            }
        }

        // Letters and digits alone, in capitals.
        static string Bare(string text) => string.Concat(text.Where(char.IsLetterOrDigit)).ToUpperInvariant();
    }

    /// <summary>
    /// A value as the tool writes it, in every culture: a count in digits only, a fraction in digits
    /// with an optional '.' and at most 10 decimals, a mode by its name (any case, never a number).
    /// </summary>
    private static bool Convert(string value, Type type, out object? converted)
    {
        converted = null;
        var target = Nullable.GetUnderlyingType(type);
        if (type == typeof(string))
        {
            converted = value;
            return true;
        }

        if (value.Length == 0)
        {
            return false; // "" is an unset template variable, not "no limit": refused, naming the key (OptionEmpty)
        }

        switch (target ?? type)
        {
            case var t when t == typeof(long):
                var isCount = InvariantNumbers.TryParseCount(value, out var count);
                converted = isCount ? count : null;
                return isCount;
            case var t when t == typeof(decimal):
                var isNumber = InvariantNumbers.TryParseDecimal(value, BlastRadiusLimits.MaxFractionDecimals, out var number);
                converted = isNumber ? number : null;
                return isNumber;
            case var t when t == typeof(BoundaryMode):
                // The tool's words (on, after) as well as the names.
                var isMode = BoundaryModes.TryParse(value, out var mode);
                converted = isMode ? mode : null;
                return isMode;
            case var t when t.IsEnum:
                var name = Enum.GetNames(t).FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase));
                converted = name is null ? null : Enum.Parse(t, name);
                return name is not null;
            default:
                return false;
        }
    }
}

/// <summary>A limit the configuration states while it stands rejected, with what its refusal adds to the guard's message.</summary>
/// <param name="Limits">The limits.</param>
/// <param name="Note">Said after the guard's message when they refuse a run.</param>
internal sealed record StatedLimit(BlastRadiusLimits Limits, string Note);
