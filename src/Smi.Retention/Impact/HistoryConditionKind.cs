namespace Smi.Retention.Impact;

/// <summary>The form of a <see cref="HistoryCondition"/>.</summary>
public enum HistoryConditionKind
{
    /// <summary>Any history at all.</summary>
    Any,

    /// <summary>No status held before the current run.</summary>
    Nothing,

    /// <summary>Some status held before the current run.</summary>
    Something,

    /// <summary>At least one of <see cref="HistoryCondition.Statuses"/> held before.</summary>
    HeldAnyOf,

    /// <summary>None of <see cref="HistoryCondition.Statuses"/> held before.</summary>
    HeldNoneOf,

    /// <summary>Every one of <see cref="HistoryCondition.Statuses"/> held before.</summary>
    HeldAllOf,

    /// <summary>No status other than those of <see cref="HistoryCondition.Statuses"/> held before, and one of them was.</summary>
    HeldOnly,

    /// <summary>No status other than those of <see cref="HistoryCondition.Statuses"/> held before (or none at all).</summary>
    HeldNoneOtherThan,

    /// <summary>Some status other than those of <see cref="HistoryCondition.Statuses"/> held before (the language's <c>HeldBeforeOtherThan</c>).</summary>
    HeldOtherThan,

    /// <summary>One of <see cref="HistoryCondition.Terms"/> holds: each names statuses held before and statuses never held before.</summary>
    AnyOfTerms,
}
