namespace Smi.Retention.Inventory;

/// <summary>
/// One line of CSV split into fields (RFC 4180 within a line): fields are separated by commas; a
/// field may be quoted, with <c>""</c> for a quote inside it, and may then hold commas. A record is
/// one line, so a quote error is confined to its line: a quoted field must close on the same line
/// and be followed by a comma or the line end, and a quote may not appear inside an unquoted field.
/// </summary>
internal static class CsvLine
{
    /// <summary>Splits <paramref name="line"/>; the field ranges go into <paramref name="fields"/>, grown as needed.</summary>
    /// <returns>The number of fields, or -1 with <paramref name="error"/> set.</returns>
    public static int Split(ReadOnlySpan<char> line, ref CsvField[] fields, out CsvLineError error)
    {
        error = default;
        var count = 0;
        var i = 0;
        while (true)
        {
            if (count == fields.Length)
            {
                Array.Resize(ref fields, fields.Length * 2);
            }

            if (i < line.Length && line[i] == '"')
            {
                var j = i + 1;
                var doubled = false;
                while (true)
                {
                    var next = line[j..].IndexOf('"');
                    if (next < 0)
                    {
                        error = new CsvLineError(CsvLineProblem.Unterminated, count, i);
                        return -1;
                    }

                    j += next;
                    if (j + 1 < line.Length && line[j + 1] == '"')
                    {
                        doubled = true;
                        j += 2;
                        continue;
                    }

                    break;
                }

                fields[count++] = new CsvField(i + 1, j - i - 1, doubled);
                i = j + 1;
                if (i == line.Length)
                {
                    return count;
                }

                if (line[i] != ',')
                {
                    error = new CsvLineError(CsvLineProblem.AfterClosingQuote, count - 1, i);
                    return -1;
                }

                i++;
                continue;
            }

            var stop = line[i..].IndexOfAny(',', '"');
            if (stop >= 0 && line[i + stop] == '"')
            {
                error = new CsvLineError(CsvLineProblem.QuoteInUnquoted, count, i + stop);
                return -1;
            }

            var end = stop < 0 ? line.Length : i + stop;
            fields[count++] = new CsvField(i, end - i, false);
            if (stop < 0)
            {
                return count;
            }

            i = end + 1;
        }
    }

    /// <summary>A field's text: the range itself, or with doubled quotes made single (allocated only then).</summary>
    public static ReadOnlySpan<char> Value(ReadOnlySpan<char> line, CsvField field)
    {
        var text = line.Slice(field.Start, field.Length);
        return field.HasDoubledQuotes ? text.ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : text;
    }
}
