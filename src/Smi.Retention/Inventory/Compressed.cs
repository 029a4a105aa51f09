using System.IO.Compression;

namespace Smi.Retention.Inventory;

/// <summary>
/// A gzip-compressed inventory (an export's <c>.csv.gz</c>) read transparently: the first two bytes
/// tell (gzip's magic number, whatever the file's name), and the decompressed bytes go through the
/// same bounded line reader as any other input. A corrupt stream is an input that failed (an
/// <see cref="IOException"/> naming it), never an internal error; so is a truncated one, which
/// .NET's decompressor would end quietly, losing the rows after the cut: at the end the length
/// gzip records in its last four bytes must be the length read.
/// </summary>
internal sealed class Compressed : ReadOnlyStream
{
    private readonly GZipStream _inner;
    private readonly Tail _compressed;
    private readonly string _source;
    private long _read;

    private Compressed(Stream compressed, string source)
    {
        _compressed = new Tail(compressed);
        _inner = new GZipStream(_compressed, CompressionMode.Decompress, leaveOpen: false);
        _source = source;
    }


    /// <summary>The stream to read: decompressed when <paramref name="stream"/> starts with gzip's magic number, else as it is.</summary>
    public static Stream Open(Stream stream, string source)
    {
        var head = new byte[2];
        var read = 0;
        while (read < 2 && stream.Read(head, read, 2 - read) is var n and > 0)
        {
            read += n;
        }

        var replayed = new PrefixedStream(head.AsMemory(0, read), stream);
        return read == 2 && head[0] == 0x1F && head[1] == 0x8B ? new Compressed(replayed, source) : replayed;
    }

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            // .NET says "an unsupported compression method" for any damage zlib finds: say what it is.
            throw new CorruptInventoryException(Messages.CorruptGzip(_source, "its data is damaged: the compressed bytes, or the checksum or length gzip records at its end, do not match"), e);
        }

        _read += n;
        if (n == 0 && buffer.Length > 0 && !_compressed.EndsWithLength((uint)_read))
        {
            throw new CorruptInventoryException(Messages.CorruptGzip(_source, "it is cut short, or it is several gzip members one after another (cat a.gz b.gz) or has bytes after its end, which are not read: its last bytes are not the length gzip records at its end"));
        }

        return n;
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The compressed bytes, remembering the last four read: gzip's record of the length.</summary>
    private sealed class Tail(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _last = new byte[4];
        private long _total;


        /// <summary>Whether the stream ended on a gzip trailer recording <paramref name="length"/> (modulo 2^32).</summary>
        public bool EndsWithLength(uint length) => _total >= 18 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_last) == length;

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            for (var i = Math.Max(0, n - 4); i < n; i++)
            {
                _last.AsSpan(1).CopyTo(_last);
                _last[3] = buffer[i];
            }

            _total += n;
            return n;
        }


        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The bytes read to look at the start, then the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;


        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }

            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }


        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>A stream that is only read, front to back: what the input wrappers above have in common.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
