namespace Smi.Retention.Inventory;

/// <summary>
/// An inventory file that changed while it was read (appended to, cut, replaced, rewritten in place):
/// the rows read are not one inventory, so nothing decided from them may be released. Found when the
/// reading ends, by the file's identity, length, time and content. Run again on a finished export.
/// </summary>
public sealed class InventoryChangedException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which file, what changed, and how to fix it.</param>
    public InventoryChangedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public InventoryChangedException()
    {
    }

    /// <summary>What changed, in a few words ("its bytes differ from those of the first reading"), for a message of another caller's; null when not known.</summary>
    internal string? Difference { get; init; }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which file, what changed, and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public InventoryChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
