
namespace Smi.Retention.Cli;

/// <summary>More rows were rejected than <c>--max-reject-percent</c> allows: exit 4 with this message, nothing written.</summary>
internal sealed class TooManyRejectsException(string message) : Exception(message);
