namespace Smi.Retention.Inventory;

/// <summary>
/// An inventory that cannot be read as a whole: no file, not a regular file, no header or a header
/// without the required columns, bytes a compressed file cannot be. The message says what and how to
/// fix it. (A bad line is not this: it is a rejected <see cref="InventoryRow"/>, and reading goes on.)
/// </summary>
public sealed class InventoryFormatException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public InventoryFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public InventoryFormatException()
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public InventoryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Met part-way through the rows, not at the opening: the tool then says what it had written.</summary>
    internal bool AmidRows { get; init; }
}
