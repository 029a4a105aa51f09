using System.Reflection;
using Smi.Retention.Files;

namespace Smi.Retention.Policies;

/// <summary>
/// Loads housekeeping policies: the built-in ones shipped in the package, or RulesEngine workflow
/// JSON files (one policy) and timeline files (policies with effective-from dates). Every load
/// validates completely and throws <see cref="PolicyValidationException"/> listing every problem.
/// </summary>
public static class PolicyCatalog
{
    private const string ResourcePrefix = "policies/";
    private static readonly Assembly Assembly = typeof(PolicyCatalog).Assembly;

    // The one list of built-ins: each is policies/<name>.json in the assembly and the package.
    // A class, not a tuple: LINQ over a reference type runs the framework's precompiled code, where
    // over a struct the packed tool would compile it whenever it starts.
    private static readonly BuiltIn[] BuiltIns =
    [
        new("sec-ac72-v6.3", false, "SEC v6.3 Appendix AC 7.2: every device pending for 12 months is removed."),
        new("secmp0060", false, "SECMP0060 (November 2019 release): every device pending for 36 months is removed."),
        new("dcc-cr1022", false, "DCC enduring solution (CR1022): CHF and GPF excluded; 12 months for each other type."),
        new("bryt-previously-commissioned", false, "12 months, only for devices commissioned before: Commissioned or Decommissioned earlier (Bryt Energy)."),
        new("sec-timeline", true, "sec-ac72-v6.3 before 2019-11-07, secmp0060 from 2019-11-07."),
    ];

    private sealed record BuiltIn(string Name, bool IsTimeline, string Summary);

    /// <summary>The built-in single policies.</summary>
    public static IReadOnlyList<string> BuiltInPolicyNames { get; } = BuiltIns.Where(b => !b.IsTimeline).Select(b => b.Name).ToArray();

    /// <summary>Every built-in name: the single policies, then the timelines.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [.. BuiltInPolicyNames, .. BuiltIns.Where(b => b.IsTimeline).Select(b => b.Name)];

    /// <summary>One line about each built-in policy, by name, in <see cref="BuiltInNames"/> order.</summary>
    public static IReadOnlyDictionary<string, string> BuiltInSummaries { get; } =
        BuiltInNames.ToDictionary(name => name, name => BuiltIns.First(b => b.Name == name).Summary, StringComparer.Ordinal);

    /// <summary>Loads a built-in policy or timeline by name, or else a policy or timeline file by path.</summary>
    /// <param name="nameOrPath">A name from <see cref="BuiltInNames"/>, or a file path.</param>
    /// <returns>The timeline (a single policy is a timeline of one version).</returns>
    /// <exception cref="ArgumentException"><paramref name="nameOrPath"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">It is neither a built-in name nor an existing file.</exception>
    /// <exception cref="IOException">The file is not a regular file, is larger than <see cref="PolicyLimits.MaxFileBytes"/>, or cannot be read; or (a <see cref="PolicyFileException"/>) a built-in name that a file in the working folder has too, which is ambiguous (give the file as <c>./name</c>).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="PolicyValidationException">The policy is invalid; every problem is listed.</exception>
    public static RetentionTimeline Load(string nameOrPath) => Load(nameOrPath, namesFolder: null);

    /// <summary>As <see cref="Load(string)"/>, a built-in name refused when a file of that name is in <paramref name="namesFolder"/> (the host's content root, where its relative paths resolve) rather than the working folder.</summary>
    internal static RetentionTimeline Load(string nameOrPath, string? namesFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        return IsBuiltIn(nameOrPath, namesFolder, BuiltInNames) ? LoadBuiltIn(nameOrPath) : LoadFile(nameOrPath);
    }

    /// <summary>Where <see cref="IsBuiltIn(string, string?, IReadOnlyList{string}, string?)"/> looks for a file of a built-in's name.</summary>
    private static string NamePath(string reference, string? folder) => folder is null ? reference : Path.Combine(folder, reference);

    /// <summary>
    /// Whether <paramref name="reference"/> names a built-in (one of <paramref name="names"/>); refused
    /// when a regular file of that very name (or a link to one) is in <paramref name="folder"/> (the
    /// working folder when null), where a path would be looked for: which is meant cannot be told,
    /// and an author editing that file would see the built-in decide. (A folder or a pipe of that
    /// name can be no policy file: the built-in.)
    /// </summary>
    /// <param name="reference">The name or path given.</param>
    /// <param name="folder">Where a path would be looked for.</param>
    /// <param name="names">The built-in names it may be.</param>
    /// <param name="shownFolder">The folder as the message names it (as the user gave it), when not <paramref name="folder"/>.</param>
    /// <exception cref="PolicyFileException">A file of that name is there too.</exception>
    internal static bool IsBuiltIn(string reference, string? folder, IReadOnlyList<string> names, string? shownFolder = null)
    {
        if (!names.Contains(reference, StringComparer.Ordinal))
        {
            return false;
        }

        var there = NamePath(reference, folder);
        ExaminedPaths.Look(there);
        return FileFacts.Of(there).Kind == FileKind.Regular
            ? throw new PolicyFileException(Messages.BuiltInNameIsAFileToo(reference, shownFolder is null ? there : Shown(shownFolder, reference)))
            : true;
    }

    /// <summary>Loads a built-in policy or timeline.</summary>
    /// <param name="name">A name from <see cref="BuiltInNames"/>.</param>
    /// <returns>The timeline.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a built-in name.</exception>
    public static RetentionTimeline LoadBuiltIn(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return PolicyLoader.Load(ReadBuiltIn(name), name, ResolveBuiltIn);
    }

    /// <summary>
    /// Loads a policy or timeline file. It must be a regular file of at most
    /// <see cref="PolicyLimits.MaxFileBytes"/>; a timeline's policies are built-in names or files in
    /// the timeline's own folder or below, by relative path, without <c>..</c> or symbolic links.
    /// </summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The timeline.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file is not a regular file, is too large, or cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="PolicyValidationException">The policy is invalid; every problem is listed.</exception>
    public static RetentionTimeline LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new PolicyFileException(Messages.PathHasNul(path));
        }

        ExaminedPaths.Look(path);
        return ParseAt(PolicyFiles.Read(path, Messages.UnknownPolicy(path, BuiltInNames)), path);
    }

    /// <summary>Parses policy or timeline bytes as the file at <paramref name="path"/> would be loaded: a timeline's references resolve from its folder, as <see cref="LoadFile"/> resolves them.</summary>
    /// <param name="utf8">The bytes.</param>
    /// <param name="path">The file they are of.</param>
    internal static RetentionTimeline ParseAt(byte[] utf8, string path)
    {
        var directory = Path.GetDirectoryName(RealPaths.Full(path)) ?? "."; // as the kernel read the file: lk/../t.json is t.json beside lk's target
        var files = new List<string> { path };
        return PolicyLoader.Load(utf8, path, reference => ResolveFrom(directory, Path.GetDirectoryName(path) ?? "", reference, files)).WithFiles(files);
    }

    /// <summary>Parses policy or timeline JSON held in memory; a timeline may refer only to built-in policies.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="source">A name for the text in error messages.</param>
    /// <returns>The timeline.</returns>
    /// <exception cref="PolicyValidationException">The policy is invalid; every problem is listed.</exception>
    public static RetentionTimeline Parse(string json, string source = "policy")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        return Parse(Loading.PolicyText.Utf8(json, source), source);
    }

    /// <summary>Parses policy or timeline bytes as read from a file (any bytes); a timeline may refer only to built-in policies.</summary>
    internal static RetentionTimeline Parse(byte[] utf8, string source) => PolicyLoader.Load(utf8, source, ResolveBuiltIn);

    /// <summary>The JSON text of a built-in policy or timeline, as shipped.</summary>
    /// <param name="name">A name from <see cref="BuiltInNames"/>.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a built-in name.</exception>
    public static string BuiltInText(string name) => System.Text.Encoding.UTF8.GetString(ReadBuiltIn(name));

    private static RetentionPolicy ResolveBuiltIn(string reference) =>
        BuiltInPolicyNames.Contains(reference, StringComparer.Ordinal)
            ? PolicyLoader.LoadPolicy(ReadBuiltIn(reference), reference)
            : throw new FileNotFoundException(NoPolicy(reference), reference);

    /// <summary>
    /// What a timeline's version told to follow <paramref name="reference"/>, which no built-in
    /// policy is, is told: the name of a built-in timeline, that a version is a policy; any
    /// other, that it is neither a built-in policy nor a file.
    /// </summary>
    private static string NoPolicy(string reference) =>
        BuiltInNames.Except(BuiltInPolicyNames).FirstOrDefault(t => string.Equals(t, reference, StringComparison.OrdinalIgnoreCase)) is { } timeline
            ? Messages.BuiltInTimelineAsAVersion(timeline, BuiltInPolicyNames) // in any case: 'SEC-TIMELINE' is meant as it too
            : Messages.UnknownPolicy(reference, BuiltInPolicyNames);

    /// <summary>A timeline's reference: a built-in, or a file under its folder, named in problems as the timeline names it, relative to where the timeline was given.</summary>
    private static RetentionPolicy ResolveFrom(string directory, string shownFolder, string reference, List<string> files)
    {
        if (IsBuiltIn(reference, directory, BuiltInPolicyNames, shownFolder))
        {
            return ResolveBuiltIn(reference);
        }

        var notFound = NoPolicy(reference);
        ExaminedPaths.Look(Path.Combine(directory, reference));
        var path = PolicyFiles.Confined(directory, reference, notFound);
        var utf8 = PolicyFiles.Read(path, notFound, followLinks: false);
        files.Add(path);
        return PolicyLoader.LoadPolicy(utf8, Shown(shownFolder, reference));
    }

    /// <summary>
    /// A timeline's reference as problems and decisions name it: joined to the timeline's folder as
    /// it was given, its "." segments left out but a leading one (<c>./c0.json</c> beside
    /// <c>./t.json</c> is <c>./c0.json</c>, not <c>././c0.json</c>). Only "." is left out: a ".."
    /// after a link is not the folder before it.
    /// </summary>
    private static string Shown(string shownFolder, string reference)
    {
        var joined = Path.Combine(shownFolder, reference);
        var shown = new System.Text.StringBuilder(joined.Length);
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '.' && i > 0 && IsSeparator(joined[i - 1]) && i + 1 < joined.Length && IsSeparator(joined[i + 1]))
            {
                i++; // the "." and the separator after it
                continue;
            }

            shown.Append(joined[i]);
        }

        return shown.ToString();

        static bool IsSeparator(char c) => c == Path.DirectorySeparatorChar || c == Path.AltDirectorySeparatorChar;
    }

    private static byte[] ReadBuiltIn(string name)
    {
        if (!BuiltInNames.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException(Messages.UnknownPolicy(name, BuiltInNames), nameof(name));
        }

        using var stream = Assembly.GetManifestResourceStream(ResourcePrefix + name + ".json")
            ?? throw new InvalidOperationException($"The built-in policy '{name}' is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
