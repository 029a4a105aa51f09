using System.Text;
using System.Text.Json;

namespace Smi.Retention.Policies;

/// <summary>A JSON value with the line and column where it starts, for error messages that point at the file.</summary>
internal abstract record PlacedNode(int Line, int Column)
{
    public string Where => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {Line}, column {Column}");

    public abstract string Kind { get; }

    /// <summary>
    /// Reads a whole document as strict JSON (RFC 8259), so that every file the tool accepts, jq,
    /// Python and schema validators read too: a comment, a trailing comma or a byte-order mark is
    /// refused at its place, saying so. Nesting deeper than <see cref="PolicyLimits.MaxJsonDepth"/>
    /// and strings that are not valid text (invalid UTF-8, lone surrogate escapes) are errors too.
    /// </summary>
    /// <exception cref="JsonRefusedException">The text is not such JSON; the exception carries the 1-based line and column (in characters).</exception>
    public static PlacedNode Parse(byte[] utf8)
    {
        var lines = LineStarts(utf8);
        if (utf8.AsSpan().StartsWith("\uFEFF"u8))
        {
            throw new JsonRefusedException(Messages.JsonByteOrderMark(), 1, 1);
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        try
        {
            if (!reader.Read())
            {
                throw new JsonRefusedException(Messages.MalformedJson("The file is empty."), 1, 1);
            }

            var node = ReadValue(ref reader, utf8, lines, 1);
            if (reader.Read())
            {
                var (line, column) = Locate(lines, utf8, (int)reader.TokenStartIndex);
                throw new JsonRefusedException(Messages.MalformedJson("There is more after the end of the JSON value."), line, column);
            }

            return node;
        }
        catch (JsonException e) when (e is not JsonRefusedException)
        {
            throw Refused(e, utf8, lines);
        }
    }

    /// <summary>
    /// System.Text.Json's error at its place in characters (it counts bytes), and in the words of a
    /// policy file: a comment or a trailing comma is named as such, at its own first character.
    /// </summary>
    private static JsonRefusedException Refused(JsonException e, byte[] utf8, List<int> lines)
    {
        // System.Text.Json counts lines by '\n' alone; the file's place is then located as editors count lines.
        var newlines = LineStarts(utf8, carriageReturns: false);
        var line = (int)Math.Clamp(e.LineNumber ?? 0, 0, newlines.Count - 1);
        var offset = (int)Math.Min(newlines[line] + (e.BytePositionInLine ?? 0), utf8.Length);
        var at = offset;
        while (at < utf8.Length && utf8[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            at++;
        }

        if (at < utf8.Length && utf8[at] == (byte)'/')
        {
            var (commentLine, commentColumn) = Locate(lines, utf8, at);
            return new JsonRefusedException(Messages.JsonComment(), commentLine, commentColumn);
        }

        var back = Math.Min(at, utf8.Length) - 1;
        while (back >= 0 && utf8[back] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            back--;
        }

        if (back >= 0 && utf8[back] == (byte)',' && at < utf8.Length && utf8[at] is (byte)'}' or (byte)']')
        {
            var (commaLine, commaColumn) = Locate(lines, utf8, back);
            return new JsonRefusedException(Messages.JsonTrailingComma(), commaLine, commaColumn);
        }

        // System.Text.Json ends its message with where it stopped, which the problem's place already says.
        var cut = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = (cut >= 0 ? e.Message[..cut] : e.Message).Trim();
        var (errorLine, errorColumn) = Locate(lines, utf8, offset);
        return new JsonRefusedException(Messages.MalformedJson(reason), errorLine, errorColumn);
    }

    private static PlacedNode ReadValue(ref Utf8JsonReader reader, byte[] utf8, List<int> lines, int depth)
    {
        var (line, column) = Locate(lines, utf8, (int)reader.TokenStartIndex);
        if (depth > PolicyLimits.MaxJsonDepth && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            throw new JsonRefusedException(Messages.JsonTooDeep(PolicyLimits.MaxJsonDepth), line, column);
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var members = new List<PlacedMember>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (nameLine, nameColumn) = Locate(lines, utf8, (int)reader.TokenStartIndex);
                    var name = Text(ref reader, nameLine, nameColumn);
                    reader.Read();
                    members.Add(new PlacedMember(name, nameLine, nameColumn, ReadValue(ref reader, utf8, lines, depth + 1)));
                }

                return new PlacedObject(members, line, column);
            case JsonTokenType.StartArray:
                var items = new List<PlacedNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, utf8, lines, depth + 1));
                }

                return new PlacedArray(items, line, column);
            case JsonTokenType.String:
                var value = Text(ref reader, line, column);
                return new PlacedString(value, line, column) { Columns = reader.ValueIsEscaped ? Columns(reader.ValueSpan, column + 1, value.Length) : null };
            case JsonTokenType.Number:
                return new PlacedOther("a number", line, column);
            case JsonTokenType.True:
            case JsonTokenType.False:
                return new PlacedBool(reader.GetBoolean(), line, column);
            default:
                return new PlacedOther("null", line, column);
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

    /// <summary>The column of each character of a string's value (and one past its end), from its raw, escaped bytes.</summary>
    private static int[] Columns(ReadOnlySpan<byte> raw, int column, int length)
    {
        var columns = new int[length + 1];
        var k = 0;
        for (var i = 0; i < raw.Length && k < length;)
        {
            if (raw[i] == (byte)'\\')
            {
                var width = raw[i + 1] == (byte)'u' ? 6 : 2;
                columns[k++] = column;
                column += width;
                i += width;
                continue;
            }

            System.Text.Rune.DecodeFromUtf8(raw[i..], out var rune, out var used);
            for (var unit = 0; unit < rune.Utf16SequenceLength && k < length; unit++)
            {
                columns[k++] = column++;
            }

            i += used;
        }

        columns[length] = column;
        return columns;
    }

    /// <summary>Where each line starts: after "\n", "\r\n", or (as editors count them) a lone "\r".</summary>
    private static List<int> LineStarts(byte[] utf8, bool carriageReturns = true)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n' || (carriageReturns && utf8[i] == (byte)'\r' && (i + 1 == utf8.Length || utf8[i + 1] != (byte)'\n')))
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

internal sealed record PlacedMember(string Name, int Line, int Column, PlacedNode Value)
{
    public string Where => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {Line}, column {Column}");
}

internal sealed record PlacedObject(IReadOnlyList<PlacedMember> Members, int Line, int Column) : PlacedNode(Line, Column)
{
    public override string Kind => "an object";
}

internal sealed record PlacedArray(IReadOnlyList<PlacedNode> Items, int Line, int Column) : PlacedNode(Line, Column)
{
    public override string Kind => "an array";
}

internal sealed record PlacedString(string Value, int Line, int Column) : PlacedNode(Line, Column)
{
    public override string Kind => "a string";

    /// <summary>The file's column of each character of <see cref="Value"/> and of its end, when the string has escapes; null when it has none.</summary>
    public int[]? Columns { get; init; }

    /// <summary>The file's column of the character of <see cref="Value"/> at <paramref name="index"/> (a string is on one line: JSON has no raw line breaks in strings).</summary>
    public int ColumnAt(int index) => Columns is { } columns ? columns[Math.Clamp(index, 0, columns.Length - 1)] : Column + 1 + index;
}

internal sealed record PlacedBool(bool Value, int Line, int Column) : PlacedNode(Line, Column)
{
    public override string Kind => Value ? "true" : "false";
}

internal sealed record PlacedOther(string Description, int Line, int Column) : PlacedNode(Line, Column)
{
    public override string Kind => Description;
}

/// <summary>JSON that parses but that a policy file may not hold; the message is complete, the place 1-based.</summary>
internal sealed class JsonRefusedException(string message, int line, int column) : JsonException(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
