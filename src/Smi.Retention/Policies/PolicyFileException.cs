namespace Smi.Retention.Policies;

/// <summary>A policy file that may not be read (not a regular file, too large, outside a timeline's folder); the message is complete.</summary>
internal sealed class PolicyFileException(string message) : IOException(message);
