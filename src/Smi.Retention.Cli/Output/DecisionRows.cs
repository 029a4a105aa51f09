using Smi.Retention.Evaluation;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// Rows of the decisions file (<see cref="Header"/>) formatted as UTF-8 into a
/// <see cref="CsvOutput"/>. Past the device id a row repeats: its action, rule and alert are copied
/// from bytes encoded once per kind of decision; only the id and a due date are formatted for each
/// row. Each formatting thread has its own.
/// </summary>
internal sealed class DecisionRows
{
    /// <summary>The decisions file's header.</summary>
    public const string Header = "device_id,action,rule,due_date,alert";

    private const int DateLength = 10;

    // A policy has a handful of rules, so a run a handful of kinds of row: a short list compared by
    // reference beats hashing; past it (a policy of hundreds of rules), a table by reference. Either
    // way a kind is encoded once: decisions hold their policy's own rule and alert objects, so the
    // kinds are bounded by the policy's rules (PolicyLimits).
    private const int ListedKinds = 16;
    private readonly List<Kind> _kinds = [];
    private readonly Dictionary<(object? Reason, RetentionAction Action), Kind> _moreKinds = new(ByReference.Instance);

    /// <summary>Appends the row of one decision.</summary>
    public void Write(CsvOutput text, DeviceId id, in RetentionDecision decision)
    {
        var kind = KindOf(decision);
        var row = text.Reserve(DeviceId.TextLength + kind.Row.Length + DateLength);
        id.TryFormat(row, out var at);
        if (decision.DueDate is { } date)
        {
            kind.Row.AsSpan(0, kind.BeforeDate).CopyTo(row[at..]);
            at += kind.BeforeDate;
            CsvOutput.WriteDate(row[at..], date);
            at += DateLength;
            kind.Row.AsSpan(kind.BeforeDate).CopyTo(row[at..]);
            at += kind.Row.Length - kind.BeforeDate;
        }
        else
        {
            kind.Row.CopyTo(row[at..]);
            at += kind.Row.Length;
        }

        text.Advance(at);
    }

    /// <summary>
    /// The bytes of a row past its id for a decision's action, rule and alert (by the decision's
    /// reason: an undetermined decision's problem is not written, so all of them are one kind).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private Kind KindOf(in RetentionDecision decision)
    {
        var action = decision.Action;
        var reason = action == RetentionAction.Undetermined ? null : decision.Reason;
        foreach (var kind in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_kinds))
        {
            if (ReferenceEquals(kind.Reason, reason) && kind.Action == action)
            {
                return kind;
            }
        }

        return _kinds.Count == ListedKinds && _moreKinds.TryGetValue((reason, action), out var more) ? more : NewKind(decision, reason);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private Kind NewKind(in RetentionDecision decision, object? reason)
    {
        var beforeDate = Encoded("," + ActionText(decision.Action) + ",", decision.Rule?.Name, ",");
        var kind = new Kind(reason, decision.Action, [.. beforeDate, .. Encoded(",", decision.Alert, "\n")], beforeDate.Length);
        if (_kinds.Count < ListedKinds)
        {
            _kinds.Add(kind);
        }
        else
        {
            _moreKinds.Add((reason, decision.Action), kind);
        }

        return kind;
    }

    /// <summary>A kind's reason compared by reference, as the list compares it.</summary>
    private sealed class ByReference : IEqualityComparer<(object? Reason, RetentionAction Action)>
    {
        public static readonly ByReference Instance = new();

        public bool Equals((object? Reason, RetentionAction Action) x, (object? Reason, RetentionAction Action) y) =>
            ReferenceEquals(x.Reason, y.Reason) && x.Action == y.Action;

        public int GetHashCode((object? Reason, RetentionAction Action) key) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Reason), key.Action);
    }

    /// <summary>A kind of row: its bytes past the id (action, rule, the due date's place, alert, line end), the date going at <paramref name="BeforeDate"/>.</summary>
    private sealed record Kind(object? Reason, RetentionAction Action, byte[] Row, int BeforeDate);

    /// <summary>How the tool writes an action.</summary>
    public static string ActionText(RetentionAction action) => action switch
    {
        RetentionAction.Remove => "Remove",
        RetentionAction.Retain => "Retain",
        _ => "Undetermined",
    };

    private static byte[] Encoded(string before, string? field, string after) =>
        [.. System.Text.Encoding.UTF8.GetBytes(before), .. string.IsNullOrEmpty(field) ? [] : CsvOutput.Encode(field), .. System.Text.Encoding.UTF8.GetBytes(after)];
}
