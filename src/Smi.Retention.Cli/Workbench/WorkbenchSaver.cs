using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Smi.Retention.Cli.Output;
using Smi.Retention.Safety;

namespace Smi.Retention.Cli.Workbench;

/// <summary>
/// Saves the edited policy, only when asked, as the tool writes every output: the destination
/// checked first (under the working folder, through real folders, never a link, a folder or an
/// input), the text written to an exclusively created temporary file beside it, synced, then
/// renamed over it. An invalid policy is saved only when the workbench was started with --force.
/// </summary>
internal sealed class WorkbenchSaver(CliContext context, string root, string defaultPath, IReadOnlyList<string> inputs, bool force)
{
    /// <summary>What a save did: the file saved, or the error and its HTTP status.</summary>
    public readonly record struct Outcome(WorkbenchSaved? Saved, WorkbenchError? Error, int Status);

    private readonly Lock _gate = new();

    /// <summary>Saves <paramref name="text"/> to <paramref name="requested"/> (relative to the working folder), or to the policy's own file when it is empty.</summary>
    public Outcome Save(string text, string? requested)
    {
        var (_, problems) = Workbench.Parse(text, defaultPath);
        if (problems.Length > 0 && !force)
        {
            return new(null, new WorkbenchError("The policy has problems and is not saved: fix them, or start the workbench with --force to save an invalid policy.", problems), StatusCodes.Status409Conflict);
        }

        string? destination;
        try
        {
            destination = Confine(root, string.IsNullOrWhiteSpace(requested) ? defaultPath : requested);
            if (destination is not null && FileFacts.Of(destination, followLinks: false).Kind is not (FileKind.Missing or FileKind.Regular))
            {
                destination = null;
            }
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

        var bytes = Encoding.UTF8.GetBytes(text);
        lock (_gate)
        {
            try
            {
                using var plan = OutputPlan.Create(context, [("save", destination)], inputs.Select(i => ("input", (string?)i)), record: false);
                if (plan["save"]!.Kind != OutputKind.Replace)
                {
                    // The server's own standard output redirected there, a pipe, a device: not a policy file.
                    return new(null, new WorkbenchError($"'{Untrusted.Show(requested ?? "", 300)}' is not a regular file (it is the server's standard output, a pipe or a device): a policy is saved only to a file."), StatusCodes.Status400BadRequest);
                }

                plan["save"]!.Stream.Write(bytes);
                plan.Commit("save");
            }
            catch (Exception e) when (e is Problems.UsageException or OutputFailedException or IOException or UnauthorizedAccessException)
            {
                return new(null, new WorkbenchError("Not saved: " + Untrusted.Show(e.Message, 1000)), StatusCodes.Status409Conflict);
            }
        }

        return new(new WorkbenchSaved(Path.GetRelativePath(root, destination), Convert.ToHexStringLower(SHA256.HashData(bytes)), problems.Length == 0), null, StatusCodes.Status200OK);
    }

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
