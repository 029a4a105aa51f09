using System.Text.Unicode;
using NodaTime;
using Smi.Retention.Text;

namespace Smi.Retention.Inventory;

/// <summary>
/// Turns one physical line of an inventory into a row: a record, or a reject with its line number
/// and every problem found in it. Each reading thread has its own (it keeps buffers and the
/// facts of the rows it has met, by their bytes), so lines can be parsed on several cores at once.
/// </summary>
internal sealed class RowParser(InventoryHeader header, LocalDate? asOf)
{
    private readonly int _asOfKey = asOf is { } date ? RetentionCalendar.DateKey(date) : int.MaxValue; // a row after it is a reject
    private readonly DetailsTable _details = new();
    private readonly int[] _commas = new int[header.Names.Length - 1];
    private char[] _text = new char[256];
    private CsvField[] _fields = new CsvField[16];

    /// <summary>The bytes of an overlong line kept to tell which device it names.</summary>
    public const int PrefixBytes = 4096;

    /// <summary>A line longer than <see cref="LineReader.MaxLineBytes"/>: a reject saying how long it was, naming the device its first bytes name.</summary>
    /// <param name="line">The line's number.</param>
    /// <param name="length">Its length in bytes.</param>
    /// <param name="prefix">Its first bytes, to show its device_id value.</param>
    /// <param name="scan">The whole line's identifiers, read as it was skipped.</param>
    public InventoryRow TooLong(long line, long length, ReadOnlySpan<byte> prefix, DeviceIdScan scan) =>
        Reject(line, IdOf(prefix), Messages.LineTooLong(length), scan);

    /// <summary>
    /// The device_id value of a line that cannot be read as a row, to show: the value in the
    /// device_id column with commas counted as if nothing were quoted, bytes that are not UTF-8
    /// replaced. The devices the reject names are found in the whole line (<see cref="NamesIn(ReadOnlySpan{byte})"/>).
    /// </summary>
    internal string IdOf(ReadOnlySpan<byte> bytes)
    {
        var rest = bytes;
        for (var column = 0; column < header.Required[0]; column++)
        {
            var comma = rest.IndexOf((byte)',');
            if (comma < 0)
            {
                return "";
            }

            rest = rest[(comma + 1)..];
        }

        var end = rest.IndexOf((byte)',');
        return System.Text.Encoding.UTF8.GetString((end < 0 ? rest : rest[..end]).Trim(" \t\r"u8));
    }

    /// <summary>The identifiers of a text (<see cref="DeviceIdScan"/>): a device_id value, or a whole line when its values cannot be told apart.</summary>
    private static DeviceIdScan NamesIn(ReadOnlySpan<char> text)
    {
        var scan = new DeviceIdScan();
        scan.Add(text);
        return scan;
    }

    /// <summary>As for text, for bytes (those that are not UTF-8 replaced).</summary>
    private static DeviceIdScan NamesIn(ReadOnlySpan<byte> bytes)
    {
        var scan = new DeviceIdScan();
        scan.AddUtf8(bytes);
        return scan;
    }

    /// <summary>Parses a line's bytes (its line end removed) into <paramref name="row"/>, which may be an element of the caller's array: the row is built there, not copied there.</summary>
    public void Parse(long line, ReadOnlySpan<byte> bytes, out InventoryRow row) => Parse(line, bytes, bytes, out row);

    /// <summary>As <see cref="Parse(long, ReadOnlySpan{byte}, out InventoryRow)"/>, <paramref name="readable"/> the line's bytes and those that follow it in the caller's buffer (read, never taken into the row), so that the fast path reads its facts' key in place.</summary>
    public void Parse(long line, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> readable, out InventoryRow row)
    {
        if (!TryPlain(line, bytes, readable, out row))
        {
            row = ParseAny(line, bytes);
        }
    }

    /// <summary>
    /// The fast path, for the line almost every inventory is made of: printable ASCII, no quotes,
    /// one value a column, nothing to trim, every value valid. It parses the bytes as they are,
    /// with no decoding and no general CSV split, and gives up (false) on anything else, which
    /// <see cref="ParseAny"/> then reads: it accepts a subset of what that accepts, with the same record.
    /// </summary>
    internal bool TryPlain(long line, ReadOnlySpan<byte> bytes, out InventoryRow row) => TryPlain(line, bytes, bytes, out row);

    /// <summary>As <see cref="TryPlain(long, ReadOnlySpan{byte}, out InventoryRow)"/>, <paramref name="readable"/> the line's bytes and those after it (<see cref="Parse(long, ReadOnlySpan{byte}, ReadOnlySpan{byte}, out InventoryRow)"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal bool TryPlain(long line, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> readable, out InventoryRow row)
    {
        row = default;
        if (bytes.IsEmpty)
        {
            return false;
        }

        if (_lineDateColumn > 0 && readable.Length >= PlainCsv.LeadingBytes && TryMet(line, bytes, readable, out row))
        {
            return true;
        }

        // Controls, quotes, anything not ASCII, and more or fewer values than columns go to the general path.
        if (PlainCsv.Commas(bytes, _commas) != _commas.Length)
        {
            return false;
        }

        // The facts' key and its slot's first word read first, so that the slot is on its way from
        // memory while the id and date are read (the table is too large for the nearest caches).
        var start = _commas[0] + 1;
        var byLine = _lineDateColumn > 0 && bytes.Length - start <= LineKey.MaxLength;
        LineKey lineKey = default;
        ulong lineHash = 0, peeked = 0;
        if (byLine)
        {
            lineKey = LineKey.Of(readable.Length - start >= LineKey.MaxLength ? readable[start..] : Padded(bytes[start..]), bytes.Length - start, _commas[_lineDateColumn - 1] + 1 - start);
            lineHash = _details.Hash(lineKey);
            peeked = _details.Peek(lineHash);
        }

        if (!TryIdAndDate(Value(bytes, header.Required[0]), Value(bytes, header.Required[3]), out var id, out var sinceKey))
        {
            return false; // a reject: the general path words it
        }

        if (_afterHistoryUnread && !Value(bytes, header.Required[4]).IsEmpty && SpillsHistory(Value(bytes, header.AfterHistory)))
        {
            return false; // a reject: the general path words it
        }

        // The row's other facts, by their key when met before; else read, and kept when valid. The
        // key is the line's (above) in the common layout, else its facts' columns copied out.
        var key = byLine ? default : FactsKey(bytes);
        ulong hash = 0;
        if (!(byLine ? _details.TryFacts(lineKey, lineHash, peeked, out var facts) : _details.TryFacts(key, out hash, out facts)))
        {
            if (!TryPlainFacts(bytes, out facts))
            {
                return false;
            }

            if (byLine)
            {
                _details.Keep(lineKey, lineHash, facts);
            }
            else
            {
                _details.Keep(key, hash, facts);
            }
        }

        Make(line, id, sinceKey, facts, out row);
        return true;
    }

    /// <summary>
    /// A row of the common layout whose facts were met before, as most are: found by its key with
    /// only its id and date read. Its other bytes are not scanned: the key holds them, equal to
    /// those of a row found plain and valid (its facts, its commas, the history check), and a row
    /// whose date stood elsewhere has bytes where that row's date was, so no equal key (<see cref="LineKey"/>).
    /// Scanning them was the line's largest cost after the lookup (benchmarks/results/SUMMARY.md).
    /// False sends the row the whole way (<see cref="TryPlain(long, ReadOnlySpan{byte}, ReadOnlySpan{byte}, out InventoryRow)"/>).
    /// </summary>
    private bool TryMet(long line, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> readable, out InventoryRow row)
    {
        row = default;
        if (!PlainCsv.TryLeadingCommas(readable, bytes.Length, _lineDateColumn, out var idEnd, out var beforeDate))
        {
            return false;
        }

        var start = idEnd + 1;
        var dateAt = beforeDate + 1 - start;
        if (bytes.Length - start > LineKey.MaxLength || beforeDate + 1 + LondonDates.IsoDateLength > bytes.Length)
        {
            return false;
        }

        var key = LineKey.Of(readable.Length - start >= LineKey.MaxLength ? readable[start..] : Padded(bytes[start..]), bytes.Length - start, dateAt);
        var hash = _details.Hash(key);
        var peeked = _details.Peek(hash);
        if (!TryIdAndDate(bytes[..idEnd], bytes.Slice(beforeDate + 1, LondonDates.IsoDateLength), out var id, out var sinceKey)
            || !_details.TryFacts(key, hash, peeked, out var facts))
        {
            return false;
        }

        Make(line, id, sinceKey, facts, out row);
        return true;
    }

    /// <summary>A plain row's id and status date, from their columns' bytes: false (for the general path, which words the reject) when either does not read as written, has a space at either end (which the general path trims), or the date is after the as-of date.</summary>
    private bool TryIdAndDate(ReadOnlySpan<byte> idText, ReadOnlySpan<byte> dateText, out DeviceId id, out int sinceKey)
    {
        sinceKey = 0;
        return DeviceId.TryParseUtf8(Unspaced(idText), out id)
            && LondonDates.TryParseIsoDateKey(Unspaced(dateText), out sinceKey)
            && sinceKey <= _asOfKey;
    }

    /// <summary>
    /// The row of a plain line, made where <paramref name="row"/> is (the caller's array: a row made
    /// elsewhere and copied there cost a bulk copy with write barriers, 4.7% of a pass). The fields
    /// are those DeviceRecord.TryCreate checks (FitsRecord), the date a valid ISO date's key.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Make(long line, DeviceId id, int sinceKey, in RowFacts facts, out InventoryRow row) =>
        row = new(line, new DeviceRecord(id.Value, facts.Type, facts.Status, sinceKey, facts.PriorBits, facts.Generation, facts.Details), null, null);

    /// <summary>The facts of a plain row other than its id and date, when every one is valid and fits a record; false for the general path.</summary>
    private bool TryPlainFacts(ReadOnlySpan<byte> bytes, out RowFacts facts)
    {
        facts = default;
        if (!EnumNames<DeviceType>.TryParseAscii(Plain(bytes, header.Required[1]), out var type)
            || !EnumNames<SmiStatus>.TryParseAscii(Plain(bytes, header.Required[2]), out var status)
            || !TryPlainStatuses(Value(bytes, header.Required[4]), out var prior)
            || !DeviceTypes.FitsRecord(type, status, prior))
        {
            return false; // a reject: the general path words it
        }

        // The optional columns: empty is unknown; spaces at either end, or a model too long, go to the general path.
        var generation = SmetsGeneration.Unknown;
        if (header.Generation >= 0 && Value(bytes, header.Generation) is { IsEmpty: false } generationBytes
            && !SmetsGenerations.TryParseAscii(generationBytes, out generation))
        {
            return false;
        }

        var party = header.Party >= 0 ? Value(bytes, header.Party) : default;
        var model = header.Model >= 0 ? Value(bytes, header.Model) : default;
        if ((!party.IsEmpty && (party[0] == (byte)' ' || party[^1] == (byte)' '))
            || (!model.IsEmpty && (model[0] == (byte)' ' || model[^1] == (byte)' ' || model.Length > SmetsGenerations.MaxModelLength))
            || (header.AfterHistory >= 0 && !_afterHistoryUnread && !Value(bytes, header.Required[4]).IsEmpty && SpillsHistory(Value(bytes, header.AfterHistory))))
        {
            return false;
        }

        facts = new RowFacts(type, status, prior.Bits, generation, _details.DetailsOf(party, model));
        return true;
    }

    /// <summary>
    /// The bytes of the columns of a row's facts (<see cref="_factRuns"/>) in <see cref="_key"/>,
    /// each run of adjacent columns as it is (commas and all) and a comma between runs: a plain
    /// row's commas are exactly its separators, so the bytes tell every fact exactly. Empty when
    /// they are too long to keep.
    /// </summary>
    private ReadOnlySpan<byte> FactsKey(ReadOnlySpan<byte> bytes)
    {
        var length = 0;
        foreach (var (first, last) in _factRuns)
        {
            var run = bytes[(first == 0 ? 0 : _commas[first - 1] + 1)..(last == _commas.Length ? bytes.Length : _commas[last])];
            if (length > 0)
            {
                if (length == _key.Length)
                {
                    return default;
                }

                _key[length++] = (byte)',';
            }

            if (length + run.Length > _key.Length)
            {
                return default;
            }

            run.CopyTo(_key.AsSpan(length));
            length += run.Length;
        }

        return _key.AsSpan(0, length);
    }

    /// <summary>The bytes after a row's first comma at the start of a buffer of <see cref="LineKey.MaxLength"/>, for a row at the end of the caller's.</summary>
    private ReadOnlySpan<byte> Padded(ReadOnlySpan<byte> rest)
    {
        rest.CopyTo(_padded);
        return _padded;
    }

    private readonly byte[] _padded = new byte[LineKey.MaxLength];

    // The status date's column when the layout is the common one (device_id first, every other
    // column a fact or the date) and keys can be made (LineKey); else 0, and the key is built
    // from the facts' columns.
    private readonly int _lineDateColumn = LineDateColumn(header);

    private static int LineDateColumn(InventoryHeader header)
    {
        int[] facts = [header.Required[1], header.Required[2], header.Required[3], header.Required[4], header.Generation, header.Model, header.Party];
        return LineKey.IsSupported && header.Required[0] == 0
            && Enumerable.Range(1, header.Names.Length - 1).All(facts.Contains)
            ? header.Required[3] : 0;
    }

    // The columns of a row's facts other than its id and date, as runs of adjacent columns (in the
    // usual layout two: type and status, then prior statuses to the party).
    private readonly (int First, int Last)[] _factRuns = FactRuns(header);
    private readonly byte[] _key = new byte[DetailsTable.MaxKeptBytes];

    private static (int First, int Last)[] FactRuns(InventoryHeader header)
    {
        var columns = new[] { header.Required[1], header.Required[2], header.Required[4], header.Generation, header.Model, header.Party }
            .Where(c => c >= 0).Distinct().Order().ToArray();
        var runs = new List<(int First, int Last)>();
        foreach (var column in columns)
        {
            if (runs.Count > 0 && runs[^1].Last == column - 1)
            {
                runs[^1] = (runs[^1].First, column);
            }
            else
            {
                runs.Add((column, column));
            }
        }

        return [.. runs];
    }

    /// <summary>The record with the party and model this thread keeps once (a checked record has neither).</summary>
    private DeviceRecord WithDetails(in DeviceRecord record, string? party, string? model) =>
        party is null && model is null ? record
            : new DeviceRecord(record.Id.Value, record.Type, record.Status, record.SinceKey, record.PriorStatuses.Bits, record.Generation, _details.Details(party, model));

    // Whether the column after the history is one the facts do not hold (checked on every row, not once a kind of row).
    private readonly bool _afterHistoryUnread = header.AfterHistory >= 0 && header.AfterHistory != header.Party && header.AfterHistory != header.Model;

    /// <summary>
    /// Whether the value in <see cref="InventoryHeader.AfterHistory"/> reads as a history (one or more
    /// statuses, separated by ';', any spelling the history takes), once invisible characters are
    /// left out: the rest of a history written with ',' (<see cref="Messages.HistorySpilled"/>),
    /// asked only when the row's own history is not empty (a history cut by a ',' leaves its first
    /// statuses there), so a party or model of "Pending" or "Not Applicable" beside no history is kept.
    /// </summary>
    private static bool SpillsHistory(ReadOnlySpan<char> value)
    {
        // The longest history: every status, each with its separator.
        const int Longest = 160;
        Span<char> kept = stackalloc char[Longest];
        var length = 0;
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                continue;
            }

            if (length == Longest)
            {
                return false;
            }

            kept[length++] = c;
        }

        return length > 0 && SmiStatusSet.TryParse(kept[..length], out var history, out _) && !history.IsEmpty;
    }

    /// <summary>As for text, for a plain row's bytes (printable ASCII).</summary>
    private static bool SpillsHistory(ReadOnlySpan<byte> ascii)
    {
        Span<char> chars = stackalloc char[256];
        return ascii.Length <= chars.Length
            ? System.Text.Ascii.ToUtf16(ascii, chars, out var written) == System.Buffers.OperationStatus.Done && SpillsHistory(chars[..written])
            : SpillsHistory(System.Text.Encoding.ASCII.GetString(ascii));
    }

    /// <summary>A column's bytes, between the commas found.</summary>
    private ReadOnlySpan<byte> Value(ReadOnlySpan<byte> bytes, int column)
    {
        var start = column == 0 ? 0 : _commas[column - 1] + 1;
        var end = column == _commas.Length ? bytes.Length : _commas[column];
        return bytes[start..end];
    }

    /// <summary>A column's bytes; empty (so refused) when they have a space at either end, which the general path trims.</summary>
    private ReadOnlySpan<byte> Plain(ReadOnlySpan<byte> bytes, int column) => Unspaced(Value(bytes, column));

    /// <summary>A value's bytes; empty (so refused) when they have a space at either end, which the general path trims.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Unspaced(ReadOnlySpan<byte> value) =>
        value.IsEmpty || value[0] == (byte)' ' || value[^1] == (byte)' ' ? default : value;

    /// <summary>Prior statuses as <c>Name;Name</c> (empty entries skipped, as the general path does); false on anything else.</summary>
    private static bool TryPlainStatuses(ReadOnlySpan<byte> text, out SmiStatusSet set)
    {
        set = SmiStatusSet.Empty;
        while (true)
        {
            var end = text.IndexOf((byte)';');
            var entry = end < 0 ? text : text[..end];
            if (!entry.IsEmpty)
            {
                if (entry[0] == (byte)' ' || entry[^1] == (byte)' ' || !EnumNames<SmiStatus>.TryParseAscii(entry, out var status))
                {
                    return false;
                }

                set = SmiStatusSet.FromBitsUnchecked((ushort)(set.Bits | (1 << (int)status))); // a declared status: its name was read
            }

            if (end < 0)
            {
                return true;
            }

            text = text[(end + 1)..];
        }
    }

    /// <summary>The general path: any line, with the general CSV split and every problem named.</summary>
    internal InventoryRow ParseAny(long line, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return Reject(line, default, Messages.EmptyLine(), new DeviceIdScan());
        }

        if (!Decode(bytes, ref _text, out var text, out var badByte))
        {
            return Reject(line, IdOf(bytes), Messages.NotUtf8(badByte + 1), NamesIn(bytes));
        }

        var count = CsvLine.Split(text, ref _fields, out var quote);
        return count < 0
            ? Reject(line, IdOf(bytes), Messages.QuoteError(quote, header.Name(quote.Field)), NamesIn(text))
            : Parse(line, text, count);
    }

    /// <summary>Decodes a line as strict UTF-8: a byte that is not UTF-8 makes the line a reject, never a replacement character.</summary>
    public static bool Decode(ReadOnlySpan<byte> bytes, ref char[] buffer, out ReadOnlySpan<char> text, out int badByte)
    {
        if (buffer.Length < bytes.Length)
        {
            buffer = new char[Math.Max(bytes.Length, buffer.Length * 2)];
        }

        var status = Utf8.ToUtf16(bytes, buffer, out var read, out var written, replaceInvalidSequences: false);
        text = buffer.AsSpan(0, written);
        badByte = read;
        return status == System.Buffers.OperationStatus.Done;
    }

    private InventoryRow Parse(long line, ReadOnlySpan<char> csv, int count)
    {
        if (count <= header.LastRequired)
        {
            return Reject(line, count > header.Required[0] ? Value(csv, header.Required[0]) : default, Messages.TooFewColumns(count, header.LastRequired + 1), NamesIn(csv));
        }

        // More values than the header has columns: a comma that should have been quoted (or a ';')
        // has shifted values, so no value of the row can be trusted to be in its column.
        if (count > header.Names.Length)
        {
            for (var extra = header.Names.Length; extra < count; extra++)
            {
                if (!Value(csv, extra).Trim().IsEmpty)
                {
                    return Reject(line, Value(csv, header.Required[0]).Trim(), Messages.TooManyValues(count, header.Names.Length), NamesIn(csv));
                }
            }
        }

        var idText = Value(csv, header.Required[0]).Trim();
        var typeText = Value(csv, header.Required[1]);
        var statusText = Value(csv, header.Required[2]);
        var sinceText = Value(csv, header.Required[3]);
        var priorText = Value(csv, header.Required[4]);
        List<string>? errors = null;

        var id = Field(InventoryColumns.DeviceId, idText, DeviceId.TryParse(idText, out var parsedId, out var idError), idError, ref errors) ? parsedId : default;
        var type = Field(InventoryColumns.DeviceType, typeText, DeviceTypes.TryParse(typeText, out var parsedType, out var typeError), typeError, ref errors) ? parsedType : default;
        var status = Field(InventoryColumns.Status, statusText, SmiStatuses.TryParse(statusText, out var parsedStatus, out var statusError), statusError, ref errors) ? parsedStatus : default;
        var since = Field(InventoryColumns.StatusSince, sinceText, LondonDates.TryParseDateOrInstant(sinceText, out var parsedSince, out var sinceError), sinceError, ref errors) ? parsedSince : default;
        if (!SmiStatusSet.TryParse(priorText, out var prior, out var badPrior))
        {
            var priorError = SmiStatuses.TryParse(badPrior, out _, out var statusError2) ? "" : statusError2;
            (errors ??= []).Add(InventoryColumns.PriorStatuses + ": " + priorError);
        }

        // The optional columns, each problem listed with the others: empty is unknown, anything else must be valid.
        string? party = null;
        if (header.Party >= 0 && header.Party < count && Value(csv, header.Party).Trim() is { IsEmpty: false } partyText)
        {
            party = _details.Text(partyText);
            if (!Untrusted.IsPrintableText(party))
            {
                (errors ??= []).Add(Messages.PartyNotPrintable(Untrusted.Show(partyText)));
            }
        }

        var generation = SmetsGeneration.Unknown;
        if (header.Generation >= 0 && header.Generation < count && Value(csv, header.Generation).Trim() is { IsEmpty: false } generationText
            && !SmetsGenerations.TryParse(generationText, out generation, out _))
        {
            (errors ??= []).Add(Messages.BadGeneration(Untrusted.Show(generationText, 40)));
        }

        if (header.AfterHistory >= 0 && header.AfterHistory < count && !priorText.Trim().IsEmpty && SpillsHistory(Value(csv, header.AfterHistory)))
        {
            (errors ??= []).Add(Messages.HistorySpilled(header.Name(header.AfterHistory), Untrusted.Show(Value(csv, header.AfterHistory).Trim(), 80)));
        }

        string? model = null;
        if (header.Model >= 0 && header.Model < count && Value(csv, header.Model).Trim() is { IsEmpty: false } modelText)
        {
            model = _details.Model(modelText);
            if (!SmetsGenerations.IsValidModel(model, out var modelError))
            {
                (errors ??= []).Add(Messages.BadModel(modelError));
            }
        }

        if (errors is not null)
        {
            return Reject(line, idText, string.Join(" ", errors), csv);
        }

        if (!DeviceRecord.TryCreate(id, type, status, since, prior, null, generation, null, out var record, out var recordError))
        {
            return Reject(line, idText, recordError, csv);
        }

        if (asOf is { } date && since > date)
        {
            return Reject(line, idText, Messages.AfterAsOf(since, date), csv);
        }

        return new InventoryRow(line, WithDetails(record, party, model), null, null);
    }

    private ReadOnlySpan<char> Value(ReadOnlySpan<char> csv, int column) => CsvLine.Value(csv, _fields[column]);

    private static bool Field(string column, ReadOnlySpan<char> text, bool parsed, string? error, ref List<string>? errors)
    {
        if (parsed)
        {
            return true;
        }

        (errors ??= []).Add(text.Trim().IsEmpty ? Messages.EmptyValue(column) : column + ": " + error);
        return false;
    }

    /// <summary>
    /// The last line of an input that has no line end: a reject whatever it holds, since an export
    /// or a stream cut off part-way ends so (a history that lost its last status, an instant that
    /// lost its time), and what it would decide cannot be trusted.
    /// </summary>
    public static InventoryRow CutOff(in InventoryRow row) =>
        new(row.Line, default, row.IdText ?? (row.IsAccepted ? row.Record.Id.ToString() : ""), Messages.CutOff(row.Error))
        {
            Names = row.IsAccepted ? [row.Record.Id] : row.Names,
        };

    /// <summary>
    /// A reject: its device_id value as written (shown safely), naming the identifiers of
    /// <paramref name="scan"/>: of the whole line, when its values cannot be told apart, since a
    /// value shifted or a quote broken may have moved the identifier anywhere.
    /// </summary>
    private static InventoryRow Reject(long line, ReadOnlySpan<char> idText, string error, DeviceIdScan scan) =>
        new(line, default, Untrusted.Show(idText, 64), error) { Names = scan.All is { Length: > 0 } names ? names : null, NamesTooMany = scan.TooMany };

    /// <summary>
    /// A reject whose values were told apart: it names every identifier of its device_id value, or,
    /// when that holds none (the device cannot be told from it: an identifier cut by a comma, say),
    /// every identifier of <paramref name="wholeLine"/>.
    /// </summary>
    private static InventoryRow Reject(long line, ReadOnlySpan<char> idText, string error, ReadOnlySpan<char> wholeLine)
    {
        var scan = NamesIn(idText);
        return Reject(line, idText, error, scan.All.Length > 0 || scan.TooMany ? scan : NamesIn(wholeLine));
    }

    /// <summary>The device models this thread has met, or null when too many to keep.</summary>
    public IReadOnlySet<string>? Models => _details.Models;
}
