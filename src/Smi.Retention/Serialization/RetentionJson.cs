using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Smi.Retention.Evaluation;

namespace Smi.Retention;

/// <summary>
/// System.Text.Json options for the library's types, as its documented JSON shapes use them:
/// camelCase names, enums as their names, <see cref="DeviceId"/> as an EUI-64 string and NodaTime
/// types as ISO strings (<c>LocalDate</c> as <c>"2019-11-07"</c>). Without them System.Text.Json writes
/// a device id as a number and a date as a calendar object. The library's own types are described by
/// generated code, so the options work where reflection does not (trimmed and Native AOT applications).
/// </summary>
public static class RetentionJson
{
    /// <summary>Read-only options with the library's converters; use them to serialize evidence and reports.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// Adds the library's converters and conventions to <paramref name="options"/> (for a host's own
    /// options): those its own types need, and, where reflection is enabled (not in a Native AOT
    /// application), enums of any type by name and every NodaTime type as an ISO string.
    /// </summary>
    /// <param name="options">Options that are not read-only yet.</param>
    /// <returns>The same options.</returns>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionOnly)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionOnly)]
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy ??= JsonNamingPolicy.CamelCase;
        foreach (var converter in OwnConverters())
        {
            options.Converters.Add(converter);
        }

        if (ReflectionEnabled)
        {
            AddAnyTypesConverters(options);
        }

        return options;
    }

    /// <summary>Enums of any type by name, every NodaTime type as an ISO string: converters made by reflection.</summary>
    [RequiresUnreferencedCode("Converters for any type are made by reflection.")]
    [RequiresDynamicCode("Converters for any type are made by reflection.")]
    private static void AddAnyTypesConverters(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
    }

    /// <summary>
    /// The converters of the library's own types, none of which needs reflection: device ids, its
    /// enums by name (integers refused), London dates. The one list of the enums the documented
    /// JSON shapes name.
    /// </summary>
    private static JsonConverter[] OwnConverters() =>
    [
        new DeviceIdJsonConverter(),
        new JsonStringEnumConverter<DeviceType>(namingPolicy: null, allowIntegerValues: false),
        new JsonStringEnumConverter<SmiStatus>(namingPolicy: null, allowIntegerValues: false),
        new JsonStringEnumConverter<SmetsGeneration>(namingPolicy: null, allowIntegerValues: false),
        new JsonStringEnumConverter<RetentionAction>(namingPolicy: null, allowIntegerValues: false),
        new JsonStringEnumConverter<BoundaryMode>(namingPolicy: null, allowIntegerValues: false),
        new JsonStringEnumConverter<Impact.ChangeDirection>(namingPolicy: null, allowIntegerValues: false),
        new JsonStringEnumConverter<Impact.HistoryConditionKind>(namingPolicy: null, allowIntegerValues: false),
        IsoLocalDate(),
    ];

    /// <summary>
    /// A London date as <c>uuuu-MM-dd</c>, in the ISO calendar only: NodaTime.Serialization's own
    /// (<see cref="NodaConverters.LocalDateConverter"/>) made here, since reading that one makes every
    /// NodaTime converter, some of which need reflection.
    /// </summary>
    private static NodaPatternConverter<LocalDate> IsoLocalDate() => new(
        NodaTime.Text.LocalDatePattern.Iso,
        date =>
        {
            if (date.Calendar != CalendarSystem.Iso)
            {
                throw new ArgumentException(Messages.JsonDateNotIso(date.Calendar.Id));
            }
        });

    private const string ReflectionOnly = "Called only where reflection is enabled (ReflectionEnabled: a feature switch that trimming and Native AOT compilation fold to false, leaving the call out).";

    /// <summary>
    /// Whether System.Text.Json may describe types by reflection: yes but in a trimmed or Native AOT
    /// application (its feature switch), whose compiler then leaves out the branches that need it.
    /// </summary>
    [FeatureSwitchDefinition("System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault")]
    private static bool ReflectionEnabled => JsonSerializer.IsReflectionEnabledByDefault;

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionOnly)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionOnly)]
    private static JsonSerializerOptions Create()
    {
        var options = Configure(new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.Never });

        // The library's types by the generated code; any other type by reflection, where there is reflection.
        options.TypeInfoResolver = ReflectionEnabled ? WithReflection() : RetentionJsonContext.Default;
        options.MakeReadOnly();
        return options;
    }

    [RequiresUnreferencedCode("Types other than the library's are described by reflection.")]
    [RequiresDynamicCode("Types other than the library's are described by reflection.")]
    private static IJsonTypeInfoResolver WithReflection() => JsonTypeInfoResolver.Combine(RetentionJsonContext.Default, new DefaultJsonTypeInfoResolver());
}

/// <summary>The generated descriptions of the library's types that it writes as JSON (<see cref="RetentionJson.Options"/> binds them to its converters).</summary>
[JsonSerializable(typeof(RemovalEvidence))]
internal sealed partial class RetentionJsonContext : JsonSerializerContext;
