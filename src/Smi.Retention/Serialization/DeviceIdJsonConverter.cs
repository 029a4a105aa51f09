using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smi.Retention;

/// <summary>
/// A <see cref="DeviceId"/> in JSON: its EUI-64 string, upper case (<c>"88-73-84-57-00-2F-96-1E"</c>);
/// read in any case. <see cref="DeviceId"/> carries this converter, so System.Text.Json uses it by default.
/// </summary>
public sealed class DeviceIdJsonConverter : JsonConverter<DeviceId>
{
    /// <inheritdoc />
    public override DeviceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException(Messages.DeviceIdNotAString(reader.TokenType.ToString()));
        }

        var text = reader.GetString()!;
        return DeviceId.TryParse(text, out var id, out var error) ? id : throw new JsonException(error);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DeviceId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[DeviceId.TextLength];
        value.TryFormat(text, out _);
        writer.WriteStringValue(text);
    }
}
