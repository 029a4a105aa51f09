using NodaTime;
using Smi.Retention.Files;

namespace Smi.Retention.Inventory;

/// <summary>Where an inventory is read from: a file that is checked before it is opened, or standard input.</summary>
internal static class InventoryInput
{
    /// <summary>
    /// Opens a file, or standard input for <c>-</c>; rows whose status applies after
    /// <paramref name="asOf"/> are rejected (duplicates are the caller's to find).
    /// </summary>
    public static InventoryReader Open(string path, LocalDate? asOf, Stream? standardInput)
    {
        if (path == "-")
        {
            if (standardInput is null && PipeEnds.WrittenHere(0))
            {
                throw new InventoryFormatException(Messages.PipeNeverEnds("standard input"));
            }

            return new InventoryReader(standardInput ?? Console.OpenStandardInput(), ownsStream: standardInput is null, "standard input", asOf);
        }

        if (path.Length == 0)
        {
            throw new InventoryFormatException(Messages.InventoryEmpty());
        }

        FileFacts facts;
        try
        {
            facts = FileFacts.Of(path);
        }
        catch (IOException e)
        {
            throw new InventoryFormatException(Messages.Unreadable(path, e.Message));
        }

        if (!facts.Exists)
        {
            throw new InventoryFormatException(Messages.Unreadable(path, "there is no such file."));
        }

        if (facts.Kind is FileKind.Directory or FileKind.Socket)
        {
            throw new InventoryFormatException(Messages.NotAnInventory(path, facts.Described));
        }

        // Opened without waiting and checked on the handle: the path may have been swapped for
        // another file since it was checked. A named pipe is then opened again through the handle,
        // to wait for its writer.
        FileStream file;
        FileFacts opened;
        try
        {
            file = SafeOpen.Read(path, out opened);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InventoryFormatException(Messages.Unreadable(path, e.Message));
        }

        if (!opened.IsSameFileAs(facts) || opened.Kind is FileKind.Directory or FileKind.Socket)
        {
            file.Dispose();
            throw new InventoryFormatException(Messages.InventorySwapped(path));
        }

        if (opened.Kind == FileKind.Fifo && PipeEnds.WrittenHere(file.SafeFileHandle))
        {
            file.Dispose();
            throw new InventoryFormatException(Messages.PipeNeverEnds(path));
        }

        try
        {
            file = SafeOpen.WaitingForWriter(file, opened);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InventoryFormatException(Messages.Unreadable(path, e.Message));
        }

        try
        {
            // A regular file is read as a snapshot (see InventorySnapshot); a pipe or a device is a stream.
            if (opened.Kind != FileKind.Regular)
            {
                return new InventoryReader(file, ownsStream: true, path, asOf);
            }

            var hashing = new HashingStream(file);
            return new InventoryReader(hashing, ownsStream: true, path, asOf, new InventoryFile(file, opened, hashing));
        }
        catch (IOException e) when (e is not CorruptInventoryException)
        {
            // Reading the header: a disk error. (A gzip file that cannot be decompressed stays a CorruptInventoryException.)
            file.Dispose();
            throw new InventoryFormatException(Messages.Unreadable(path, e.Message));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
