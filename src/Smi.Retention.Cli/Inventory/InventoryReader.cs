using System.Globalization;
using nietras.SeparatedValues;
using NodaTime;
using NodaTime.Text;

namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// Streams an inventory CSV (Sep: fast, allocation-free per row): header matched by name, quoted
/// fields and CRLF line ends allowed. Every data row comes out either as a record or as a reject
/// with its line number and every problem found in it; nothing is dropped.
/// </summary>
internal sealed class InventoryReader : IDisposable
{
    private readonly SepReader _reader;
    private readonly FileStream? _file;
    private readonly int[] _required;
    private readonly int _party;
    private readonly int _lastRequired;
    private readonly LocalDate? _asOf;
    private readonly Dictionary<string, string> _parties = new(StringComparer.Ordinal);

    private InventoryReader(SepReader reader, FileStream? file, string source, LocalDate? asOf)
    {
        _reader = reader;
        _file = file;
        _asOf = asOf;
        if (reader.Header.IsEmpty)
        {
            throw new UsageException(CliMessages.NoHeader(source));
        }

        var missing = InventoryColumns.Required.Where(c => !reader.Header.TryIndexOf(c, out _)).ToArray();
        if (missing.Length > 0)
        {
            throw new UsageException(CliMessages.MissingColumns(source, missing, reader.Header.ColNames));
        }

        _required = reader.Header.IndicesOf(InventoryColumns.Required);
        _party = reader.Header.TryIndexOf(InventoryColumns.NotifyingParty, out var party) ? party : -1;
        _lastRequired = _required.Max();
    }

    /// <summary>Bytes of the file read so far, for progress.</summary>
    public long Position => _file?.Position ?? 0;

    /// <summary>The file's length in bytes.</summary>
    public long Length => _file?.Length ?? 0;

    /// <summary>Opens a file; rows whose status applies after <paramref name="asOf"/> are rejected (duplicates are the caller's to find).</summary>
    public static InventoryReader Open(string path, LocalDate? asOf)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException(CliMessages.Unreadable(path, e.Message));
        }

        try
        {
            var reader = Options().From(file);
            return new InventoryReader(reader, file, path, asOf);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads CSV text held in memory (tests, small inputs).</summary>
    public static InventoryReader FromText(string text, LocalDate? asOf) =>
        new(Options().FromText(text), null, "text", asOf);

    private static SepReaderOptions Options() =>
        Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true, CultureInfo = CultureInfo.InvariantCulture });

    /// <summary>Reads the next data row; false at the end of the file.</summary>
    public bool Read(out InventoryRow row)
    {
        if (!_reader.MoveNext())
        {
            row = default;
            return false;
        }

        row = Parse(_reader.Current);
        return true;
    }

    private InventoryRow Parse(SepReader.Row csv)
    {
        var line = csv.LineNumberFrom;
        if (csv.ColCount <= _lastRequired)
        {
            return Reject(line, csv.ColCount > _required[0] ? csv[_required[0]].Span : default, CliMessages.TooFewColumns(csv.ColCount, _lastRequired + 1));
        }

        var idText = csv[_required[0]].Span.Trim();
        var typeText = csv[_required[1]].Span;
        var statusText = csv[_required[2]].Span;
        var sinceText = csv[_required[3]].Span;
        var priorText = csv[_required[4]].Span;
        List<string>? errors = null;

        var id = Field(InventoryColumns.DeviceId, idText, DeviceId.TryParse(idText, out var parsedId, out var idError), idError, ref errors) ? parsedId : default;
        var type = Field(InventoryColumns.DeviceType, typeText, DeviceTypes.TryParse(typeText, out var parsedType, out var typeError), typeError, ref errors) ? parsedType : default;
        var status = Field(InventoryColumns.Status, statusText, SmiStatuses.TryParse(statusText, out var parsedStatus, out var statusError), statusError, ref errors) ? parsedStatus : default;
        var since = Field(InventoryColumns.StatusSince, sinceText, LondonDates.TryParseDateOrInstant(sinceText, out var parsedSince, out var sinceError), sinceError, ref errors) ? parsedSince : default;
        var prior = SmiStatusSet.Empty;
        if (!SmiStatusSet.TryParse(priorText, out prior, out var badPrior))
        {
            var priorError = SmiStatuses.TryParse(badPrior, out _, out var statusError2) ? "" : statusError2;
            (errors ??= []).Add(InventoryColumns.PriorStatuses + ": " + priorError);
        }

        if (errors is not null)
        {
            return Reject(line, idText, string.Join(" ", errors));
        }

        string? party = null;
        if (_party >= 0 && _party < csv.ColCount && csv[_party].Span.Trim() is { IsEmpty: false } partyText)
        {
            party = Intern(partyText);
        }

        if (!DeviceRecord.TryCreate(id, type, status, since, prior, party, out var record, out var recordError))
        {
            return Reject(line, idText, recordError);
        }

        if (_asOf is { } asOf && since > asOf)
        {
            return Reject(line, idText, CliMessages.AfterAsOf(since, asOf));
        }

        return new InventoryRow(line, record, null, null);
    }

    private static bool Field(string column, ReadOnlySpan<char> text, bool parsed, string? error, ref List<string>? errors)
    {
        if (parsed)
        {
            return true;
        }

        (errors ??= []).Add(text.Trim().IsEmpty ? CliMessages.EmptyValue(column) : column + ": " + error);
        return false;
    }

    private static InventoryRow Reject(int line, ReadOnlySpan<char> idText, string error) =>
        new(line, default, idText.ToString(), error);

    private string Intern(ReadOnlySpan<char> text)
    {
        var lookup = _parties.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var value = text.ToString();
        _parties[value] = value;
        return value;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _file?.Dispose();
    }

    internal static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
