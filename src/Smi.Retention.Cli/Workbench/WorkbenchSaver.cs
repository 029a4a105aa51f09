using System.Text;
using Microsoft.AspNetCore.Http;
using Smi.Retention.Cli.Output;
using Smi.Retention.Files;
using Smi.Retention.Text;

namespace Smi.Retention.Cli.Workbench;

/// <summary>
/// Saves the edited policy or tests file, only when asked, as the tool writes every output: the
/// destination checked first (under the working folder, through real folders, never a link, a
/// folder or an input), the text written to an exclusively created temporary file beside it, synced,
/// then renamed over it. The file on disk must still be the one the author loaded (its SHA-256), or
/// the save is refused with the file as it is now, until the author chooses to overwrite it. An
/// invalid policy or tests file is saved only when the workbench was started with --force.
/// </summary>
internal sealed class WorkbenchSaver(CliContext context, string root, string defaultPath, IReadOnlyList<string> inputs, bool force, string? testsPath = null)
{
    /// <summary>What a save did: the file saved, or the error and its HTTP status.</summary>
    public readonly record struct Outcome(WorkbenchSaved? Saved, WorkbenchError? Error, int Status);

    private readonly Lock _gate = new();

    /// <summary>Saves <paramref name="text"/> to <paramref name="requested"/> (relative to the working folder), or to the policy's own file when it is empty, whatever is on disk (a caller that checked).</summary>
    public Outcome Save(string text, string? requested) => Save(new WorkbenchSaveRequest(text, requested, Overwrite: true));

    /// <summary>Saves as <paramref name="request"/> asks; see the class.</summary>
    public Outcome Save(WorkbenchSaveRequest request)
    {
        if (request.Text is not { } text)
        {
            return new(null, new WorkbenchError("Send the file's text as 'text'."), StatusCodes.Status400BadRequest);
        }

        var tests = request.Of switch
        {
            null or "policy" => false,
            "tests" => true,
            _ => (bool?)null,
        };
        if (tests is null || (tests == true && testsPath is null))
        {
            return new(null, new WorkbenchError(tests is null ? "'of' is 'policy' or 'tests'." : "The workbench has no tests file to save: start it with --tests <file>, or put <policy>.tests.json beside the policy."), StatusCodes.Status400BadRequest);
        }

        var (timeline, policyProblems) = tests == true ? (null, []) : WorkbenchSession.Parse(text, defaultPath);
        var problems = tests == true ? TestsProblems(text) : policyProblems;
        if (problems.Length > 0 && !force)
        {
            return new(null, new WorkbenchError($"The {(tests == true ? "tests file" : "policy")} has problems and is not saved: fix them, or start the workbench with --force to save it anyway.", problems), StatusCodes.Status409Conflict);
        }

        var requested = tests == true ? testsPath : request.Path;
        string? destination;
        FileFacts facts;
        try
        {
            destination = Confine(root, string.IsNullOrWhiteSpace(requested) ? defaultPath : requested);
            facts = destination is null ? default : FileFacts.Of(destination, followLinks: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // A name the file system refuses (too long, say): the author's to change, not a fault of the server.
            return new(null, new WorkbenchError($"'{Untrusted.Show(requested ?? "", 300)}' cannot be a file here: {Untrusted.Show(e.Message, 300)}"), StatusCodes.Status400BadRequest);
        }

        if (destination is null)
        {
            return new(null, new WorkbenchError($"'{Untrusted.Show(requested ?? "", 300)}' is not a file under the working folder ({Untrusted.Show(root, 300)}): give a relative path without '..' or links."), StatusCodes.Status400BadRequest);
        }

        if (facts.Kind is not (FileKind.Missing or FileKind.Regular))
        {
            return new(null, new WorkbenchError($"'{Untrusted.Show(Path.GetRelativePath(root, destination), 300)}' is {facts.Described}, not a regular file: the workbench saves only to a regular file (or a new one)."), StatusCodes.Status400BadRequest);
        }

        // Never over a file the edited policy reads (a timeline's versions), which the save would replace under it.
        if (tests != true && destination != defaultPath && timeline is not null && timeline.Files.Any(f => Path.GetFullPath(f) == destination))
        {
            return new(null, new WorkbenchError(CliMessages.WorkbenchSaveOverReference(Path.GetRelativePath(root, destination))), StatusCodes.Status409Conflict);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var shown = Path.GetRelativePath(root, destination);
        lock (_gate)
        {
            try
            {
                // The file as it is now must be the one the author loaded: another tab or another
                // editor may have saved it since. Shown to the author, who chooses.
                var now = WorkbenchSession.Read(destination, shown);
                var own = tests == true || destination == defaultPath;
                if (!request.Overwrite && (own ? now.Sha256 != request.BaseSha256 : now.Sha256 is not null || now.Error is not null))
                {
                    var message = own ? CliMessages.WorkbenchChangedOnDisk(shown, now.Sha256 is null) : CliMessages.WorkbenchSaveOverOther(shown);
                    return new(null, new WorkbenchError(message, Conflict: now), StatusCodes.Status409Conflict);
                }

                var protectedFiles = tests == true ? inputs.Append(defaultPath) : testsPath is null ? inputs : inputs.Append(testsPath);
                using var plan = OutputPlan.Create(context, [("save", destination)], protectedFiles.Select(i => ("input", (string?)i)), record: false);
                if (plan["save"]!.Kind != OutputKind.Replace)
                {
                    // The server's own standard output redirected there, a pipe, a device: not a policy file.
                    return new(null, new WorkbenchError($"'{Untrusted.Show(requested ?? "", 300)}' is not a regular file (it is the server's standard output, a pipe or a device): a policy is saved only to a file."), StatusCodes.Status400BadRequest);
                }

                plan["save"]!.Stream.Write(bytes);
                plan.Commit("save");
                _saved.Enqueue(shown);
            }
            catch (Exception e) when (e is Problems.UsageException or OutputFailedException or IOException or UnauthorizedAccessException)
            {
                return new(null, new WorkbenchError("Not saved: " + Untrusted.Show(e.Message, 1000)), StatusCodes.Status409Conflict);
            }
        }

        return new(new WorkbenchSaved(shown, WorkbenchSession.Sha256Of(bytes), problems.Length == 0, tests == true ? "tests" : "policy"), null, StatusCodes.Status200OK);
    }

    // Read by the watchdog without the save's lock, which a save blocked on the disk may hold.
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _saved = new();

    /// <summary>The files saved in this session, as shown to the author, in order (one entry a save).</summary>
    public IReadOnlyList<string> Saved => [.. _saved];

    private WorkbenchProblem[] TestsProblems(string text) => WorkbenchSession.TestsOf(text, testsPath!, null).Problems;

    /// <summary>
    /// The full path of <paramref name="requested"/> if it names a file under <paramref name="root"/>
    /// through real folders, in plain visible characters; null otherwise. The file itself must then
    /// be new or a regular file: never a link, a pipe or a device (checked by the caller).
    /// </summary>
    public static string? Confine(string root, string requested)
    {
        if (requested.Length == 0 || requested.Length > 1024 || !requested.All(Visible))
        {
            return null;
        }

        var full = Path.GetFullPath(requested, root);
        var relative = Path.GetRelativePath(root, full);
        if (Path.IsPathRooted(relative) || relative == "." || relative.Split(Path.DirectorySeparatorChar).Any(part => part is ".." or ""))
        {
            return null;
        }

        // Every folder between the root and the file must be a real folder, not a link out of it.
        var folder = root;
        foreach (var part in relative.Split(Path.DirectorySeparatorChar)[..^1])
        {
            folder = Path.Combine(folder, part);
            var info = new DirectoryInfo(folder);
            if (!info.Exists || info.LinkTarget is not null)
            {
                return null;
            }
        }

        return full;
    }

    // No control, format (bidi overrides, zero-width) or unpaired surrogate characters in a file name.
    private static bool Visible(char c) =>
        !char.IsControl(c) && !char.IsSurrogate(c) && char.GetUnicodeCategory(c) is not (System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator);
}
