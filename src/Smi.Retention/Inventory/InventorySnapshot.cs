using System.IO.Hashing;
using Smi.Retention.Files;

namespace Smi.Retention.Inventory;

/// <summary>
/// What one reading of an inventory file read: the file as its handle described it when it was
/// opened and when the reading ended (identity, size, modification time), the bytes read and a
/// hash of them. Two readings are of the same input only when all of these agree, so a run that
/// reads a file twice (to reject every row of a device listed twice) proves that both readings saw
/// the same bytes, and a file that changed while it was read is never decided.
/// </summary>
internal sealed record InventorySnapshot(string Source, FileFacts Opened, FileFacts Ended, long BytesRead, ulong Hash)
{
    /// <summary>Why the file cannot be trusted to be what was read (it changed while it was read), or null.</summary>
    public string? ChangedWhileRead()
    {
        if (Ended.Identity != Opened.Identity)
        {
            return "it is no longer the file that was opened";
        }

        if (Ended.Size != Opened.Size)
        {
            return Messages.SizeChanged(Opened.Size, Ended.Size);
        }

        // The change time too: an edit that keeps the size and puts the modification time back
        // still moves it (no one can set it back).
        return Ended.Modified != Opened.Modified || Ended.Changed != Opened.Changed ? "it was modified while it was read" : null;
    }

    /// <summary>
    /// Why <paramref name="second"/>, a later reading of the same path just opened, is not of the file
    /// this one read, as far as its handle tells (its identity, size and times): before it reads a row,
    /// so that a file replaced or changed between two readings hands nothing over. Null when it may be.
    /// </summary>
    public string? DifferenceAtOpen(InventorySnapshot second) =>
        second.Opened.Identity != Ended.Identity ? "the path names another file than at the first reading (it was replaced)"
        : second.Opened.Size != Ended.Size ? Messages.SizeChanged(Ended.Size, second.Opened.Size)
        : second.Opened.Modified != Ended.Modified || second.Opened.Changed != Ended.Changed ? "it was modified since the first reading"
        : null;

    /// <summary>Why <paramref name="second"/>, a later reading of the same path, did not read what this one did; null when it did.</summary>
    public string? DifferenceFrom(InventorySnapshot second)
    {
        if (second.Opened.Identity != Opened.Identity)
        {
            return "the path names another file than at the first reading (it was replaced)";
        }

        if (second.Opened.Size != Opened.Size || second.BytesRead != BytesRead)
        {
            return Messages.SizeChanged(Opened.Size, second.Opened.Size);
        }

        if (second.Opened.Modified != Opened.Modified)
        {
            return "it was modified since the first reading";
        }

        return second.Hash != Hash ? "its bytes differ from those of the first reading" : second.ChangedWhileRead();
    }
}

/// <summary>Reads a stream through, counting and hashing (XxHash3) every byte read, for an <see cref="InventorySnapshot"/>.</summary>
internal sealed class HashingStream(Stream inner) : ReadOnlyStream
{
    private readonly XxHash3 _hash = new();

    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The hash of the bytes read so far.</summary>
    public ulong Hash => _hash.GetCurrentHashAsUInt64();

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _hash.Append(buffer[..read]);
        BytesRead += read;
        return read;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
