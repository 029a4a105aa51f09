
namespace Smi.Retention.Cli;

/// <summary>A problem with what the user gave (arguments, files): exit 2 with this message.</summary>
internal sealed class UsageException(string message) : Exception(message);
