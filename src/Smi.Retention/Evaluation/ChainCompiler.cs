using System.Linq.Expressions;

namespace Smi.Retention;

/// <summary>
/// Evaluates every rule of one policy version for one device, in every epoch at once. Returns the
/// rule matched in <paramref name="epoch"/> (index + 1, 0 for none) in the low 16 bits, and a bit
/// per epoch in which the device is removed in the high 32 bits.
/// </summary>
/// <param name="device">The device.</param>
/// <param name="epoch">How many of the version's periods (shortest first) have elapsed on the as-of date.</param>
internal delegate long RuleChains(in DeviceRecord device, int epoch);

/// <summary>
/// Compiles a policy version into one <see cref="RuleChains"/> delegate. A period test depends on
/// the date only through its epoch, so each epoch's chain is folded to constants at compile time:
/// per device the delegate does a few comparisons of type and status and allocates nothing.
/// </summary>
internal static class ChainCompiler
{
    internal const int RemoveFlag = 1 << 16;

    public static RuleChains Compile(RetentionPolicy policy)
    {
        var device = Expression.Parameter(typeof(DeviceRecord).MakeByRefType(), "device");
        var epoch = Expression.Parameter(typeof(int), "epoch");
        var periods = policy.Periods;
        var enabled = policy.Rules.Where(r => r.Enabled).ToArray();

        var codes = new List<ParameterExpression>();
        var body = new List<Expression>();
        for (var e = 0; e <= periods.Count; e++)
        {
            var code = Expression.Variable(typeof(int), "code" + e);
            codes.Add(code);
            body.Add(Expression.Assign(code, Chain(enabled, periods, e, device)));
        }

        // bits = sum of (code_e >> 16) << e: the epochs in which the matched rule removes.
        Expression bits = Expression.Constant(0);
        for (var e = 0; e < codes.Count; e++)
        {
            bits = Expression.Or(bits, Expression.LeftShift(Expression.RightShift(codes[e], Expression.Constant(16)), Expression.Constant(e)));
        }

        var ruleAtEpoch = codes.Count == 1
            ? (Expression)codes[0]
            : Expression.Switch(
                epoch,
                codes[^1],
                codes.Take(codes.Count - 1).Select((c, e) => Expression.SwitchCase(c, Expression.Constant(e))).ToArray());

        body.Add(Expression.Or(
            Expression.LeftShift(Expression.Convert(bits, typeof(long)), Expression.Constant(32)),
            Expression.Convert(Expression.And(ruleAtEpoch, Expression.Constant(0xFFFF)), typeof(long))));

        var lambda = Expression.Lambda<RuleChains>(Expression.Block(codes, body), device, epoch);
        return lambda.Compile();
    }

    /// <summary>First match wins: <c>c1 ? code1 : c2 ? code2 : ... : 0</c>, with constant conditions folded away.</summary>
    private static Expression Chain(RetentionRule[] rules, IReadOnlyList<RetentionPeriod> periods, int epoch, ParameterExpression device)
    {
        Expression result = Expression.Constant(0);
        for (var i = rules.Length - 1; i >= 0; i--)
        {
            var rule = rules[i];
            var code = Expression.Constant((rule.Index + 1) | (rule.Action == RetentionAction.Remove ? RemoveFlag : 0));
            result = ConditionLogic.Fold(rule.Condition, periods, epoch) switch
            {
                ConstantCondition { Value: true } => code,
                ConstantCondition { Value: false } => result,
                var condition => Expression.Condition(Build(condition, device), code, result),
            };
        }

        return result;
    }

    private static Expression Build(Condition condition, ParameterExpression device) => condition switch
    {
        ConstantCondition c => Expression.Constant(c.Value),
        TypeIs t => Expression.Equal(Expression.Property(device, nameof(DeviceRecord.Type)), Expression.Constant(t.Type)),
        StatusIs s => Expression.Equal(Expression.Property(device, nameof(DeviceRecord.Status)), Expression.Constant(s.Status)),
        HeldBefore b => Expression.Call(Expression.Property(device, nameof(DeviceRecord.PriorStatuses)), nameof(SmiStatusSet.Contains), null, Expression.Constant(b.Status)),
        HeldBeforeOtherThan o => Expression.Call(Expression.Property(device, nameof(DeviceRecord.PriorStatuses)), nameof(SmiStatusSet.ContainsOtherThan), null, Expression.Constant(o.Status)),
        NotCondition n => Expression.Not(Build(n.Operand, device)),
        AndCondition a => Expression.AndAlso(Build(a.Left, device), Build(a.Right, device)),
        OrCondition o => Expression.OrElse(Build(o.Left, device), Build(o.Right, device)),
        IfCondition i => Expression.Condition(Build(i.Test, device), Build(i.Then, device), Build(i.Else, device)),
        _ => throw new InvalidOperationException($"A {condition.GetType().Name} cannot be compiled; period tests are folded before this point."),
    };
}
