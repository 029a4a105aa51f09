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
    /// The limits the section states now, read from the configuration as it is (not the options in
    /// force): null when it states neither limit in a form the tool takes. While the configuration
    /// stands rejected (a policy file broken, say), a run is held to these too, so that a limit
    /// lowered then takes effect at once rather than when the rest is fixed.
    /// </summary>
    public BlastRadiusLimits? StatedLimits(IConfiguration configuration)
    {
        var section = configuration.GetSection(Path);
        var max = section.GetSection(nameof(RetentionOptions.MaxRemovals)).Value is { } count && Convert(count, typeof(long?), out var c) ? (long?)c : null;
        var fraction = section.GetSection(nameof(RetentionOptions.MaxRemovalFraction)).Value is { } share && Convert(share, typeof(decimal?), out var f)
            && f is decimal given && BlastRadiusLimits.IsValidFraction(given) ? given : (decimal?)null;
        return max is null && fraction is null ? null : new BlastRadiusLimits(max, fraction);
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

        // A near-miss beside the section, whether or not it is there: its settings (a limit, say)
        // would be ignored and the defaults or the section's run in their place.
        foreach (var (sibling, meant) in Siblings(configuration))
        {
            yield return HostingMessages.OptionSectionMisspelt(Path, sibling, meant, exists);
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
    /// Keys beside the section (their paths) taken for it or for one of its settings, with what was
    /// meant: a slip of one or two letters (<c>SmiRetentoin</c>, <c>SmiRetention </c>), the name
    /// spelt with other separators or none (<c>SMI_RETENTION</c>, <c>smi-retention</c>), or a
    /// setting joined to it by something other than ':' (<c>SmiRetention_MaxRemovals</c>, an
    /// environment variable with one underscore where two make ':').
    /// </summary>
    private IEnumerable<(string Sibling, string Meant)> Siblings(IConfiguration configuration)
    {
        var cut = Path.LastIndexOf(':');
        var parent = cut < 0 ? configuration : configuration.GetSection(Path[..cut]);
        var prefix = cut < 0 ? "" : Path[..(cut + 1)];
        var name = Path[(cut + 1)..];
        var bare = Bare(name);
        foreach (var key in parent.GetChildren().Select(c => c.Key))
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var keyBare = Bare(key);
            if (keyBare == bare || (Math.Abs(key.Length - name.Length) <= 1 && Spelling.Distance(key.ToUpperInvariant(), name.ToUpperInvariant()) <= 2))
            {
                yield return (prefix + key, Path);
            }
            else if (keyBare.StartsWith(bare, StringComparison.Ordinal) && Names.FirstOrDefault(n => Bare(n) == keyBare[bare.Length..]) is { } setting)
            {
                yield return (prefix + key, Path + ":" + setting);
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
