
namespace Smi.Retention.Cli;

/// <summary>The tool's exit codes, documented in docs/tool.md; stable from 0.1.0.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Done = 0;

    /// <summary><c>subset</c>: the policy is not a subset (a counterexample is printed).</summary>
    public const int NotASubset = 1;

    /// <summary><c>validate --strict</c>: the policy is valid but has warnings (each printed with its place).</summary>
    public const int StrictWarnings = 1;

    /// <summary><c>test</c>: a case failed (each failure printed with its explanation).</summary>
    public const int TestsFailed = 1;

    /// <summary>Bad usage, an unreadable file, an invalid policy or a refused destination: every problem listed, nothing written.</summary>
    public const int BadInput = 2;

    /// <summary>The blast-radius guard refused the run: nothing written, the count and the limit printed.</summary>
    public const int Refused = 3;

    /// <summary>More rows were rejected than <c>--max-reject-percent</c> allows: the rejects written, no decisions.</summary>
    public const int TooManyRejects = 4;

    /// <summary>An input or output failed (a full disk, a closed pipe): the message says which; no output is half-written.</summary>
    public const int InputOutputError = 74;

    /// <summary>An internal error (a bug): one line printed, nothing written.</summary>
    public const int InternalError = 70;

    /// <summary>Stopped by Ctrl-C or SIGTERM: nothing written, no temporary file left.</summary>
    public const int Interrupted = 130;
}
