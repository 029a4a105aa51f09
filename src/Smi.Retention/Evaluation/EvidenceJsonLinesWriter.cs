using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Smi.Retention.Evaluation;

/// <summary>
/// Writes <see cref="RemovalEvidence"/> as JSON Lines: one object per removal and line, in the shape
/// of <c>schemas/output/evidence.schema.json</c> (<see cref="RetentionJson.Options"/>: camelCase, EUI-64
/// ids, ISO dates), for an auditor's tools. Not thread-safe.
/// </summary>
public sealed class EvidenceJsonLinesWriter : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private static readonly JsonTypeInfo<RemovalEvidence> Shape = (JsonTypeInfo<RemovalEvidence>)RetentionJson.Options.GetTypeInfo(typeof(RemovalEvidence));
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Writes to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the lines go (UTF-8).</param>
    /// <param name="leaveOpen">Whether disposing the writer leaves the stream open.</param>
    public EvidenceJsonLinesWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = RetentionJson.Options.Encoder });
    }

    /// <summary>How many lines have been written.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one removal as one line.</summary>
    /// <param name="evidence">The evidence.</param>
    public void Write(RemovalEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        JsonSerializer.Serialize(_writer, evidence, Shape);
        _writer.Flush();
        _writer.Reset();
        _stream.Write(NewLine);
        Count++;
    }

    /// <summary>Flushes the stream.</summary>
    public void Flush() => _stream.Flush();

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
