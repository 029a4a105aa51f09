using Smi.Retention.Rules;

namespace Smi.Retention.Policies.Loading;

/// <summary>
/// A rule's expression to a <see cref="Condition"/>, every problem placed at its token's first
/// character in the file's own text (escapes counted): the loading stage around the one reader of
/// the language (<see cref="ExpressionParser"/>), which also bounds the condition's size.
/// </summary>
internal sealed class ExpressionReader(ProblemSink problems)
{
    /// <summary>The condition of the rule's expression, or null with every problem reported.</summary>
    public Condition? Read(PlacedString node, string name)
    {
        var condition = ExpressionParser.Read(node.Value, out var found);
        foreach (var (position, reason) in found)
        {
            problems.Add(node.Line, position < 0 ? node.Column : node.ColumnAt(position), name, reason);
        }

        if (condition is not null && ConditionLogic.Size(condition) > PolicyLimits.MaxConditionSize)
        {
            problems.Add(node, name, Messages.ConditionTooComplex(PolicyLimits.MaxConditionSize));
            return null;
        }

        return condition;
    }
}
