using Smi.Retention.Cli.Output;
using Smi.Retention.Cli.Problems;
using Smi.Retention.Policies;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary>
/// The <c>error</c> document: what any command writes to standard output under <c>--format json</c>
/// when it fails, so a program always gets one JSON document; its text is the message, on standard error.
/// </summary>
/// <param name="Command">The command that failed.</param>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Code">The stable problem code.</param>
/// <param name="Message">The message as printed on standard error.</param>
/// <param name="Problems">Each problem at its place, or the message as one problem without a place.</param>
/// <param name="Facts">The numbers the message states (the removals and the limit on exit 3, say).</param>
/// <param name="Written">The outputs written before the failure.</param>
internal sealed record ErrorReport(
    string Command, int ExitCode, string Code, string Message, IReadOnlyList<ProblemFacts> Problems,
    IReadOnlyDictionary<string, decimal> Facts, IReadOnlyList<ErrorReport.Output> Written)
    : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "error";

    /// <summary>The report of a failure of <paramref name="command"/>.</summary>
    public static ErrorReport Of(
        string command, ProblemCode code, string message, IReadOnlyList<PolicyProblem> places,
        IReadOnlyDictionary<string, decimal>? facts, IReadOnlyList<Written> written) =>
        new(command, code.ExitCode, code.Id, message,
            [.. (places.Count > 0 ? places : [new PolicyProblem("", 0, 0, null, message)]).Select(p => ProblemFacts.Of(p, code))],
            facts ?? new Dictionary<string, decimal>(),
            [.. written.Select(w => new Output(w.Option, w.Destination, w.Reached is null))]);

    /// <inheritdoc/>
    public void WriteText(TextWriter output) => output.WriteLine(Message);

    /// <summary>An output written before the failure.</summary>
    /// <param name="Option">The option that named it.</param>
    /// <param name="Path">Where it went.</param>
    /// <param name="Complete">Whether it was written in full.</param>
    internal sealed record Output(string Option, string Path, bool Complete);
}
