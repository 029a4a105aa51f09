namespace Smi.Retention.Policies.Loading;

/// <summary>
/// Where every stage of loading a policy reports: each problem with its file, its place and its
/// rule. No stage stops at a problem, so the author sees every one at once.
/// </summary>
internal sealed class ProblemSink(string source)
{
    private readonly List<PolicyProblem> _problems = [];

    /// <summary>The file or built-in name being loaded.</summary>
    public string Source { get; } = source;

    /// <summary>How many problems have been reported.</summary>
    public int Count => _problems.Count;

    public void Add(PlacedNode at, string? rule, string message) => Add(at.Line, at.Column, rule, message);

    public void Add(int line, int column, string? rule, string message) => _problems.Add(new PolicyProblem(Source, line, column, rule, message));

    /// <summary>The problems of a file a timeline refers to, under that file's own name.</summary>
    public void AddRange(IEnumerable<PolicyProblem> problems) => _problems.AddRange(problems);

    /// <summary>The exception listing every problem: the file's own first, then each referred file's, each in file order.</summary>
    public PolicyValidationException Refusal() => Refusal(null);

    /// <summary>The exception listing every problem, for a file that is not a policy (<paramref name="noun"/>: "Policy tests file").</summary>
    public PolicyValidationException Refusal(string? noun) => new(
        noun,
        Source,
        _problems.OrderBy(p => p.Source != Source).ThenBy(p => p.Source, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column).ToArray());
}
