using System.Text;
using System.Text.Json;

namespace Smi.Retention.Policies;

/// <summary>A JSON value with the line and column where it starts, for error messages that point at the file.</summary>
internal abstract record JsonNode(int Line, int Column)
{
    public string Where => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {Line}, column {Column}");

    public abstract string Kind { get; }

    /// <summary>
    /// Reads a whole document. Comments and trailing commas are allowed: policy files are written by
    /// people. Nesting deeper than <see cref="PolicyLimits.MaxJsonDepth"/> and strings that are not
    /// valid text (invalid UTF-8, lone surrogate escapes) are errors, never exceptions of another kind.
    /// </summary>
    /// <exception cref="JsonException">The text is not such JSON; the exception carries the 0-based line and byte position.</exception>
    public static JsonNode Parse(byte[] utf8)
    {
        // Editors on Windows may start a UTF-8 file with a byte-order mark, which JSON does not allow.
        if (utf8.AsSpan().StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        var lines = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read())
        {
            throw new JsonException("The file is empty.", null, 0, 0);
        }

        var node = ReadValue(ref reader, utf8, lines, 1);
        if (reader.Read())
        {
            throw new JsonException("There is more after the end of the JSON value.", null, reader.TokenStartIndex, 0);
        }

        return node;
    }

    private static JsonNode ReadValue(ref Utf8JsonReader reader, byte[] utf8, List<int> lines, int depth)
    {
        var (line, column) = Locate(lines, utf8, (int)reader.TokenStartIndex);
        if (depth > PolicyLimits.MaxJsonDepth && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            throw new JsonRefusedException(Messages.JsonTooDeep(PolicyLimits.MaxJsonDepth), line, column);
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<JsonMember>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (nameLine, nameColumn) = Locate(lines, utf8, (int)reader.TokenStartIndex);
                    var name = Text(ref reader, nameLine, nameColumn);
                    reader.Read();
                    members.Add(new JsonMember(name, nameLine, nameColumn, ReadValue(ref reader, utf8, lines, depth + 1)));
                }

                return new JsonObject(members, line, column);
            case JsonTokenType.StartArray:
                var items = new List<JsonNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, utf8, lines, depth + 1));
                }

                return new JsonArray(items, line, column);
            case JsonTokenType.String:
                return new JsonString(Text(ref reader, line, column), line, column);
            case JsonTokenType.Number:
                return new JsonOther("a number", line, column);
            case JsonTokenType.True:
            case JsonTokenType.False:
                return new JsonBool(reader.GetBoolean(), line, column);
            default:
                return new JsonOther("null", line, column);
        }
    }

    /// <summary>A string token's text; invalid UTF-8 or a lone surrogate escape is a JSON error at its line.</summary>
    private static string Text(ref Utf8JsonReader reader, int line, int column)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonRefusedException(Messages.JsonBadString(), line, column);
        }
    }

    private static List<int> LineStarts(byte[] utf8)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static (int Line, int Column) Locate(List<int> lineStarts, byte[] utf8, int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        var column = Encoding.UTF8.GetCharCount(utf8, lineStarts[line], offset - lineStarts[line]) + 1;
        return (line + 1, column);
    }
}

internal sealed record JsonMember(string Name, int Line, int Column, JsonNode Value)
{
    public string Where => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {Line}, column {Column}");
}

internal sealed record JsonObject(IReadOnlyList<JsonMember> Members, int Line, int Column) : JsonNode(Line, Column)
{
    public override string Kind => "an object";
}

internal sealed record JsonArray(IReadOnlyList<JsonNode> Items, int Line, int Column) : JsonNode(Line, Column)
{
    public override string Kind => "an array";
}

internal sealed record JsonString(string Value, int Line, int Column) : JsonNode(Line, Column)
{
    public override string Kind => "a string";
}

internal sealed record JsonBool(bool Value, int Line, int Column) : JsonNode(Line, Column)
{
    public override string Kind => Value ? "true" : "false";
}

internal sealed record JsonOther(string Description, int Line, int Column) : JsonNode(Line, Column)
{
    public override string Kind => Description;
}

/// <summary>JSON that parses but that a policy file may not hold; the message is complete, the place 1-based.</summary>
internal sealed class JsonRefusedException(string message, int line, int column) : JsonException(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
