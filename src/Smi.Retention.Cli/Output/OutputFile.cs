using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Smi.Retention.Files;
using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// One destination of the tool, written only when the run succeeds. A regular file is written
/// under an unpredictable name, created exclusively in its own folder (so no planted link or file
/// is followed or truncated), then renamed over the destination. A pipe, a terminal or standard
/// output cannot be renamed over: its content is spooled to such a file in the temporary folder and
/// copied into it on commit. Until then, nothing is written to the destination; a temporary file
/// not committed is deleted when the output is disposed, or by <see cref="RemoveAbandoned"/> when
/// the process is stopped by a signal.
/// </summary>
internal sealed class OutputFile : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> Pending = new(StringComparer.Ordinal);

    // Temporary files that could not be deleted, with why and the run that made them (none for a
    // signal's clean-up): the failure message must say so, not claim none is left. By run, so that
    // runs in one process (the tests') each tell their own.
    private static readonly ConcurrentDictionary<string, (string Reason, CliContext? Run)> Undeleted = new(StringComparer.Ordinal);

    /// <summary>A test's hook: the reason every deletion of a temporary file fails, instead of deleting it.</summary>
    internal static AsyncLocal<string?> DeleteFault { get; } = new();

    /// <summary>The temporary files of this run (or of no run) that could not be deleted since the last call, each with the reason; forgotten once taken.</summary>
    public static IReadOnlyList<(string Path, string Reason)> TakeUndeleted(CliContext run)
    {
        var taken = new List<(string Path, string Reason)>();
        foreach (var (path, entry) in Undeleted.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            if ((entry.Run is null || entry.Run == run) && Undeleted.TryRemove(path, out var reason))
            {
                taken.Add((path, reason.Reason));
            }
        }

        return taken;
    }

    private readonly string _temporary;
    private readonly FileStream _stream;
    private readonly DirectWrites? _writes; // a file renamed into place, synced before: its large part written past the page cache
    private readonly Destination _target;
    private readonly CliContext _context;
    private bool _committed;
    private NamedStream? _named;

    private OutputFile(string option, string destination, OutputKind kind, Destination target, string temporary, FileStream stream, CliContext context)
    {
        Option = option;
        Destination = destination;
        Kind = kind;
        _target = target;
        _temporary = temporary;
        _stream = stream;
        _context = context;
        _writes = kind == OutputKind.Replace ? new DirectWrites(stream) : null;
    }

    /// <summary>The option that named it, e.g. <c>--out</c>.</summary>
    public string Option { get; }

    /// <summary>The path given, or <c>-</c>.</summary>
    public string Destination { get; }

    /// <summary>How it is committed.</summary>
    public OutputKind Kind { get; }

    /// <summary>Where to write the content: a failure to write it (a full disk) names this output, not its temporary file.</summary>
    public Stream Stream => _named ??= new NamedStream(this);

    /// <summary>
    /// For a pipe, device or standard output whose commit failed part-way: the bytes that reached
    /// it. Written with write(2) (on Linux and macOS), exactly what the kernel took; otherwise the
    /// most that can have, those of the writes that completed and of the one that failed (0 when
    /// its first write failed: the destination took nothing, as a full device does).
    /// </summary>
    public long Reached => _accepted is { } accepted ? accepted.Accepted
        : Volatile.Read(ref _completed) is > 0 and var completed ? completed + Volatile.Read(ref _underWay) : 0;

    private DescriptorStream? _accepted; // the destination as written through write(2): it knows what the kernel took

    /// <summary>For the watchdog, while a commit is under way: the most bytes that can have reached the destination, a write blocked part-way included.</summary>
    public long MayHaveReached => Volatile.Read(ref _completed) + Volatile.Read(ref _underWay);

    private long _completed;
    private long _underWay;

    /// <summary>Creates the temporary file for a destination already checked by <see cref="OutputPlan"/>.</summary>
    public static OutputFile Create(string option, string destination, OutputKind kind, Destination target, CliContext context)
    {
        var spool = kind != OutputKind.Replace;
        var folder = spool ? Path.GetTempPath() : Path.GetDirectoryName(target.Path)!; // the folder as the kernel found it when checked
        var name = spool ? "smi-retention" : Path.GetFileName(destination);
        var temporary = Path.Combine(folder, "." + TemporaryStem(name) + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".partial");
        try
        {
            // CreateNew is O_EXCL: it never opens an existing file or follows a link planted at the name.
            // A spool is read back through this same handle at the end, never reopened by its name
            // (which a cleaner of the temporary folder may have removed or replaced meanwhile), and
            // in a shared temporary folder only its owner may read it.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = spool ? FileAccess.ReadWrite : FileAccess.Write, Share = FileShare.None, BufferSize = 1 };
            if (!OperatingSystem.IsWindows() && (spool || target.Facts.Kind == FileKind.Regular))
            {
                // A spool, and a file that will replace another (which takes that file's owner,
                // group, attributes and mode only when it is put in its place), are private until then.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var stream = new FileStream(temporary, options);
            Pending[temporary] = 0;
            return new OutputFile(option, destination, kind, target, temporary, stream, context);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException(ProblemCodes.OutputRefused, spool
                ? CliMessages.CannotSpool(option, destination, folder, SpoolReason(e, folder, temporary))
                : CliMessages.CannotWriteOutput(option, destination, e is UnauthorizedAccessException ? CliMessages.FolderNotWritable(folder) : Reason(e, temporary)));
        }
    }

    /// <summary>
    /// The room left where this output goes, as <c>df</c>'s "Avail" gives it (the blocks reserved
    /// for root not counted: an output never eats into them), and where that is: the file system of
    /// its temporary file (where the output is made; for a pipe or standard output, spooled in
    /// TMPDIR), or standard output's when that is a file with less room. Asked on their handles;
    /// null where that cannot be known (not 64-bit Linux, or the call failed).
    /// </summary>
    public (long Bytes, string Where)? Room
    {
        get
        {
            if (FreeOn(_stream.SafeFileHandle) is not { } free)
            {
                return null;
            }

            var room = (free, Kind == OutputKind.Replace ? "in the output's folder" : "in the temporary folder (TMPDIR), where the output is held until the end");
            if (Kind == OutputKind.StandardOutput)
            {
                using var standardOutput = new SafeFileHandle(1, ownsHandle: false);
                if (FileFacts.Of(standardOutput, null).Kind == FileKind.Regular && FreeOn(standardOutput) is { } there && there < free)
                {
                    room = (there, "on the file system of the file standard output goes to");
                }
            }

            return room;
        }
    }

    private static long? FreeOn(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }

        // struct statvfs on 64-bit Linux: f_bsize, f_frsize, f_blocks, f_bfree, f_bavail (free to those without the reserve), ... each 8 bytes.
        Span<ulong> facts = stackalloc ulong[16];
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return FileSystemFacts((int)handle.DangerousGetHandle(), ref facts[0]) == 0 && facts[1] > 0 && facts[4] <= long.MaxValue / facts[1]
                ? (long)(facts[1] * facts[4])
                : null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fstatvfs", SetLastError = true)]
    private static extern int FileSystemFacts(int descriptor, ref ulong facts);

    /// <summary>
    /// Gives the file about to be renamed into place what the file it replaces has now (not when the
    /// run began: a file made private meanwhile stays so): its owner and group, its extended
    /// attributes that say who may read it and its user's own (<see cref="Ownership.Passes"/>), then
    /// its permission bits. Where the owner and group cannot both be given (another user's file, a
    /// group the writer is not in) or an attribute cannot be read or set, the new file is private to
    /// its owner instead: no one may read it who could not read the file it replaces. Never throws:
    /// the file is private from its making until this succeeds.
    /// </summary>
    /// <returns>Null, or the one line that says why the new file is private, for when it is in place.</returns>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private string? TakeOnReplaced()
    {
        var replaced = FileFacts.Of(_target.Path, followLinks: false);
        if (replaced.Kind != FileKind.Regular || ModeOf(replaced, _target.Path) is not { } mode)
        {
            return null; // a new file keeps the usual bits (the umask's, its folder's default ACL); one whose file went meanwhile, private as made
        }

        var handle = _stream.SafeFileHandle;
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            File.SetUnixFileMode(handle, Private); // before the owner changes: the writer's own file now, so this cannot fail
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliMessages.ReplacedPrivate(Option, Destination, null, Reason(e, _temporary));
        }

        // The first reason it is private is the one said; the attributes are set as far as they may be even so.
        string? why = null;
        if (!Ownership.TryKeep(handle, replaced))
        {
            why = CliMessages.ReplacedWithoutItsOwner(Option, Destination, replaced.Owner, replaced.Group, ownFile: replaced.Owner == Ownership.EffectiveUser);
        }

        // Its access ACL, or none (not its folder's default one, which could grant more than the
        // replaced file did), its security label and its user attributes.
        if (!Ownership.TryAttributes(_target.Path, out var attributes, out var unreadable))
        {
            why ??= CliMessages.ReplacedPrivate(Option, Destination, null, unreadable);
        }
        else if (!Ownership.TrySetAttributes(handle, attributes, out var missed))
        {
            why ??= CliMessages.ReplacedPrivate(Option, Destination, missed, null);
        }

        try
        {
            File.SetUnixFileMode(handle, why is null ? mode : Private); // exactly, whatever the umask took away
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Given to another owner without the right to change its mode after (root without
            // CAP_FOWNER): it stays private, as it was made.
            why ??= CliMessages.ReplacedPrivate(Option, Destination, null, "its mode: " + Reason(e, _temporary));
        }

        return why;
    }

    /// <summary>The permission bits of a file that a replacement passes on; null when it is gone.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode? ModeOf(FileFacts facts, string path)
    {
        if (facts.Mode >= 0)
        {
            return (UnixFileMode)facts.Mode & Permissions;
        }

        try
        {
            return File.GetUnixFileMode(path) & Permissions; // where statx is not used
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The permission bits a replaced file passes on (not set-user-ID, set-group-ID or sticky).
    private const UnixFileMode Permissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    // The longest name a temporary file's own part may have: '.' + it + '.' + 16 hex + ".partial"
    // within the 255 bytes a file name may take on Linux and most file systems.
    private const int MaxStemBytes = 255 - 1 - 1 - 16 - 8;

    /// <summary>The destination's name as the temporary file's, cut to fit (at a character's start) when the destination's own name is near the limit.</summary>
    private static string TemporaryStem(string name)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(name) <= MaxStemBytes)
        {
            return name;
        }

        var bytes = 0;
        var end = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxStemBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }

        return name[..end];
    }

    /// <summary>
    /// Starts making a complete file durable on another thread (nothing more may be written to it),
    /// so that the wait for the disk overlaps the work that decides whether to commit it;
    /// <see cref="Commit"/> waits for it, and finds its failure. Nothing for a spooled output.
    /// </summary>
    public void StartFlush()
    {
        if (Kind == OutputKind.Replace && _flushing is null)
        {
            var syncing = _syncing;
            _flushing = Task.Run(() =>
            {
                syncing?.GetAwaiter().GetResult();
                FlushToDisk();
            });
        }
    }

    private Task? _flushing;

    // A file renamed into place is made durable first. A large one is synced in steps while it is
    // written, one step at a time on another thread, so the disk works while the run does and the
    // flush at the end waits only for the last step.
    private const long SyncStep = 64L << 20;
    private Task? _syncing;
    private long _syncedTo;
    private bool _cannotSync; // the file system cannot sync this file: no more steps

    /// <summary>After a write that ends at <paramref name="position"/>: starts a sync of what is written, when a step has been written since the last and that one is done.</summary>
    private void Written(long position)
    {
        if (Kind != OutputKind.Replace || !DataSync.IsAvailable || _cannotSync || position - _syncedTo < SyncStep || _syncing is { IsCompleted: false })
        {
            return;
        }

        _syncing?.GetAwaiter().GetResult(); // a step that failed fails the writing
        _syncedTo = position;
        _syncing = Task.Run(() => _cannotSync = !DataSync.Run(_stream.SafeFileHandle, metadata: false));
    }

    /// <summary>Makes the file durable, its failure reported (.NET's own flush to disk passes over one).</summary>
    private void FlushToDisk()
    {
        if (!DataSync.IsAvailable)
        {
            _writes?.Finish();
            _stream.Flush(flushToDisk: true);
            return;
        }

        _writes?.Finish();
        _stream.Flush();
        DataSync.Run(_stream.SafeFileHandle, metadata: true);
    }

    /// <summary>
    /// For a file renamed into place: made durable (waiting for <see cref="StartFlush"/>'s work, or
    /// doing it) before any output is committed, so that a failure here (a disk that did not take
    /// the data) commits nothing. Nothing for a spooled output; once is enough.
    /// </summary>
    /// <exception cref="OutputFailedException">The file could not be completed.</exception>
    public void Complete()
    {
        if (Kind != OutputKind.Replace)
        {
            return;
        }

        try
        {
            _syncing?.GetAwaiter().GetResult();
            if (_flushing is null)
            {
                _flushing = Task.CompletedTask;
                FlushToDisk();
            }
            else
            {
                _flushing.GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is IOException || MetFileSizeLimit(e))
        {
            // The last bytes of a file written past the page cache are written here (a file-size limit met among them too).
            throw new OutputFailedException(CliMessages.OutputWriteFailed(Option, Destination, Reason(e, _temporary), null, MetFileSizeLimit(e)), e);
        }
    }

    /// <summary>Makes the content the destination's: renamed into place, or copied into a pipe, device or standard output.</summary>
    public void Commit()
    {
        Complete(); // done already when the plan commits (it completes every output first); then nothing
        _stream.Flush();
        try
        {
            switch (Kind)
            {
                case OutputKind.Replace:
                    if (OperatingSystem.IsWindows())
                    {
                        _stream.Dispose(); // elsewhere the handle stays open, to find the file if the rename fails
                    }

                    // The file at the temporary name must be the one this handle wrote: a folder copied
                    // and swapped in during the run holds a stale copy under that name.
                    if (!OperatingSystem.IsWindows() && FileFacts.Of(_temporary, followLinks: false) is var there && !there.IsSameFileAs(FileFacts.Of(_stream.SafeFileHandle, null)))
                    {
                        throw new IOException(CliMessages.RenameFailed(there.Exists ? CliMessages.TemporaryReplaced : CliMessages.TemporaryMoved));
                    }

                    var narrowed = OperatingSystem.IsWindows() ? null : TakeOnReplaced();

                    try
                    {
                        File.Move(_temporary, _target.Path, overwrite: true); // the file checked, not the path as given (which .NET would read by its text)
                    }
                    catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                    {
                        throw new IOException(CliMessages.RenameFailed(CliMessages.TemporaryMoved), e);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // .NET's words name the temporary file, which the reader does not know: say what failed.
                        throw new IOException(CliMessages.RenameFailed(Reason(e, _temporary)), e);
                    }

                    _stream.Dispose();
                    if (narrowed is not null)
                    {
                        _context.Notice(narrowed); // said once the file is in place: a rename that failed leaves no such file
                    }

                    break;
                case OutputKind.WriteThrough:
                    // The file checked before the run, through a handle checked to be it: a link or
                    // another file swapped in meanwhile is refused, and the wait for a pipe's reader
                    // ends on Ctrl-C.
                    using (var target = SafeOpen.WriteThrough(_target.Path, _target.Facts, () => _context.Error.WriteLine(CliMessages.WaitingForReader(Option, Destination)), _context.Cancellation))
                    {
                        if (OperatingSystem.IsWindows())
                        {
                            Copy(_stream, target);
                        }
                        else
                        {
                            // Written with write(2) on the opened handle, which counts what the kernel took.
                            var added = false;
                            target.SafeFileHandle.DangerousAddRef(ref added);
                            try
                            {
                                _accepted = new DescriptorStream((int)target.SafeFileHandle.DangerousGetHandle());
                                Copy(_stream, _accepted);
                            }
                            finally
                            {
                                if (added)
                                {
                                    target.SafeFileHandle.DangerousRelease();
                                }
                            }
                        }
                    }

                    break;
                default:
                    var standardOutput = _context.StandardOutput();
                    _accepted = standardOutput as DescriptorStream;
                    Copy(_stream, standardOutput);
                    standardOutput.Flush();
                    break;
            }
        }
        catch (UnauthorizedAccessException e)
        {
            // What .NET makes of a closed descriptor (EBADF) for standard output.
            throw new IOException(Kind == OutputKind.StandardOutput ? "standard output is closed" : e.Message, e);
        }

        _committed = true;
        if (Kind != OutputKind.Replace)
        {
            TryDelete(_temporary, run: _context); // the spool; a renamed file is the destination now
        }

        Pending.TryRemove(_temporary, out _);
    }

    public void Dispose()
    {
        try
        {
            _flushing?.Wait();
            _syncing?.Wait();
        }
        catch (AggregateException)
        {
            // A failed flush of an output not committed: it is deleted below.
        }

        // Where the file is now, while its handle tells: its folder may have been moved during the run.
        var path = _committed ? null : WhereNow() ?? _temporary;
        _writes?.Dispose();
        _stream.Dispose();
        if (!_committed)
        {
            TryDelete(path!, _temporary, _context);

            // Its folder moved away and a copy put in its place (a backup restored): a file under
            // the temporary name there is not the one written (a stale copy, or another's), and
            // not the tool's to delete: said to be left, with where it is.
            if (path != _temporary && Kind == OutputKind.Replace && FileFacts.Of(_temporary, followLinks: false).Exists)
            {
                Undeleted[_temporary] = (CliMessages.StaleCopyLeft, _context);
            }

            Pending.TryRemove(_temporary, out _);
        }
    }

    /// <summary>
    /// The path of the temporary file as its open handle finds it (Linux), checked to be the same
    /// file; null when it cannot be told or the file is deleted (then its name is all there is).
    /// </summary>
    private string? WhereNow()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var handle = _stream.SafeFileHandle;
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                var link = new FileInfo("/proc/self/fd/" + handle.DangerousGetHandle().ToInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)).LinkTarget;
                return link is not null && !link.EndsWith(" (deleted)", StringComparison.Ordinal)
                    && FileFacts.Of(link, followLinks: false).IsSameFileAs(FileFacts.Of(handle, null)) ? link : null;
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>Deletes every temporary file not yet committed: for a process stopped by a signal.</summary>
    public static void RemoveAbandoned()
    {
        foreach (var path in Pending.Keys)
        {
            TryDelete(path);
        }
    }

    /// <summary>
    /// Copies the spool, from its start, through its own handle, counting the bytes that may have
    /// reached the destination; a spool that is not as long as what was written to it (cut short by
    /// another process) fails the output rather than passing a part for the whole.
    /// </summary>
    private void Copy(FileStream spool, Stream target)
    {
        var length = spool.Position; // everything written, flushed
        var buffer = new byte[1 << 16];
        int read;
        long copied = 0;
        spool.Position = 0;
        while ((read = spool.Read(buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - copied)))) > 0)
        {
            _context.Cancellation.ThrowIfCancellationRequested();

            // A write blocked or failed part-way may have passed some of its bytes on: counted as under way until it completes.
            Volatile.Write(ref _underWay, read);
            target.Write(buffer, 0, read);
            Volatile.Write(ref _completed, _completed + read);
            Volatile.Write(ref _underWay, 0);
            copied += read;
        }

        spool.Dispose();
        if (copied != length)
        {
            throw new IOException(CliMessages.SpoolCutShort(copied, length));
        }
    }

    /// <summary>Deletes a temporary file at <paramref name="path"/>, where it is now (<paramref name="made"/>, where it was made, by default).</summary>
    private static void TryDelete(string path, string? made = null, CliContext? run = null)
    {
        made ??= path;
        try
        {
            if (DeleteFault.Value is { } fault && File.Exists(path))
            {
                throw new IOException(fault);
            }

            File.Delete(path);
            Undeleted.TryRemove(made, out _);
        }
        catch (DirectoryNotFoundException)
        {
            // Its folder is gone (a cleaner of the temporary folder), and the file with it.
            Undeleted.TryRemove(made, out _);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The name is unpredictable and starts with a dot, so nothing else uses it; but the
            // operator is told where it is, so a disk is not filled by what a failed run left.
            Undeleted.TryRemove(made, out _);
            Undeleted[path] = (Reason(e, path), run);
        }
    }

    /// <summary>Why no spool could be made in the temporary folder: what the folder is when it is none (TMPDIR naming a file), or what the kernel said.</summary>
    private static string SpoolReason(Exception e, string folder, string temporary)
    {
        var facts = FileFacts.Of(Path.TrimEndingDirectorySeparator(folder)); // TMPDIR's, with its '/': a file is then no path at all
        return facts.Exists && facts.Kind != FileKind.Directory ? "it is " + facts.Described + ", not a folder"
            : e is FileNotFoundException ? "its file system does not let files be made (as /proc does not)"
            : Reason(e, temporary);
    }

    /// <summary>Why a file could not be made or deleted, in words that do not repeat its path (.NET's often do, and the message names it once).</summary>
    private static string Reason(Exception e, string path) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "its folder does not exist",
        _ => WithoutPath(Words(e)).Replace("'" + path + "'", "it", StringComparison.Ordinal).Replace(path, "it", StringComparison.Ordinal),
    };

    /// <summary>
    /// Whether a write failed on the process's file-size limit (ulimit -f): .NET's file streams and
    /// console report EFBIG as an <see cref="ArgumentOutOfRangeException"/> for the parameter
    /// <c>value</c>, a descriptor's write as an <see cref="IOException"/> with EFBIG.
    /// </summary>
    public static bool MetFileSizeLimit(Exception e) =>
        e is ArgumentOutOfRangeException { ParamName: "value" } || (OperatingSystem.IsLinux() && e is IOException { HResult: FileSizeLimitError });

    /// <summary>EFBIG on Linux.</summary>
    private const int FileSizeLimitError = 27;

    /// <summary>An I/O failure's words: the tool's for a file-size limit, else the exception's own.</summary>
    public static string Words(Exception e) => MetFileSizeLimit(e) ? CliMessages.FileTooLarge() : e.Message;

    /// <summary>.NET's "Reason : 'path'" without the path part.</summary>
    private static string WithoutPath(string message) =>
        message.IndexOf(" : '", StringComparison.Ordinal) is >= 0 and var at ? message[..at] : message;

    /// <summary>The temporary file as the command writes it: an I/O failure is reported as this output's.</summary>
    private sealed class NamedStream(OutputFile output) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => output._stream.Length;

        public override long Position { get => output._stream.Position; set => throw new NotSupportedException(); }

        public override void Flush() => Guard(output._stream.Flush);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                if (output._writes is { } writes)
                {
                    writes.Write(buffer);
                    output.Written(writes.Written);
                }
                else
                {
                    output._stream.Write(buffer);
                    output.Written(output._stream.Position);
                }
            }
            catch (Exception e) when (e is IOException || MetFileSizeLimit(e))
            {
                throw Failed(e);
            }
        }

        private void Guard(Action write)
        {
            try
            {
                write();
            }
            catch (Exception e) when (e is IOException || MetFileSizeLimit(e))
            {
                throw Failed(e);
            }
        }

        private OutputFailedException Failed(Exception e) =>
            new(CliMessages.OutputWriteFailed(output.Option, output.Destination, Reason(e, output._temporary), output.Kind == OutputKind.Replace ? null : Path.GetDirectoryName(output._temporary), MetFileSizeLimit(e)), e);
    }
}
