
namespace Smi.Retention.Cli.Output;

/// <summary>An output could not be committed (a full disk, a closed pipe); the message says which and what was written before it.</summary>
internal sealed class OutputFailedException(string message, Exception inner) : IOException(message, inner);
