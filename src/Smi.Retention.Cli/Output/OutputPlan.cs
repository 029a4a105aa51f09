using Smi.Retention.Safety;

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

    private OutputPlan()
    {
    }

    /// <summary>Whether a destination is standard output, so the summary must go to standard error.</summary>
    public bool WritesStandardOutput => _files.Any(f => f.Kind == OutputKind.StandardOutput);

    /// <summary>The output for <paramref name="option"/>, or null when it was not asked for.</summary>
    public OutputFile? this[string option] => _files.FirstOrDefault(f => f.Option == option);

    /// <summary>Checks every destination against the inputs and each other, then creates their temporary files.</summary>
    /// <param name="context">Where standard output is.</param>
    /// <param name="outputs">Each output option and its path (null when not given).</param>
    /// <param name="inputs">Each input option and its path (null, a built-in name or <c>-</c> when not a file).</param>
    /// <exception cref="UsageException">A destination is refused; the message says why.</exception>
    public static OutputPlan Create(CliContext context, IEnumerable<(string Option, string? Path)> outputs, IEnumerable<(string Option, string? Path)> inputs)
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

        // Standard output or error appended to the inventory (or the policy) would write the summary into it.
        foreach (var (stream, facts) in new[] { ("Standard output", context.Streams.Output), ("Standard error", context.Streams.Error) })
        {
            if (facts.Kind == FileKind.Regular && known.FirstOrDefault(k => k.Identity == facts.Identity) is { Option: not null } input)
            {
                throw new UsageException(CliMessages.StreamIsAnInput(stream, input.Option, input.Path));
            }
        }

        var checkedOutputs = new List<(string Option, string Path, OutputKind Kind, FileKind Target)>();
        foreach (var (option, path) in outputs)
        {
            if (path is null)
            {
                continue;
            }

            var (kind, target, identity) = Check(context, option, path);
            if (known.FirstOrDefault(k => k.Identity == identity) is { Option: not null } same)
            {
                throw new UsageException(kind == OutputKind.StandardOutput && checkedOutputs.Any(o => o.Kind == OutputKind.StandardOutput)
                    ? CliMessages.TwoOutputsToStandardOutput(same.Option, option)
                    : CliMessages.OutputIsAnotherFile(option, path, same.Option, same.Path));
            }

            known.Add((option, path, identity));
            checkedOutputs.Add((option, path, kind, target));
        }

        var plan = new OutputPlan();
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

    /// <summary>Commits the outputs asked for, in the order given; none is committed before every one is complete.</summary>
    public void Commit(params string[] options)
    {
        var committed = new List<string>();
        foreach (var option in options)
        {
            if (this[option] is not { } file)
            {
                continue;
            }

            try
            {
                file.Commit();
            }
            catch (IOException e)
            {
                throw new OutputFailedException(CliMessages.CommitFailed(option, file.Destination, e.Message, committed), e);
            }

            committed.Add(option);
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
    private static (OutputKind Kind, FileKind Target, string Identity) Check(CliContext context, string option, string path)
    {
        if (path == "-")
        {
            return (OutputKind.StandardOutput, FileKind.Missing, context.Streams.Output.Identity ?? "standard output");
        }

        if (path.Length == 0)
        {
            throw new UsageException(CliMessages.OutputEmpty(option));
        }

        if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new UsageException(CliMessages.OutputIsNot(option, path, "a folder name (it ends with a separator)"));
        }

        FileFacts link, target;
        try
        {
            link = FileFacts.Of(path, followLinks: false);
            target = link.Kind == FileKind.SymbolicLink ? FileFacts.Of(path) : link;
        }
        catch (IOException e)
        {
            throw new UsageException(CliMessages.CannotWriteOutput(option, path, e.Message));
        }

        // /dev/stdout and its like: the process's own standard output, where the summary must not go too.
        if (target.Identity is { } id && id == context.Streams.Output.Identity)
        {
            return (OutputKind.StandardOutput, target.Kind, id);
        }

        if (target.Identity is { } err && err == context.Streams.Error.Identity)
        {
            throw new UsageException(CliMessages.OutputIsStandardError(option, path));
        }

        switch (target.Kind)
        {
            case FileKind.Fifo or FileKind.CharacterDevice:
                return (OutputKind.WriteThrough, target.Kind, target.Identity!);
            case FileKind.Directory or FileKind.BlockDevice or FileKind.Socket:
                throw new UsageException(CliMessages.OutputIsNot(option, path, target.Described));
        }

        if (link.Kind == FileKind.SymbolicLink)
        {
            throw new UsageException(CliMessages.OutputIsALink(option, path));
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || FileFacts.Of(folder).Kind != FileKind.Directory)
        {
            throw new UsageException(CliMessages.OutputFolderMissing(option, path));
        }

        return (OutputKind.Replace, target.Kind, target.Identity ?? "new:" + Path.GetFullPath(path));
    }
}
