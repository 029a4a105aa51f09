using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Smi.Retention.Evaluation;

namespace Smi.Retention;

/// <summary>
/// System.Text.Json options for the library's types, as its documented JSON shapes use them:
/// camelCase names, enums as their names, <see cref="DeviceId"/> as an EUI-64 string and NodaTime
/// types as ISO strings (<c>LocalDate</c> as <c>"2019-11-07"</c>). Without them System.Text.Json writes
/// a device id as a number and a date as a calendar object. Where reflection is disabled (a trimmed or
/// Native AOT application) the library's own types are described by generated code instead, and
/// the documents are the same.
/// </summary>
public static class RetentionJson
{
    /// <summary>
    /// Read-only options with the library's converters; use them to serialize evidence and reports.
    /// Any type is described by reflection where reflection is enabled; where it is not, the library's
    /// own types by generated code (<see cref="RemovalEvidence"/>).
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// Adds the library's converters and conventions to <paramref name="options"/> (for a host's own
    /// options): camelCase names, device ids as EUI-64 strings, enums of any type by name (integers
    /// refused) and every NodaTime type as an ISO string. Where reflection is disabled, only the
    /// converters the library's own types need: its enums by name and ISO dates.
    /// </summary>
    /// <param name="options">Options that are not read-only yet.</param>
    /// <returns>The same options.</returns>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionOnly)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionOnly)]
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy ??= JsonNamingPolicy.CamelCase;
        options.Converters.Add(new DeviceIdJsonConverter());
        if (ReflectionEnabled)
        {
            AddAnyTypesConverters(options);
        }
        else
        {
            foreach (var converter in OwnTypesConverters())
            {
                options.Converters.Add(converter);
            }
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
    /// The converters the library's own types need besides device ids, none made by reflection: its
    /// enums by name (integers refused) and ISO dates. The one list of the enums its documented
    /// JSON shapes name.
    /// </summary>
    private static JsonConverter[] OwnTypesConverters() =>
    [
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
    /// A London date as <c>uuuu-MM-dd</c>, in the ISO calendar only: as NodaTime.Serialization's own
    /// (<see cref="NodaConverters.LocalDateConverter"/>), made here, since reading that one makes every
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
        if (ReflectionEnabled)
        {
            MakeReadOnlyByReflection(options);
        }
        else
        {
            options.TypeInfoResolver = RetentionJsonContext.Default;
            options.MakeReadOnly();
        }

        return options;
    }

    [RequiresUnreferencedCode("Types are described by reflection.")]
    [RequiresDynamicCode("Types are described by reflection.")]
    private static void MakeReadOnlyByReflection(JsonSerializerOptions options) => options.MakeReadOnly(populateMissingResolver: true);
}

/// <summary>The generated descriptions of the library's types that it writes as JSON, for <see cref="RetentionJson.Options"/> where reflection is disabled.</summary>
[JsonSerializable(typeof(RemovalEvidence))]
internal sealed partial class RetentionJsonContext : JsonSerializerContext;
