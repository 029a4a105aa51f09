namespace Smi.Retention.Policies;

/// <summary>
/// A policy or timeline file that may not be read: not a regular file (a folder, a FIFO, a link where
/// links are refused), too large, or a version outside its timeline's folder. The message is complete.
/// It is an <see cref="IOException"/>; a file that is read but invalid is a
/// <see cref="PolicyValidationException"/> instead, so a host can tell the two apart.
/// </summary>
public sealed class PolicyFileException : IOException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which file, why it may not be read, and how to fix it.</param>
    public PolicyFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public PolicyFileException()
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Which file, why it may not be read, and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public PolicyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
