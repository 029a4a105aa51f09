namespace Smi.Retention.Policies;

/// <summary>
/// What a policy or timeline may contain: the bounds every load checks before it parses or
/// compiles anything, so that no file, however made, can exhaust the stack, the memory or the
/// time of the process that loads it. A policy over a bound is rejected with a problem naming it.
/// </summary>
public static class PolicyLimits
{
    /// <summary>The largest policy or timeline file, in bytes: 1 MiB.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>How deep objects and arrays may nest in a policy file (a policy needs 4 levels).</summary>
    public const int MaxJsonDepth = 16;

    /// <summary>The most rules in one policy.</summary>
    public const int MaxRules = 1000;

    /// <summary>The most versions in one timeline (each compiles to a table of up to 12 MB).</summary>
    public const int MaxVersions = 20;

    /// <summary>The most distinct periods one policy may use (each is a bit in the compiled evaluator).</summary>
    public const int MaxPeriods = 30;

    /// <summary>The longest rule, policy or timeline name, in characters.</summary>
    public const int MaxNameLength = 128;

    /// <summary>The longest rule description, in characters.</summary>
    public const int MaxDescriptionLength = 2000;

    /// <summary>The longest expression, in characters.</summary>
    public const int MaxExpressionLength = 4096;

    /// <summary>How deep parentheses may nest in an expression.</summary>
    public const int MaxParenthesisDepth = 32;

    /// <summary>The most unary and conditional operators (<c>!</c>, <c>not</c>, <c>?</c>) in an expression.</summary>
    public const int MaxUnaryOperators = 64;

    /// <summary>The most binary operators (<c>&amp;&amp;</c>, <c>||</c>, <c>==</c>, <c>!=</c>, <c>,</c> ...) in an expression.</summary>
    public const int MaxBinaryOperators = 256;

    /// <summary>The most tests a rule's condition may expand to once translated (comparing conditions with <c>==</c> doubles them).</summary>
    public const int MaxConditionSize = 4096;

    /// <summary>
    /// The most tests (nodes of the translated conditions) in all the rules of one policy: compiling
    /// visits every test once for each device state, so this bounds the time a load can take.
    /// </summary>
    public const int MaxPolicyTests = 4096;

    /// <summary>The most distinct device models the rules of one policy may name.</summary>
    public const int MaxModels = 32;

    /// <summary>
    /// The most classes of devices a policy's rules may tell apart besides type and status: the
    /// history classes, times 3 when a rule tests the SMETS generation (SMETS1, SMETS2, not recorded),
    /// times the models named plus 2 (any other, not recorded) when a rule tests the model. The
    /// compiled table grows with it, so it bounds a load's memory and time (twice what the history
    /// alone can reach).
    /// </summary>
    public const int MaxDeviceClasses = 1024;

    /// <summary>The earliest date a timeline's version may come into force.</summary>
    public static NodaTime.LocalDate EarliestEffectiveFrom { get; } = new(1900, 1, 1);

    /// <summary>The latest date a timeline's version may come into force (so that every due date, 100 years on, is a date).</summary>
    public static NodaTime.LocalDate LatestEffectiveFrom { get; } = new(2999, 12, 31);

    /// <summary>The most tests in all the versions of one timeline together.</summary>
    public const int MaxTimelineTests = 8192;
}
