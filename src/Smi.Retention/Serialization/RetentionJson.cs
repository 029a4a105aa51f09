using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;

namespace Smi.Retention;

/// <summary>
/// System.Text.Json options for the library's types, as its documented JSON shapes use them:
/// camelCase names, enums as their names, <see cref="DeviceId"/> as an EUI-64 string and NodaTime
/// types as ISO strings (<c>LocalDate</c> as <c>"2019-11-07"</c>). Without them System.Text.Json writes
/// a device id as a number and a date as a calendar object.
/// </summary>
public static class RetentionJson
{
    /// <summary>Read-only options with the library's converters; use them to serialize evidence and reports.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Adds the library's converters and conventions to <paramref name="options"/> (for a host's own options).</summary>
    /// <param name="options">Options that are not read-only yet.</param>
    /// <returns>The same options.</returns>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy ??= JsonNamingPolicy.CamelCase;
        options.Converters.Add(new DeviceIdJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        return options;
    }

    private static JsonSerializerOptions Create()
    {
        var options = Configure(new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.Never });
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
