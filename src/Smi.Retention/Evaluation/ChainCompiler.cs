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
/// the date only through the epoch, so each condition is compiled to a bit mask over the epochs
/// (bit e: the condition holds in epoch e): period tests are constant masks, type and status tests
/// all-or-nothing. The rules are then walked once, first match wins per epoch, in a walk
/// specialised for each device type, as a hand-written switch would: a few comparisons per device,
/// no allocation, and the due date's epochs for free.
/// </summary>
internal static class ChainCompiler
{
    public static RuleChains Compile(RetentionPolicy policy)
    {
        var device = Expression.Parameter(typeof(DeviceRecord).MakeByRefType(), "device");
        var epoch = Expression.Parameter(typeof(int), "epoch");
        var rules = policy.Rules.Where(r => r.Enabled).ToArray();

        // One rule walk per device type, with the type tests decided at compile time: a meter
        // never looks at the hub exclusion, as in a hand-written switch (EvaluationBenchmarks).
        var cases = DeviceTypes.All.ToArray().Select(type => Expression.SwitchCase(
            Walk(rules.Select(r => (r, ConditionLogic.ForType(r.Condition, type))), policy.Periods, device, epoch),
            Expression.Constant(type))).ToArray();
        var body = Expression.Switch(
            Expression.Property(device, nameof(DeviceRecord.Type)),
            Walk(rules.Select(r => (r, r.Condition)), policy.Periods, device, epoch),
            cases);

        return Expression.Lambda<RuleChains>(body, device, epoch).Compile();
    }

    /// <summary>The rules in order, first match wins per epoch; returns the packed result.</summary>
    private static BlockExpression Walk(IEnumerable<(RetentionRule Rule, Condition Condition)> rules, IReadOnlyList<RetentionPeriod> periods, ParameterExpression device, ParameterExpression epoch)
    {
        var all = (int)((1u << (periods.Count + 1)) - 1);
        var remaining = Expression.Variable(typeof(int), "remaining");
        var removeBits = Expression.Variable(typeof(int), "removeBits");
        var rule = Expression.Variable(typeof(int), "rule");
        var matched = Expression.Variable(typeof(int), "matched");
        var done = Expression.Label("done");
        var body = new List<Expression>
        {
            Expression.Assign(remaining, Expression.Constant(all)),
            Expression.Assign(removeBits, Expression.Constant(0)),
            Expression.Assign(rule, Expression.Constant(0)),
        };

        foreach (var (r, condition) in rules)
        {
            if (condition is ConstantCondition { Value: false })
            {
                continue;
            }

            var mask = new MaskBuilder(device, periods, all).Build(condition);
            body.Add(Expression.Assign(matched, Expression.And(mask, remaining)));
            body.Add(Expression.IfThen(
                Expression.NotEqual(matched, Expression.Constant(0)),
                Expression.Block(
                    // The first rule matching in the as-of epoch decides it: later ones cannot, as remaining excludes it.
                    Expression.IfThen(
                        Expression.NotEqual(Expression.And(Expression.RightShift(matched, epoch), Expression.Constant(1)), Expression.Constant(0)),
                        Expression.Assign(rule, Expression.Constant(r.Index + 1))),
                    r.Action == RetentionAction.Remove ? Expression.OrAssign(removeBits, matched) : Expression.Empty(),
                    Expression.AndAssign(remaining, Expression.Not(matched)),
                    Expression.IfThen(Expression.Equal(remaining, Expression.Constant(0)), Expression.Goto(done)))));
        }

        body.Add(Expression.Label(done));
        body.Add(Expression.Or(
            Expression.LeftShift(Expression.Convert(removeBits, typeof(long)), Expression.Constant(32)),
            Expression.Convert(rule, typeof(long))));
        return Expression.Block([remaining, removeBits, rule, matched], body);
    }

    /// <summary>Builds the epoch mask of a condition, short-circuiting like <c>&amp;&amp;</c> and <c>||</c>.</summary>
    private sealed class MaskBuilder(ParameterExpression device, IReadOnlyList<RetentionPeriod> periods, int all)
    {
        private readonly List<ParameterExpression> _temporaries = [];

        public Expression Build(Condition condition)
        {
            var mask = Mask(condition);
            return _temporaries.Count == 0 ? mask : Expression.Block(_temporaries, mask);
        }

        private Expression Mask(Condition condition) => condition switch
        {
            ConstantCondition c => Expression.Constant(c.Value ? all : 0),
            HeldFor h => Expression.Constant(all & ~((2 << ConditionLogic.Rank(periods, h.Period)) - 1)),
            NotCondition n => Expression.And(Expression.Not(Mask(n.Operand)), Expression.Constant(all)),
            AndCondition a => ShortCircuit(Mask(a.Left), Mask(a.Right), whenLeftIs: 0, Expression.And),
            OrCondition o => ShortCircuit(Mask(o.Left), Mask(o.Right), whenLeftIs: all, Expression.Or),
            IfCondition i => Both(i),
            _ => Expression.Condition(Test(condition), Expression.Constant(all), Expression.Constant(0)),
        };

        private ConditionalExpression ShortCircuit(Expression left, Expression right, int whenLeftIs, Func<Expression, Expression, BinaryExpression> combine)
        {
            var value = Expression.Variable(typeof(int));
            _temporaries.Add(value);
            return Expression.Condition(
                Expression.Equal(Expression.Assign(value, left), Expression.Constant(whenLeftIs)),
                Expression.Constant(whenLeftIs),
                combine(value, right));
        }

        private BinaryExpression Both(IfCondition branch)
        {
            var test = Expression.Variable(typeof(int));
            _temporaries.Add(test);
            return Expression.Or(
                Expression.And(Expression.Assign(test, Mask(branch.Test)), Mask(branch.Then)),
                Expression.And(Expression.And(Expression.Not(test), Expression.Constant(all)), Mask(branch.Else)));
        }

        private Expression Test(Condition atom) => atom switch
        {
            TypeIs t => Expression.Equal(Expression.Property(device, nameof(DeviceRecord.Type)), Expression.Constant(t.Type)),
            StatusIs s => Expression.Equal(Expression.Property(device, nameof(DeviceRecord.Status)), Expression.Constant(s.Status)),
            HeldBefore b => Expression.Call(Expression.Property(device, nameof(DeviceRecord.PriorStatuses)), nameof(SmiStatusSet.Contains), null, Expression.Constant(b.Status)),
            HeldBeforeOtherThan o => Expression.Call(Expression.Property(device, nameof(DeviceRecord.PriorStatuses)), nameof(SmiStatusSet.ContainsOtherThan), null, Expression.Constant(o.Status)),
            _ => throw new InvalidOperationException($"A {atom.GetType().Name} is not an atom."),
        };
    }
}
