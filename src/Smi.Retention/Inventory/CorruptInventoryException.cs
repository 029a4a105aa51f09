namespace Smi.Retention.Inventory;

/// <summary>
/// An inventory whose bytes cannot be what they claim: a gzip file that is cut short, corrupt, or
/// holds more than one member. Thrown while reading, so it can come after some rows were read; a run
/// that meets it releases nothing. It is an <see cref="IOException"/>, as a failed read always was, so
/// that a host can tell bad input (this) from a failing disk (any other <see cref="IOException"/>).
/// </summary>
public sealed class CorruptInventoryException : IOException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the input and how to fix it.</param>
    public CorruptInventoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public CorruptInventoryException()
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong with the input and how to fix it.</param>
    /// <param name="innerException">The decompressor's own exception.</param>
    public CorruptInventoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
