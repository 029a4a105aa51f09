using Smi.Retention.Policies;

namespace Smi.Retention.Authoring;

/// <summary>
/// A policy tests file: the policy it tests and named cases that pin its author's intent ("a CHF
/// pending 40 months stays under dcc-cr1022"), kept beside the policy and run with
/// <see cref="PolicyTestRunner"/> or <c>smi-retention test</c>. Its JSON Schema is
/// <c>schemas/policy-tests.schema.json</c>.
/// </summary>
public sealed class PolicyTestSuite
{
    private readonly string _root;

    internal PolicyTestSuite(string source, string policy, string? policyPath, string root, BoundaryMode boundary, string? description, IReadOnlyList<PolicyTestCase> cases)
    {
        _root = root;
        Source = source;
        Policy = policy;
        PolicyPath = policyPath;
        Boundary = boundary;
        Description = description;
        Cases = cases;
    }

    /// <summary>The file (or name) the suite was read from.</summary>
    public string Source { get; }

    /// <summary>The policy reference as written: a built-in name, or a path relative to the file that stays under the working folder.</summary>
    public string Policy { get; }

    /// <summary>The policy file the reference names, resolved against the tests file's folder; null for a built-in.</summary>
    public string? PolicyPath { get; }

    /// <summary>The boundary mode of cases that do not set their own.</summary>
    public BoundaryMode Boundary { get; }

    /// <summary>What the suite is for, from its <c>Description</c>.</summary>
    public string? Description { get; }

    /// <summary>The cases, in file order.</summary>
    public IReadOnlyList<PolicyTestCase> Cases { get; }

    /// <summary>Loads the policy the suite names: the built-in, or the file beside the tests file.</summary>
    /// <returns>The policy or timeline.</returns>
    /// <exception cref="PolicyValidationException">The policy is invalid, or the file cannot be read.</exception>
    /// <exception cref="FileNotFoundException">The policy file does not exist.</exception>
    /// <exception cref="IOException">The policy file passes through a symbolic link, is not a regular file, or cannot be read.</exception>
    public RetentionTimeline LoadPolicy() =>
        PolicyPath is null
            ? PolicyCatalog.LoadBuiltIn(Policy)
            : PolicyCatalog.LoadFile(PolicyFiles.Confined(_root, Path.GetRelativePath(_root, PolicyPath), Messages.UnknownPolicy(Policy, PolicyCatalog.BuiltInNames)));

    /// <summary>
    /// Reads a policy tests file. Its <c>Policy</c>, resolved from the tests file's folder, may name a
    /// file only under the working folder (a repository's root in CI), or under the tests file's own
    /// folder when that is outside the working folder, through real folders: a tests file cannot make
    /// the tool read <c>/etc/passwd</c> or a link out of the repository and show its text in messages.
    /// </summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file is not a regular file, is too large, or cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="PolicyValidationException">The file is invalid: every problem listed with its line and column.</exception>
    public static PolicyTestSuite Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new PolicyFileException(Messages.PathHasNul(path));
        }

        return ParseAt(PolicyFiles.Read(path, Messages.TestFileNotFound(path)), path);
    }

    /// <summary>Reads tests from <paramref name="utf8"/> as the file at <paramref name="path"/> would be read (its policy reference resolved and confined as <see cref="Load"/> does): the workbench's edited text.</summary>
    internal static PolicyTestSuite ParseAt(byte[] utf8, string path)
    {
        var folder = Path.GetDirectoryName(Files.RealPaths.Full(path)) ?? "."; // as the kernel read the file

        // The policy it names must be under the working folder (a repository's root in CI); a tests
        // file outside the working folder (run from a sibling folder) is confined to its own folder.
        var working = Directory.GetCurrentDirectory();
        var relative = Path.GetRelativePath(working, folder);
        var root = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? folder : working;
        return PolicyTestReader.Read(utf8, path, folder, root);
    }

    /// <summary>Reads policy tests from JSON text; a policy reference that is not a built-in is resolved against the working folder.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="source">A name for messages.</param>
    /// <returns>The suite.</returns>
    /// <exception cref="PolicyValidationException">The text is invalid: every problem listed with its line and column.</exception>
    public static PolicyTestSuite Parse(string json, string source = "tests")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        return PolicyTestReader.Read(Policies.Loading.PolicyText.Utf8(json, source, Messages.TestFileNoun), source, Directory.GetCurrentDirectory(), Directory.GetCurrentDirectory());
    }
}
