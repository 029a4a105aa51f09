using Smi.Retention.Files;
using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// Every destination of one command, checked before any input is read and committed together at
/// the end: a destination that is the same file as an input or as another destination (by identity,
/// whatever the spelling, link or hard link), a directory, a symbolic link, a block device or a
/// socket is refused with exit 2 before anything is written; <c>-</c> is standard output.
/// </summary>
internal sealed class OutputPlan : IDisposable
{
    private readonly List<OutputFile> _files = [];
    private readonly CliContext _context;
    private readonly bool _record;

    private OutputPlan(CliContext context, bool record)
    {
        _context = context;
        _record = record;
    }

    /// <summary>Whether a destination is standard output, so the summary must go to standard error.</summary>
    public bool WritesStandardOutput => _files.Any(f => f.Kind == OutputKind.StandardOutput);

    /// <summary>The options of the outputs that go to standard output.</summary>
    public IEnumerable<string> ToStandardOutput => _files.Where(f => f.Kind == OutputKind.StandardOutput).Select(f => f.Option);

    /// <summary>The output for <paramref name="option"/>, or null when it was not asked for.</summary>
    public OutputFile? this[string option] => _files.FirstOrDefault(f => f.Option == option);

    /// <summary>Checks every destination against the inputs and each other, then creates their temporary files.</summary>
    /// <param name="context">Where standard output is.</param>
    /// <param name="outputs">Each output option and its path (null when not given).</param>
    /// <param name="inputs">Each input option and its path (null, a built-in name or <c>-</c> when not a file).</param>
    /// <param name="record">Whether commits are recorded in the context's <see cref="CliContext.Written"/> (not for the workbench's saves, which outlive no command).</param>
    /// <exception cref="UsageException">A destination is refused; the message says why.</exception>
    public static OutputPlan Create(CliContext context, IEnumerable<(string Option, string? Path)> outputs, IEnumerable<(string Option, string? Path)> inputs, bool record = true)
    {
        var known = new List<(string Option, string Path, string Identity)>();
        foreach (var (option, path) in inputs)
        {
            var identity = path == "-" ? (context.Streams.Input.Kind == FileKind.Regular ? context.Streams.Input.Identity : null) : path is null ? null : Identity(path);
            if (identity is not null)
            {
                known.Add((option, path!, identity));
            }
        }

        // Standard output or error appended to the inventory (or the policy) would write the summary
        // into it; so would the message refusing it, so such a stream is silenced first.
        context.SilenceStreamsThatAre(known.Select(k => k.Identity));
        foreach (var (stream, facts) in new[] { ("Standard output", context.Streams.Output), ("Standard error", context.Streams.Error) })
        {
            if (facts.Kind == FileKind.Regular && known.FirstOrDefault(k => k.Identity == facts.Identity) is { Option: not null } input)
            {
                throw new UsageException(ProblemCodes.OutputRefused, CliMessages.StreamIsAnInput(stream, input.Option, input.Path));
            }
        }

        var checkedOutputs = new List<(string Option, string Path, OutputKind Kind, Destination Target)>();
        foreach (var (option, path) in outputs)
        {
            if (path is null)
            {
                continue;
            }

            var (kind, target, identity) = Check(context, option, path);
            if (known.FirstOrDefault(k => k.Identity == identity) is { Option: not null } same)
            {
                throw new UsageException(ProblemCodes.OutputRefused, kind == OutputKind.StandardOutput && checkedOutputs.Any(o => o.Kind == OutputKind.StandardOutput)
                    ? CliMessages.TwoOutputsToStandardOutput(same.Option, option)
                    : CliMessages.OutputIsAnotherFile(option, path, same.Option, same.Path));
            }

            known.Add((option, path, identity));
            checkedOutputs.Add((option, path, kind, target));
        }

        var plan = new OutputPlan(context, record);
        try
        {
            foreach (var (option, path, kind, target) in checkedOutputs)
            {
                plan._files.Add(OutputFile.Create(option, path, kind, target, context));
            }
        }
        catch
        {
            plan.Dispose();
            throw;
        }

        return plan;
    }

    /// <summary>
    /// Commits the outputs asked for, in the order given; none is committed before every one is
    /// complete. Each one committed is added to the context's <see cref="CliContext.Written"/>, so a
    /// failure or an interruption after it says truly what was written.
    /// </summary>
    public void Commit(params string[] options)
    {
        // Every file to be renamed into place is made durable first: a disk that does not take one
        // output's data (its sync fails: EIO, ENOSPC, a file system turned read-only) fails the run
        // before any output is committed.
        foreach (var option in options)
        {
            this[option]?.Complete();
        }

        foreach (var option in options)
        {
            if (this[option] is not { } file)
            {
                continue;
            }

            _context.Committing = file;
            try
            {
                file.Commit();
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                if (file.Reached > 0 && _record)
                {
                    _context.Written.Add(new Written(option, file.Destination, file.Reached));
                }

                _context.Committing = null;

                if (e is IOException)
                {
                    throw new OutputFailedException(CliMessages.CommitFailed(option, file.Destination, OutputFile.Words(e), _context.Written), e);
                }

                throw;
            }

            if (_record)
            {
                _context.Written.Add(new Written(option, file.Destination));
            }

            _context.Committing = null;
        }
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    /// <summary>An input's identity; an input that cannot be examined is the reading's problem, not the plan's.</summary>
    private static string? Identity(string path)
    {
        try
        {
            return FileFacts.Of(path) is { Exists: true, Identity: { } identity } ? identity : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>How a destination can be written, what it is, and what identifies it (the file's identity, or its full path while it does not exist).</summary>
    private static (OutputKind Kind, Destination Target, string Identity) Check(CliContext context, string option, string path)
    {
        if (path == "-")
        {
            return (OutputKind.StandardOutput, default, context.Streams.Output.Identity ?? "standard output");
        }

        if (path.Length == 0)
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputEmpty(option));
        }

        // '--out --help' wrote a file named --help: a value that looks like an option is taken for a
        // slip, and a file of that name is written when asked for by a path (./--help).
        if (path.StartsWith('-'))
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputLooksLikeAnOption(option, path));
        }

        if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputIsNot(option, path, "a folder name (it ends with a separator)"));
        }

        // The file is the one the kernel finds at the path: its folder resolved by the kernel (links
        // and .. followed name by name), not by .NET's text (which made nosuch/../inventory.csv the
        // inventory while the check found no such file), then its own name, checked and written there.
        if (RealPaths.NameOf(path) is var last && last is "." or "..")
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputIsNot(option, path, CliMessages.AFolderByItsLastName(last)));
        }

        string full, newIdentity;
        FileFacts folderFacts, link, target;
        try
        {
            var (folder, name) = RealPaths.Split(path);
            full = Path.Join(folder, name);

            // A new file is told apart by its folder's identity and its name: two spellings of it
            // through a link or a bind mount of its folder are one file.
            folderFacts = FileFacts.Of(folder);
            newIdentity = "new:" + (folderFacts.Identity ?? folder) + "/" + name;
            link = FileFacts.Of(full, followLinks: false);
            target = link.Kind == FileKind.SymbolicLink ? FileFacts.Of(full) : link;
        }
        catch (DirectoryNotFoundException)
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputFolderMissing(option, path));
        }
        catch (IOException e)
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.CannotWriteOutput(option, path, e.Message));
        }

        // /dev/stdout and its like with the stream closed: the file at its number now is not the stream.
        if (StandardDescriptors.Refusal(option, path, output: true) is { } refused)
        {
            throw new UsageException(ProblemCodes.OutputRefused, refused);
        }

        // /dev/stdout and its like: the process's own standard output, where the summary must not go too.
        if (target.Identity is { } id && id == context.Streams.Output.Identity)
        {
            return (OutputKind.StandardOutput, default, id);
        }

        if (target.Identity is { } err && err == context.Streams.Error.Identity)
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputIsStandardError(option, path));
        }

        switch (target.Kind)
        {
            case FileKind.Fifo or FileKind.CharacterDevice:
                // Written at the end through a handle opened on the file itself (the link, if any,
                // resolved now) and checked to be this one: a link swapped in meanwhile is not followed.
                return (OutputKind.WriteThrough, new Destination(Resolved(option, full, path, link), target), target.Identity!);
            case FileKind.Directory or FileKind.BlockDevice or FileKind.Socket:
                throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputIsNot(option, path, target.Described));
        }

        if (link.Kind == FileKind.SymbolicLink)
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputIsALink(option, path));
        }

        if (target.Kind == FileKind.Regular && StickyRefuses(folderFacts, target, Ownership.EffectiveUser))
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputInStickyFolder(option, path));
        }

        // What the kernel would refuse at the rename, after other outputs were committed: found now.
        if ((target.Attributes & (FileFacts.Immutable | FileFacts.AppendOnly | FileFacts.MountRoot)) != 0 || (folderFacts.Attributes & (FileFacts.Immutable | FileFacts.AppendOnly)) != 0)
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputCannotBeReplaced(option, path, (target.Attributes & FileFacts.MountRoot) != 0 ? CliMessages.MountedOver
                : ((target.Attributes | folderFacts.Attributes) & FileFacts.Immutable) != 0 ? CliMessages.ImmutableThere : CliMessages.AppendOnlyThere));
        }

        return (OutputKind.Replace, new Destination(full, target), target.Identity ?? newIdentity);
    }

    /// <summary>
    /// Whether the kernel will refuse to replace <paramref name="file"/> in <paramref name="folder"/>
    /// for <paramref name="user"/>: a sticky folder (as /tmp is) lets only a file's owner, the
    /// folder's owner or root rename over it. Found before any work, not after other outputs are committed.
    /// </summary>
    internal static bool StickyRefuses(FileFacts folder, FileFacts file, long user) =>
        user > 0 && folder.Mode >= 0 && (folder.Mode & StickyBit) != 0 && file.Owner >= 0 && file.Owner != user && folder.Owner != user;

    private const int StickyBit = 0x200; // S_ISVTX, 01000

    /// <summary>The full path of the file at <paramref name="full"/> (the real path of its folder, and its name), its links resolved.</summary>
    private static string Resolved(string option, string full, string path, FileFacts link)
    {
        try
        {
            var resolved = link.Kind == FileKind.SymbolicLink
                ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? throw new IOException(CliMessages.LinkUnresolved(path))
                : full;

            // /dev/fd/63 of a process substitution, >(gzip > d.gz): a pipe with no name to open again
            // at the end ('pipe:[...]'), which failed after the whole run. Refused before any work.
            return link.Kind != FileKind.SymbolicLink || FileFacts.Of(resolved, followLinks: false).Exists
                ? resolved
                : throw new UsageException(ProblemCodes.OutputRefused, CliMessages.OutputIsAnUnnamedPipe(option, path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException(ProblemCodes.OutputRefused, CliMessages.CannotWriteOutput(option, path, e.Message));
        }
    }

    /// <summary>The JSON document goes to standard output, so no other output may: refused before any work.</summary>
    public static void CheckJsonHasStandardOutput(bool json, OutputPlan outputs)
    {
        if (json && outputs.WritesStandardOutput)
        {
            throw new UsageException(ProblemCodes.OptionValue, CliMessages.JsonWantsStandardOutput(outputs.ToStandardOutput));
        }
    }
}
