using System.Linq.Expressions;

namespace Smi.Retention.Rules;

/// <summary>
/// Turns an expression tree parsed by RulesEngine's parser into a <see cref="Condition"/>, accepting
/// only the vocabulary of <see cref="DeviceFacts"/>. Everything else (reflection, the clock,
/// arbitrary methods, loops over ranges) is rejected: a policy file is input from people, not code.
/// </summary>
internal sealed class ConditionTranslator
{
    private readonly ParameterExpression _device;
    private readonly List<string> _errors = [];

    private ConditionTranslator(ParameterExpression device) => _device = device;

    /// <summary>Translates <paramref name="body"/>; returns null and the problems when it leaves the vocabulary.</summary>
    public static Condition? Translate(Expression body, ParameterExpression device, out IReadOnlyList<string> errors)
    {
        var translator = new ConditionTranslator(device);
        var condition = translator.Boolean(body);
        errors = translator._errors;
        return translator._errors.Count == 0 ? condition : null;
    }

    private Condition Boolean(Expression node)
    {
        switch (node)
        {
            case ConstantExpression { Value: bool value }:
                return value ? Condition.True : Condition.False;
            case MemberExpression member when member.Expression == _device && member.Member.Name == nameof(DeviceFacts.IsCommunicationsHub):
                return new OrCondition(new TypeIs(DeviceType.CHF), new TypeIs(DeviceType.GPF));
            case MethodCallExpression call when call.Object == _device:
                return Method(call);
            case UnaryExpression { NodeType: ExpressionType.Not } not when not.Type == typeof(bool):
                return new NotCondition(Boolean(not.Operand));
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.And } both when both.Type == typeof(bool):
                return new AndCondition(Boolean(both.Left), Boolean(both.Right));
            case BinaryExpression { NodeType: ExpressionType.OrElse or ExpressionType.Or } either when either.Type == typeof(bool):
                return new OrCondition(Boolean(either.Left), Boolean(either.Right));
            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } comparison:
                var equal = Comparison(comparison);
                return comparison.NodeType == ExpressionType.Equal ? equal : new NotCondition(equal);
            case ConditionalExpression conditional when conditional.Type == typeof(bool):
                return new IfCondition(Boolean(conditional.Test), Boolean(conditional.IfTrue), Boolean(conditional.IfFalse));
            default:
                return Reject(node);
        }
    }

    private Condition Comparison(BinaryExpression comparison)
    {
        var left = StripConvert(comparison.Left);
        var right = StripConvert(comparison.Right);
        if (left.Type == typeof(bool) && right.Type == typeof(bool))
        {
            var a = Boolean(left);
            var b = Boolean(right);
            return new OrCondition(new AndCondition(a, b), new AndCondition(new NotCondition(a), new NotCondition(b)));
        }

        if (right is MemberExpression && left is ConstantExpression)
        {
            (left, right) = (right, left);
        }

        if (left is MemberExpression member && member.Expression == _device && right is ConstantExpression constant)
        {
            switch (member.Member.Name)
            {
                case nameof(DeviceFacts.Type) when ToEnum<DeviceType>(constant.Value) is { } type && DeviceTypes.IsDefined(type):
                    return new TypeIs(type);
                case nameof(DeviceFacts.Status) when ToEnum<SmiStatus>(constant.Value) is { } status && SmiStatuses.IsDefined(status):
                    return new StatusIs(status);
            }
        }

        if ((Offender(left) ?? Offender(right)) is { } offender)
        {
            return Reject(offender);
        }

        _errors.Add(Messages.UnsupportedComparison(ExpressionText.AsWritten(comparison.ToString())));
        return Condition.False;
    }

    private Condition Method(MethodCallExpression call)
    {
        var argument = call.Arguments.Count == 1 ? StripConvert(call.Arguments[0]) as ConstantExpression : null;
        switch (call.Method.Name)
        {
            case nameof(DeviceFacts.HeldFor) or nameof(DeviceFacts.PendingFor):
                if (argument?.Value is not string text)
                {
                    _errors.Add(Messages.PeriodMustBeLiteral(call.Method.Name));
                    return Condition.False;
                }

                if (!RetentionPeriod.TryParse(text, out var period, out var error))
                {
                    _errors.Add(error);
                    return Condition.False;
                }

                return call.Method.Name == nameof(DeviceFacts.HeldFor)
                    ? new HeldFor(period)
                    : new AndCondition(new StatusIs(SmiStatus.Pending), new HeldFor(period));
            case nameof(DeviceFacts.HeldBefore) or nameof(DeviceFacts.HeldBeforeOtherThan):
                if (ToEnum<SmiStatus>(argument?.Value) is not { } status || !SmiStatuses.IsDefined(status))
                {
                    _errors.Add(Messages.StatusMustBeLiteral(call.Method.Name));
                    return Condition.False;
                }

                return call.Method.Name == nameof(DeviceFacts.HeldBefore) ? new HeldBefore(status) : new HeldBeforeOtherThan(status);
            default:
                return Reject(call);
        }
    }

    private static TEnum? ToEnum<TEnum>(object? value)
        where TEnum : struct, Enum => value switch
        {
            TEnum e => e,
            int or byte => (TEnum)Enum.ToObject(typeof(TEnum), value),
            _ => null,
        };

    private static Expression StripConvert(Expression node)
    {
        while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
        {
            node = convert.Operand;
        }

        return node;
    }

    private Condition Reject(Expression node)
    {
        _errors.Add(NotInVocabulary(Offender(node) ?? node));
        return Condition.False;
    }

    /// <summary>What an author reads about <paramref name="offender"/>: the dates by name, a type's member or call by its owner, else the node as written.</summary>
    private static string NotInVocabulary(Expression offender) => offender switch
    {
        MemberExpression { Member.Name: nameof(DeviceFacts.Since) or nameof(DeviceFacts.AsOf) or nameof(DeviceFacts.Boundary) } m => Messages.DateMemberUsed(m.Member.Name),
        MemberExpression { Expression: null } m => Messages.StaticNotInVocabulary(m.Member.DeclaringType?.Name ?? "?", m.Member.Name),
        MemberExpression m => Messages.NotInVocabulary(m.ToString()),
        MethodCallExpression { Object: null } call => Messages.CallNotInVocabulary(call.Method.DeclaringType?.Name ?? "?", call.Method.Name),
        MethodCallExpression call => Messages.CallNotInVocabulary(call.Object?.ToString() ?? "?", call.Method.Name),
        ConstantExpression c => Messages.ValueHasNoMeaning(c.ToString(), c.Type.Name),
        _ => Messages.NodeNotInVocabulary(offender.ToString(), offender.NodeType.ToString()),
    };

    /// <summary>
    /// The node under <paramref name="node"/> to blame: the deepest method call or member access
    /// outside the vocabulary (Enumerable.Range, not its arguments), else the deepest other node.
    /// </summary>
    private Expression? Offender(Expression node) =>
        Deepest(node, n => n is MethodCallExpression or MemberExpression) ?? Deepest(node, _ => true);

    private Expression? Deepest(Expression node, Func<Expression, bool> kind)
    {
        foreach (var child in Children(node))
        {
            if (Deepest(child, kind) is { } deeper)
            {
                return deeper;
            }
        }

        return kind(node) && !IsVocabulary(node) ? node : null;
    }

    private bool IsVocabulary(Expression node) => node switch
    {
        ParameterExpression p => p == _device,
        ConstantExpression c => c.Value is bool or string or DeviceType or SmiStatus,
        MemberExpression m => m.Expression == _device && m.Member.Name is nameof(DeviceFacts.Type) or nameof(DeviceFacts.Status) or nameof(DeviceFacts.IsCommunicationsHub),
        MethodCallExpression call => call.Object == _device
            && call.Method.Name is nameof(DeviceFacts.HeldFor) or nameof(DeviceFacts.PendingFor) or nameof(DeviceFacts.HeldBefore) or nameof(DeviceFacts.HeldBeforeOtherThan),
        UnaryExpression u => u.NodeType is ExpressionType.Not or ExpressionType.Convert,
        BinaryExpression b => b.NodeType is ExpressionType.AndAlso or ExpressionType.OrElse or ExpressionType.And or ExpressionType.Or or ExpressionType.Equal or ExpressionType.NotEqual,
        ConditionalExpression => true,
        _ => false,
    };

    private static Expression[] Children(Expression node) => node switch
    {
        MemberExpression { Expression: { } instance } => [instance],
        MethodCallExpression call => call.Object is null ? [.. call.Arguments] : [call.Object, .. call.Arguments],
        UnaryExpression u => [u.Operand],
        BinaryExpression b => [b.Left, b.Right],
        ConditionalExpression c => [c.Test, c.IfTrue, c.IfFalse],
        NewArrayExpression a => [.. a.Expressions],
        InvocationExpression i => [i.Expression, .. i.Arguments],
        LambdaExpression l => [l.Body],
        _ => [],
    };
}
