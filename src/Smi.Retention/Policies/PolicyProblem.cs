using System.Globalization;

namespace Smi.Retention.Policies;

/// <summary>One thing wrong with a policy file: where it is and how to fix it.</summary>
/// <param name="Source">The file or built-in name.</param>
/// <param name="Line">The 1-based line in the file, 0 when the problem is not at one place.</param>
/// <param name="Column">The 1-based column in the file, 0 when the problem is not at one place.</param>
/// <param name="Rule">The rule's name, when the problem is in a rule.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record PolicyProblem(string Source, int Line, int Column, string? Rule, string Message)
{
    /// <summary>The problem as one line: <c>file(line,column): rule 'name': message</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var where = Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Source}({Line},{Column})") : Source;
        return Rule is null ? $"{where}: {Message}" : $"{where}: rule '{Rule}': {Message}";
    }
}
