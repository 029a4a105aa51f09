using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Evaluation;
using Smi.Retention.Text;

namespace Smi.Retention.Cli;

/// <summary>Every message text of the tool, in the invariant culture; each says how to fix the problem.</summary>
internal static class CliMessages
{

    public static string OutputIsAnotherFile(string option, string path, string otherOption, string otherPath) =>
        F($"{option} {Untrusted.Show(path)} is the same file as {otherOption} {Untrusted.Show(otherPath)}; writing it would destroy that file. Give {option} a path of its own.");

    public static string OutputEmpty(string option) =>
        F($"{option} is empty; give the path of a file to write (or - for standard output).");

    public static string TwoOutputsToStandardOutput(string first, string second) =>
        F($"{first} and {second} both write to standard output, where their rows would mix; send one of them to a file.");

    public static string OutputIsStandardError(string option, string path) =>
        F($"{option} {Untrusted.Show(path)} is standard error, where the tool writes its messages; give a file, or - for standard output.");

    public static string WaitingForReader(string option, string path) =>
        F($"Waiting for a reader of the pipe {Untrusted.Show(path)} ({option}); the run is complete and its output is written when one opens it.");

    /// <summary>The library's refusal of a symbolic diff (a policy that tests the generation or model), with the tool's command that compares over an inventory.</summary>
    public static string SymbolicNeedsInventory(string refusal) => refusal.TrimEnd('.') + ": diff --inventory <csv>.";

    public const string InventoryEmpty = "--inventory is empty; give the inventory CSV file, or - for standard input.";

    /// <summary>An input (<c>-</c>, or a path such as /dev/stdin) that is a standard stream the tool was started without.</summary>
    public static string InputIsAClosedStream(string option, string path, int descriptor) =>
        F($"{option} {(path == "-" ? "- reads " + StandardDescriptors.Name(descriptor) : Untrusted.Show(path) + " is " + StandardDescriptors.Name(descriptor))}, {ClosedStream(descriptor)}; give {(option == "--inventory" ? "the inventory" : "it")} as a file, or as a pipe that another process writes and closes.");

    /// <summary>An output path (/dev/stdout, /proc/self/fd/2) that is a standard stream the tool was started without.</summary>
    public static string OutputIsAClosedStream(string option, string path, int descriptor) =>
        F($"{option} {Untrusted.Show(path)} is {StandardDescriptors.Name(descriptor)}, {ClosedStream(descriptor)}; give a file to write it to.");

    public const string StaleCopyLeft = "a file under the temporary file's name in the folder put in the output folder's place during the run: a copy of it, or another's, not the one written, so not deleted";

    /// <summary>A path (/dev/fd/3, /proc/self/fd/9) that names a descriptor the tool was not started with: one of its own, or none.</summary>
    public static string NamesOwnDescriptor(string option, string path, int descriptor, bool output) =>
        F($"{option} {Untrusted.Show(path)} names descriptor {descriptor}, which the tool was not started with (the tool's own files are there, or nothing); give {(output ? "a file to write it to" : "a file, or a pipe that another process writes and closes")}.");

    private static string ClosedStream(int descriptor) =>
        "which is closed (the tool was started without it, as " + (descriptor switch { 0 => "<&-", 1 => ">&-", _ => "2>&-" }) + " does)";

    public static string WaitingForInput(string path) =>
        path == "-"
            ? "Reading the inventory from the terminal: type or paste it and end it with Ctrl-D, or stop with Ctrl-C (to read a file, give its path, or redirect it: --inventory - < inventory.csv)."
            : F($"Waiting for the pipe {Untrusted.Show(path)} (--inventory) to be written; Ctrl-C stops.");

    public static string TestsGlobFolder(string argument) =>
        F($"{Untrusted.Show(argument)}: a glob may have '*' and '?' only in its last part (tests/*.tests.json), or '**' as the folder before it (tests/**/*.tests.json).");

    public static string TestsGlobUnreadable(string argument, string detail) =>
        F($"{Untrusted.Show(argument)} cannot be searched for tests files: {detail}");

    public static string TestsGlobEmpty(string argument, string pattern) =>
        F($"No tests file matches {Untrusted.Show(argument)} (looking for {Untrusted.Show(pattern)}); give a tests file, a folder holding *.tests.json files, or a glob that matches some.");

    /// <summary>A problem at its place in a file: <c>file(line,column): message</c>, the file name shown safely.</summary>
    public static string Placed(Smi.Retention.Policies.PolicyProblem problem) =>
        F($"{Untrusted.Show(problem.Source)}({problem.Line},{problem.Column}): {problem.Message}");

    public static string SymbolicTakesNo(string option) =>
        F($"diff --symbolic answers from the two policies alone, so it takes no {option}; leave it out, or drop --symbolic to compare over an inventory.");

    public static string DiffNeedsInventory() =>
        "diff needs --inventory <csv> and --as-of <yyyy-MM-dd> to compare over an inventory, or --symbolic to answer from the two policies alone.";

    public static string PolicyEmpty(string option) =>
        F($"{option} is empty; give a built-in policy name (see 'policies') or the path of a policy JSON file.");

    public static string OutputIsNot(string option, string path, string kind) =>
        F($"{option} {Untrusted.Show(path)} is {kind}; give the path of a file to write (or - for standard output).");

    public static string FolderNotWritable(string folder) =>
        F($"this user may not create files in its folder {Untrusted.Show(folder)} (permission denied); give a path in a folder you may write to");

    public static string ReplacedWithoutItsOwner(string option, string path, long owner, long group, bool ownFile) =>
        ownFile
            ? F($"{option} {Untrusted.Show(path)}: the new file could not be given the group of the file it replaces (group {group}; this user is not in it), so it is private to this user: no one may read it who could not read the old one. Set its group and permissions yourself if others should read it.")
            : F($"{option} {Untrusted.Show(path)}: the new file could not be given the owner and group of the file it replaces (user {owner}, group {group}), so it is this user's and private to them: no one may read it who could not read the old one. Replace another user's file as that user, or set its owner and permissions yourself.");

    public static string ReplacedPrivate(string option, string path, IReadOnlyList<string>? missed, string? reason) =>
        F($"{option} {Untrusted.Show(path)}: the new file could not be given {(missed is { Count: > 0 } ? $"these extended attributes of the file it replaces: {string.Join(", ", missed.Select(name => Untrusted.Show(name)))}" : $"the extended attributes and permissions of the file it replaces ({Untrusted.Show(reason ?? "unknown", 300)})")}, so it is private to its owner: no one may read it who could not read the old one. Set its permissions yourself if others should read it.");

    public static string OutputIsAnUnnamedPipe(string option, string path) =>
        F($"{option} {Untrusted.Show(path)} is a pipe with no name (a process substitution such as >(gzip > d.gz)), which cannot be opened again to write the output when the run ends; give {option} - and pipe standard output instead (--out - | gzip > d.gz), or a named pipe (mkfifo).");

    public static string GeneratedWouldNotFit(long count, decimal bytes, int rowBytes, long room, string where)
    {
        // Exact bytes where the two would read alike in the unit that shows them.
        var (needed, left) = Size(bytes) == Size(room) ? (F($"{bytes:N0} bytes"), F($"{room:N0} bytes")) : (Size(bytes), Size(room));
        return F($"--devices {count:N0} would write at least {needed} ({rowBytes} bytes a row at the fewest, and the header), more than the {left} available {where}; give fewer devices, or put the output where there is room.");
    }

    /// <summary>A number of bytes in the unit that shows it best: 512 bytes, 1.0 MB, 51,000,000.0 TB (powers of 1,000).</summary>
    public static string Size(decimal bytes) =>
        bytes < 1_000m ? F($"{bytes:N0} bytes")
        : bytes < 1_000_000m ? F($"{bytes / 1_000m:N1} KB")
        : bytes < 1_000_000_000m ? F($"{bytes / 1_000_000m:N1} MB")
        : bytes < 1_000_000_000_000m ? F($"{bytes / 1_000_000_000m:N1} GB")
        : F($"{bytes / 1_000_000_000_000m:N1} TB");

    /// <summary>An option that takes a value followed by another option's name (<paramref name="next"/>), or by nothing (null).</summary>
    public static string OptionWithoutValue(string option, string? next)
    {
        var shown = Untrusted.Show(option, 100);
        if (next is null)
        {
            return F($"{shown} has no value: nothing follows it. Give {shown} its value, or leave it out.");
        }

        if (next == "--")
        {
            return F($"{shown} has no value: it is followed by '--', after which no word is an option's value. Give {shown} its value before the '--'.");
        }

        // A word that starts with '-' is refused as an output's value ('./--strict' names such a
        // file, docs/tool.md); one that does not ('/h', an alias of help) may be given with '='.
        var word = Untrusted.Show(next, 100);
        return F($"{shown} has no value: it is followed by {word}, which was taken for its value. Give {shown} its value")
            + (next.StartsWith('-') ? "." : F($" (to give {word} itself, write {shown}={word})."));
    }

    /// <summary>A rejected row as shown on standard error (when there is no rejects file).</summary>
    public static string RejectedRow(long line, string? id, string? error) => F($"Rejected line {line} ({id}): {error}");

    public static string FoundNameNotUtf8(string argument, string name) =>
        F($"{Untrusted.Show(argument, 300)} finds {Untrusted.Show(name, 300)}, whose name holds bytes that are not UTF-8 (shown as \uFFFD) or the character U+FFFD itself: it cannot be told from another file whose name differs in those bytes, so none is run. Rename it in UTF-8.");

    public static string ArgumentNotUtf8(int position, string argument) =>
        F($"Argument {position} ({Untrusted.Show(argument, 300)}) holds bytes that are not UTF-8 (shown as \uFFFD) or the character U+FFFD itself: the file it names cannot be told from another whose name differs in those bytes. Rename the file, or give the value in UTF-8.");

    public static string OutputLooksLikeAnOption(string option, string path) =>
        F($"{option} {Untrusted.Show(path)} looks like an option, not a file; give {option} a file (or - for standard output), or write a file of that name as ./{Untrusted.Show(path)}.");

    public static string OutputCannotBeReplaced(string option, string path, string why) =>
        F($"{option} {Untrusted.Show(path)} cannot be written: {why}, so the kernel would refuse to put the output in its place. Give another path.");

    public const string MountedOver = "a file is mounted over it (a bind mount)";

    public const string ImmutableThere = "it or its folder is immutable (chattr +i)";

    public const string AppendOnlyThere = "it or its folder is append-only (chattr +a)";

    public static string OutputInStickyFolder(string option, string path) =>
        F($"{option} {Untrusted.Show(path)} is another user's file in a folder where only a file's owner may replace it (a sticky folder, as /tmp is); give a path of your own.");

    public static string AFolderByItsLastName(string name) =>
        F($"a folder name (its last name is '{name}')");

    public static string OutputIsALink(string option, string path) =>
        F($"{option} {Untrusted.Show(path)} is a symbolic link; the output would replace the link, not the file it points to. Give the path of the file itself.");

    public static string OutputFolderMissing(string option, string path) =>
        F($"{option} {Untrusted.Show(path)}: its folder does not exist; create the folder first or give another path.");

    public static string CannotWriteOutput(string option, string path, string detail) =>
        F($"{option} {Untrusted.Show(path)} cannot be written: {Sentence(detail, 300)} Nothing was written.");

    public static string InputOutputFailed(string detail, IReadOnlyList<Output.Written> written) =>
        F($"smi-retention stopped on an input or output error: {Sentence(detail, 2000)} {WhatWasWritten(written)}"); // long enough for the spill failure's remedy after two paths

    public static string CommitFailed(string option, string path, string detail, IReadOnlyList<Output.Written> written) =>
        F($"{option} {Untrusted.Show(path)} could not be written: {Sentence(detail, 300)} {WhatWasWritten(written)}");

    // A spool's folder is named, and another with room advised, unless the write met the file-size limit (which no folder lifts).
    public static string OutputWriteFailed(string option, string path, string detail, string? spoolFolder, bool fileSizeLimit) =>
        spoolFolder is null
            ? F($"{option} {Untrusted.Show(path)} could not be written: {Sentence(detail, 300)} {NothingWritten}")
            : F($"{option} {Untrusted.Show(path)} could not be written: its content is held in the temporary folder {Untrusted.Show(spoolFolder, 300)} until the run ends, and writing there failed: {Sentence(detail, 300)} {(fileSizeLimit ? "" : "Set TMPDIR to a folder with room. ")}{NothingWritten}");

    public static string CannotSpool(string option, string path, string folder, string detail) =>
        F($"{option} {Untrusted.Show(path)} cannot be written: its content is held in the temporary folder {Untrusted.Show(folder, 300)} until the run ends, and a file cannot be made there: {Sentence(detail, 300)} Set TMPDIR to a folder that exists and may be written. Nothing was written.");

    public static string SpoolCutShort(long copied, long length) =>
        F($"its temporary copy was cut short by something else while the run went on ({copied:N0} of {length:N0} bytes were there to copy)");

    /// <summary>Why a finished file could not be renamed when it is no longer where it was written.</summary>
    public const string TemporaryMoved = "it is no longer where it was written: its folder was moved or removed during the run";

    /// <summary>Why a finished file is not renamed when the file at its name is another (a copy).</summary>
    public const string TemporaryReplaced = "the file under its temporary name is no longer the one written: its folder was replaced during the run";

    public static string RenameFailed(string reason) =>
        F($"the finished file could not be put in its place ({reason.Trim().TrimEnd('.')})");

    public static string FileTooLarge() =>
        "the file is larger than this process may write (a file-size limit: see ulimit -f)";

    public static string LinkUnresolved(string path) =>
        F($"the link {Untrusted.Show(path)} leads nowhere that can be resolved.");

    public static string StandardOutputFailed(string detail, IReadOnlyList<Output.Written> written) =>
        F($"Standard output could not be written ({Untrusted.Show(detail.Trim().TrimEnd('.'), 300)}): what the command prints there did not arrive in full. {WhatWasWritten(written)}");

    /// <summary>Text from the operating system or .NET, shown safely as one sentence ending in one full stop.</summary>
    private static string Sentence(string detail, int length) =>
        Untrusted.Show(detail.Trim(), length).TrimEnd('.', ' ') + ".";

    /// <summary>What a failure says when it wrote nothing; <see cref="WithUndeleted"/> takes back its second half when a temporary file could not be deleted.</summary>
    public const string NothingWritten = "No output was written, and no temporary file is left behind.";

    /// <summary><paramref name="message"/>, true again after temporary files could not be deleted: it names each, so the operator can.</summary>
    public static string WithUndeleted(string message, IReadOnlyList<(string Path, string Reason)> undeleted) =>
        message.Replace(NothingWritten, "No output was written.", StringComparison.Ordinal) + " " + Undeleted(undeleted);

    /// <summary>The temporary files left behind, each with why it could not be deleted.</summary>
    public static string Undeleted(IReadOnlyList<(string Path, string Reason)> undeleted) =>
        (undeleted.Count == 1 ? "A temporary file could not be deleted and is left behind: " : F($"{undeleted.Count} temporary files could not be deleted and are left behind: "))
        + string.Join("; ", undeleted.Take(5).Select(u => $"{Untrusted.Show(u.Path, 4096)} ({Untrusted.Show(u.Reason.Trim().TrimEnd('.'), 200)})")) // the whole path: it is to be deleted by hand
        + (undeleted.Count > 5 ? F($"; and {undeleted.Count - 5:N0} more") : "")
        + ". Delete " + (undeleted.Count == 1 ? "it" : "them") + " when nothing is using " + (undeleted.Count == 1 ? "it." : "them.");

    /// <summary>A failure's message from the library (which knows nothing of the tool's outputs), and what the tool wrote.</summary>
    public static string WithWritten(string message, IReadOnlyList<Output.Written> written) =>
        message.TrimEnd() + " " + WhatWasWritten(written);

    /// <summary>The truth about the outputs when a command stops: none, those committed before it stopped, and any it stopped part-way.</summary>
    public static string WhatWasWritten(IReadOnlyList<Output.Written> written)
    {
        var whole = written.Where(w => w.Reached is null).Select(w => $"{w.Option} {Untrusted.Show(w.Destination, 300)}").ToList();
        var part = written.Where(w => w.Reached is not null).Select(w => F($"{w.Option} {Untrusted.Show(w.Destination, 300)} was written in part (at most its first {w.Reached:N0} bytes reached it), so whatever read it has an incomplete copy")).ToList();
        if (whole.Count == 0 && part.Count == 0)
        {
            return NothingWritten;
        }

        var text = whole.Count == 0 ? "No output was written in full" : string.Join(" and ", whole) + (whole.Count == 1 ? " was" : " were") + " written in full; no other output was";
        return text + (part.Count == 0 ? "." : "; " + string.Join("; ", part) + ".");
    }

    public static string StreamIsAnInput(string stream, string option, string path) =>
        F($"{stream} is the same file as {option} {Untrusted.Show(path)}: what the tool prints would be written into it. Redirect {stream.ToLowerInvariant()} elsewhere.");

    /// <summary>
    /// What the watchdog says when it ends a command that did not stop within seconds of a signal,
    /// with the outputs as they then stand: those committed, and the one being written (renamed into
    /// place in one step, so whole or as it was; or copied into a pipe part-way, counted as written in part).
    /// </summary>
    public static (string Message, IReadOnlyList<Output.Written> Written) Abandoned(IReadOnlyList<Output.Written> written, Output.OutputFile? committing, string? account)
    {
        var text = "Interrupted: the command did not stop within 5 seconds of the signal, so it was ended"
            + (committing is null ? ". " : $" while it wrote {committing.Option} {Untrusted.Show(committing.Destination, 300)}. ");
        if (account is not null)
        {
            return (text + account, written);
        }

        if (committing is null || written.Any(w => w.Option == committing.Option))
        {
            return (text + WhatWasWritten(written), written);
        }

        if (committing.Kind == Output.OutputKind.Replace)
        {
            // Renamed into place in one step, after it reached the disk: whole or not at all.
            return (text + WhatWasWritten(written) + $" {committing.Option} {Untrusted.Show(committing.Destination, 300)} is either as it was before the run or the new file in full: check which before using it.", written);
        }

        Output.Written[] now = committing.MayHaveReached > 0 ? [.. written, new Output.Written(committing.Option, committing.Destination, committing.MayHaveReached)] : [.. written];
        return (text + WhatWasWritten(now), now);
    }

    /// <summary>What the watchdog says of the workbench's saves, which are not the outputs of a run: the files saved, each whole.</summary>
    public static string WorkbenchSavesOnAbandon(IReadOnlyList<string> saved)
    {
        var files = saved.Distinct(StringComparer.Ordinal).ToList();
        var named = files.Count == 0 ? "The workbench saved no file"
            : "The workbench saved " + string.Join(", ", files.Take(5).Select(f => Untrusted.Show(f, 300))) + (files.Count > 5 ? F($" and {files.Count - 5:N0} more") : "") + ", each whole";
        return named + "; a save under way was either made in full or not at all (a save is renamed into place in one step).";
    }

    public static string Interrupted(IReadOnlyList<Output.Written> written) =>
        "Interrupted: the run was stopped before it finished. " + WhatWasWritten(written);

    /// <summary>An empty word (or one of blanks only) on the command line: where the command goes (<paramref name="commands"/>, to choose from), or anywhere else.</summary>
    public static string EmptyWord(string word, string[]? commands)
    {
        var what = word.Length == 0 ? "an empty word" : "a word of blanks only";
        return commands is not null
            ? F($"'{Untrusted.Show(word, 20)}': {what} where the command goes (a variable unset in a script?); give one of the commands: {string.Join(", ", commands)}.")
            : F($"'{Untrusted.Show(word, 20)}': {what}, which is no option or value here (a variable unset in a script?); remove it, or give what it stood for.");
    }

    /// <summary>An option's or a command's name given after '--', where it is only an argument (with the option it may be a misspelling of, or the option's name when it is given before the '--' already).</summary>
    public static string AfterDoubleDash(string token, string what, string? near = null, string? givenBefore = null) =>
        F($"'{Untrusted.Show(token, 100)}' comes after '--', after which every word is an argument, never {what}: ")
        + (givenBefore is not null ? F($"{Untrusted.Show(givenBefore, 100)} is given before the '--' already, so remove this one.")
            : F($"remove the '--' to give it as {what}{(near is null ? "" : $" (did you mean '{near}'?)")}."));

    public static string InternalError(Exception e, IReadOnlyList<Output.Written> written) =>
        F($"smi-retention stopped on an internal error: {e.GetType().Name}{ThrownIn(e)}: {Untrusted.Show(e.Message, 300)} {WhatWasWritten(written)} This is a bug in the tool, not in your input; please report it with the command line. Set SMI_RETENTION_DEBUG=1 to print the stack trace.");

    /// <summary>
    /// The innermost method of the tool's own code that an unexpected exception passed through, as
    /// " (in Type.Method)", or nothing: one name, not a stack trace, so that a report of a failure
    /// that cannot be made again (a race) still says where it was. Read from the trace's text, which
    /// Native AOT keeps too, rather than by reflection, which it does not.
    /// </summary>
    internal static string ThrownIn(Exception e)
    {
        foreach (var line in (e.StackTrace ?? "").Split('\n'))
        {
            var frame = line.TrimStart();
            if (frame.StartsWith("at Smi.Retention.", StringComparison.Ordinal) && frame.IndexOf('(', StringComparison.Ordinal) is > 3 and var end)
            {
                return " (in " + Untrusted.Show(frame.AsSpan(3, end - 3), 200) + ")";
            }
        }

        return "";
    }

    public static string DuplicatesNotRereadable(int devices, string source) =>
        F($"Refused: {devices:N0} device{(devices == 1 ? " is" : "s are")} listed more than once in {Untrusted.Show(source)}, and every row of them must be rejected, which needs a second reading; {Untrusted.Show(source)} cannot be read twice. Give the inventory as a file. Nothing was written.");

    public static string DeviceListedMoreThanOnce(string id, IEnumerable<long> lines) =>
        F($"Device {id} appears on lines {string.Join(", ", lines)}; which row is right cannot be told, so no policy decides it. List each device once.");

    public static string OptionRefused(string option, string problem) =>
        F($"{option}: {problem}");

    public static string BadDate(string option, string text) =>
        F($"{option} '{Untrusted.Show(text)}' is not a date; write a London date as yyyy-MM-dd, e.g. 2019-11-07.");

    public static string BadBoundary(string text) =>
        F($"--boundary '{Untrusted.Show(text)}' is not a boundary; use 'on' (removable on the corresponding date) or 'after' (from the day after).");

    public static string Refused(long removals, long decided, BlastRadiusLimits limits, BlastRadiusLimit exceeded)
    {
        var percent = limits.FractionInForce * 100;
        var (limit, remedy) = exceeded switch
        {
            BlastRadiusLimit.Count => (F($"{limits.MaxRemovals:N0} devices (--max-removals)"), F($"give --max-removals {removals} or more")),
            _ when limits.IsDefault => (F($"{percent:0.########}% (--max-removal-percent, the default)"), F($"give --max-removals {removals} (which replaces the default percentage) or a higher --max-removal-percent")),
            _ => (F($"{percent:0.########}% (--max-removal-percent)"), "give a higher --max-removal-percent" + (limits.MaxRemovals is null ? F($", or --max-removals {removals} in its place") : "")),
        };
        return F($"Refused: the run would remove {removals:N0} of {decided:N0} devices decided, over the limit of {limit}. Nothing was written. Check the policy and the inventory; if the count is expected, {remedy}.");
    }

    /// <summary>
    /// Too many rows rejected: by <c>run</c> (<paramref name="byRun"/>), which names its rejects
    /// file or the option that writes one; by another command, which writes no rejects file, so
    /// the message says which does.
    /// </summary>
    public static string TooManyRejects(long rejected, long read, decimal percent, bool isDefault, string? rejectsPath, bool byRun) =>
        F($"Refused: {rejected:N0} of {read:N0} rows were rejected ({(double)rejected / read:P1}), over the limit of {percent:0.###}% (--max-reject-percent{(isDefault ? ", the default" : "")}). {(byRun ? "No decisions were written" : "Nothing was written")}; {(rejectsPath is not null ? "the rejects are in " + Untrusted.Show(rejectsPath) : byRun ? "the first rejects are shown above (--rejects <csv> writes them all)" : "the first rejects are shown above (this command writes no rejects file; 'run --rejects <csv>' over the same inventory writes them all)")}. Fix the inventory, or raise --max-reject-percent if the rejects are expected.");

    public static string BadWhole(string option, string text, string what, long min, long max, long example) =>
        F($"{option} '{Untrusted.Show(text)}' is not {what} from {min} to {max:#,0}; write it with digits only, e.g. {example}.");

    public static string BadCount(string option, string text) =>
        F($"{option} '{Untrusted.Show(text)}' is not a count; write a whole number of devices with digits only (at most 18 of them), e.g. 1200.");

    /// <summary>Why the workbench shows no symbolic diff for a date near the calendar's end.</summary>
    public const string MeaningNearTheEnd = "Not worked out for this as-of date: it is too near the end of the calendar for the policies' periods.";

    public static string ExplainFactsOfAnInventoryDevice() =>
        "--generation and --model describe a device given by --type, --status and --since; a device of --inventory has the generation and model its row gives.";

    public static string BadPounds(string option, string text) =>
        F($"{option} {Untrusted.Show(text, 40)} is not an amount in pounds; give a number from 0 to 1,000,000 with at most two decimals and a '.' before them, e.g. 2.50.");

    public static string BadPercent(string option, string text) =>
        F($"{option} '{Untrusted.Show(text)}' is not a percentage; write a number from 0 to 100 with digits and a '.' for decimals (at most {Commands.CommonOptions.MaxPercentDecimals}), e.g. 4.9 (never a comma).");

    public static string JsonWantsStandardOutput(IEnumerable<string> options) =>
        F($"--format json writes its document to standard output, so no other output can go there; give {string.Join(" and ", options)} a file.");

    public static string BadFormat(string? text) =>
        F($"--format: '{Untrusted.Show(text)}' is not an output format; use text (the default) or json.");

    public static string StrictWarnings(int count) =>
        F($"--strict: {count} warning{(count == 1 ? "" : "s")}, so the policy is not accepted; change the policy so each warning goes, or run without --strict.");

    public static string TestsFileEmpty() =>
        "A tests file's path is empty; give the path of a policy tests JSON file, e.g. policies/my-policy.tests.json.";

    public static string UnknownTestOption(string option, string? suggestion) =>
        F($"'{Untrusted.Show(option)}' is not an option of test{(suggestion is null || suggestion == option ? "." : $"; did you mean '{suggestion}'?")} Its options are --policy, --junit and --format; every other argument is a tests file, and one whose name starts with '-' is given as ./{Untrusted.Show(option)} or after '--'.");

    public static string TestsPolicyUnreadable(string tests, string detail) =>
        F($"{Untrusted.Show(tests)}: its \"Policy\" cannot be read: {detail}");

    public static string ExplainWhichDevice() =>
        "Say which device to explain: either --inventory <csv> with --device-id <EUI-64>, or a device described with --type, --status and --since (and --prior), e.g. --type GSME --status Pending --since 2018-02-28 --prior Commissioned.";

    public static string ExplainIncompleteDevice() =>
        "A described device needs --type, --status and --since (and optionally --prior), e.g. --type GSME --status Pending --since 2018-02-28.";

    public static string DeviceNotFound(string id, string path) =>
        F($"Device {id} is not in {Untrusted.Show(path)}; check the id (8 pairs of hex digits joined by '-').");

    public static string DeviceRejected(string id, long line, string error) =>
        F($"Device {id} on line {line} is not a valid record, so no policy decides it: {error}");

    public static string WorkbenchInternalError(Exception e) =>
        F($"The workbench met an internal error: {e.GetType().Name}: {Untrusted.Show(e.Message, 300)} Nothing was saved. This is a bug in the tool, not in your policy; please report it with what you did.");

    public static string WorkbenchChangedOnDisk(string path, bool gone) =>
        F($"Not saved: {Untrusted.Show(path, 300)} {(gone ? "was removed" : "changed on disk")} since you loaded it (another tab or another editor saved it). Compare it with your text, then choose: overwrite it with yours, or take the file as it is now.");

    public static string WorkbenchLink(string path) =>
        F($"{path} is a symbolic link: the workbench edits and saves only regular files under its folder. Give the file itself (or run the workbench in the folder it is in).");

    public static string WorkbenchSaveOverOther(string path) =>
        F($"Not saved: {Untrusted.Show(path, 300)} already exists, and it is not the file being edited. Compare it with your text, then choose to overwrite it, or give another name.");

    public static string WorkbenchSaveOverReference(string path) =>
        F($"Not saved: {Untrusted.Show(path, 300)} is a file the edited timeline reads (one of its versions); saving over it would change the policy under the edit. Give another name.");

    public static string WorkbenchAsOfTooLate(string date, int months) =>
        F($"--as-of {date} leaves no room for the workbench's {months}-month forecast within the dates the calendar holds; give an earlier date.");

    public static string WorkbenchBuiltInFileExists(string name) =>
        F($"--policy {name} would be saved as {name}.json, and a file of that name is already here: edit it with --policy {name}.json, or run the workbench in another folder to start again from the built-in.");

    public static string WorkbenchNeedsBaseline(string policy, int problems) =>
        F($"{policy} has {problems} problem(s), so it cannot be the baseline the edits are compared with: give one with --against (a built-in name or a valid file), then fix the policy in the workbench.");

    public static string WorkbenchOutsideFolder(string policy, string root) =>
        F($"--policy {policy} is not a file under the working folder ({root}): the workbench edits and saves files only there; run it from the policy's folder or one above it.");

    public static string WorkbenchPortInUse(int port, string reason) =>
        F($"The workbench cannot listen on 127.0.0.1:{port} ({reason}): give another port with --port, or --port 0 for any free one.");

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
