using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Smi.Retention;

/// <summary>
/// The configuration section <see cref="RetentionOptions"/> is bound from, checked as a whole:
/// the binder ignores a key it does not know (<c>Polciy</c>), so the default policy would run in its
/// place, and throws on a value it cannot convert; here both are validation failures naming the key.
/// </summary>
internal sealed class RetentionSection(string path)
{
    private static readonly PropertyInfo[] Settings = typeof(RetentionOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .ToArray();

    private static readonly string[] Names = Settings.Select(p => p.Name).ToArray();

    /// <summary>The section's path, e.g. <c>SmiRetention</c>.</summary>
    public string Path { get; } = path;

    /// <summary>Binds what converts; <see cref="Problems"/> reports what does not, so a bad value fails validation instead of throwing from the binder.</summary>
    public void Bind(IConfiguration configuration, RetentionOptions options)
    {
        var section = configuration.GetSection(Path);
        foreach (var setting in Settings)
        {
            var child = section.GetSection(setting.Name);
            if (child.Value is { } value && Convert(value, setting.PropertyType, out var converted))
            {
                setting.SetValue(options, converted);
            }
        }
    }

    /// <summary>Every key of the section that is not a setting, holds an object, or holds a value of the wrong kind.</summary>
    public IEnumerable<string> Problems(IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection(Path).GetChildren())
        {
            var setting = Settings.FirstOrDefault(s => s.Name.Equals(child.Key, StringComparison.OrdinalIgnoreCase));
            if (setting is null)
            {
                yield return Messages.OptionUnknownKey(Path, child.Key, Spelling.Suggest(child.Key, Names), Names);
            }
            else if (child.GetChildren().Any())
            {
                yield return Messages.OptionNotAValue(Path, setting.Name);
            }
            else if (child.Value is { } value && !Convert(value, setting.PropertyType, out _))
            {
                yield return Messages.OptionBadValue(Path, setting.Name, value, setting.PropertyType);
            }
        }
    }

    private static bool Convert(string value, Type type, out object? converted)
    {
        if (type == typeof(string))
        {
            converted = value;
            return true;
        }

        var target = Nullable.GetUnderlyingType(type);
        if (target is not null && value.Length == 0)
        {
            converted = null;
            return true;
        }

        try
        {
            // The binder's own conversion, in the invariant culture; an enum must name one declared value.
            converted = TypeDescriptor.GetConverter(target ?? type).ConvertFromInvariantString(value);
            return converted is not null && (!(target ?? type).IsEnum || Enum.IsDefined(target ?? type, converted));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            converted = null;
            return false;
        }
    }
}
