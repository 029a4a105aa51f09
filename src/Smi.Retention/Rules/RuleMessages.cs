using System.Globalization;
using System.Linq.Expressions;

namespace Smi.Retention;

/// <summary>Message texts about rule expressions, in the invariant culture.</summary>
internal static class RuleMessages
{
    public const string Vocabulary =
        "A rule may use device.Type, device.Status, device.IsCommunicationsHub, device.HeldFor(\"P12M\"), device.PendingFor(\"P12M\"), " +
        "device.HeldBefore(\"Commissioned\") and device.HeldBeforeOtherThan(\"Pending\"), with ==, !=, in, &&, ||, ! and ? :.";

    public static string NotInVocabulary(Expression offender) => offender switch
    {
        MemberExpression { Member.Name: nameof(DeviceFacts.Since) or nameof(DeviceFacts.AsOf) or nameof(DeviceFacts.Boundary) } m =>
            F($"device.{m.Member.Name} cannot be used directly: dates enter a rule only through a period, so that every decision has an exact due date. {Vocabulary}"),
        MemberExpression { Expression: null } m => F($"{m.Member.DeclaringType?.Name}.{m.Member.Name} is not part of the policy vocabulary. {Vocabulary}"),
        MemberExpression m => F($"'{m}' is not part of the policy vocabulary. {Vocabulary}"),
        MethodCallExpression { Object: null } call => F($"{call.Method.DeclaringType?.Name}.{call.Method.Name}(...) is not part of the policy vocabulary. {Vocabulary}"),
        MethodCallExpression call => F($"{call.Object}.{call.Method.Name}(...) is not part of the policy vocabulary. {Vocabulary}"),
        ConstantExpression c => F($"The value {c} ({c.Type.Name}) has no meaning in a rule. {Vocabulary}"),
        _ => F($"'{offender}' ({offender.NodeType}) is not part of the policy vocabulary. {Vocabulary}"),
    };

    public static string UnsupportedComparison(BinaryExpression comparison) =>
        F($"'{comparison}' is not a comparison a rule can make: compare device.Type with a device type name or device.Status with a status name, e.g. device.Type == \"CHF\". {Vocabulary}");

    public static string PeriodMustBeLiteral(string method) =>
        F($"device.{method} takes one period written in quotes, e.g. device.{method}(\"P36M\").");

    public static string StatusMustBeLiteral(string method) =>
        F($"device.{method} takes one status name written in quotes, e.g. device.{method}(\"Commissioned\").");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
