using System.Globalization;

namespace Smi.Retention.Policies;

/// <summary>A policy failed validation; <see cref="Problems"/> lists every problem found, not just the first.</summary>
public sealed class PolicyValidationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="policySource">The file or built-in name.</param>
    /// <param name="problems">Every problem, in file order.</param>
    public PolicyValidationException(string policySource, IReadOnlyList<PolicyProblem> problems)
        : this(null, policySource, problems)
    {
    }

    /// <summary>Creates the exception for a file of another kind (a policy tests file), named by <paramref name="noun"/>.</summary>
    internal PolicyValidationException(string? noun, string policySource, IReadOnlyList<PolicyProblem> problems)
        : base(Describe(noun ?? "Policy", policySource, problems))
    {
        PolicySource = policySource;
        Problems = problems;
    }

    /// <summary>Creates an exception with no listed problems.</summary>
    public PolicyValidationException()
        : this("policy", [])
    {
    }

    /// <summary>Creates an exception with a message and no listed problems.</summary>
    /// <param name="message">The message.</param>
    public PolicyValidationException(string message)
        : base(message)
    {
        PolicySource = "policy";
        Problems = [];
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PolicyValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        PolicySource = "policy";
        Problems = [];
    }

    /// <summary>The file or built-in name that failed.</summary>
    public string PolicySource { get; }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<PolicyProblem> Problems { get; }

    private static string Describe(string noun, string source, IReadOnlyList<PolicyProblem> problems) =>
        string.Create(CultureInfo.InvariantCulture, $"{noun} {source} is invalid ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); nothing was evaluated:")
        + string.Concat(problems.Select(p => "\n  " + p));
}
