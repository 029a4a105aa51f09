namespace Smi.Retention.Cli;

/// <summary>The tool's exit codes, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Done = 0;

    /// <summary>Bad usage, an unreadable file, or an invalid policy: every problem listed, nothing written.</summary>
    public const int BadInput = 2;

    /// <summary>The blast-radius guard refused the run: nothing written, the count and the limit printed.</summary>
    public const int Refused = 3;
}

/// <summary>A problem with what the user gave (arguments, files): exit 2 with this message.</summary>
internal sealed class UsageException(string message) : Exception(message);
