using Smi.Retention.Policies;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// Rows of the decisions file (<see cref="Header"/>) formatted as UTF-8 into a
/// <see cref="CsvOutput"/>. Past the device id a row repeats: its action and rule are copied from
/// bytes encoded once per rule and action, and so is its alert; only the id and a due date are
/// formatted for each row. Each formatting thread has its own.
/// </summary>
internal sealed class DecisionRows
{
    /// <summary>The decisions file's header.</summary>
    public const string Header = "device_id,action,rule,due_date,alert";

    private const int DateLength = 10;

    // A policy has a handful of rules: a short list compared by reference beats hashing.
    private readonly List<(RetentionRule? Rule, RetentionAction Action, byte[] Bytes)> _actionRules = [];
    private readonly List<(string Alert, byte[] Bytes)> _alerts = [];
    private readonly byte[] _noAlert = ",\n"u8.ToArray();

    /// <summary>Appends the row of one decision.</summary>
    public void Write(CsvOutput text, DeviceId id, in RetentionDecision decision)
    {
        var actionRule = ActionRule(decision.Rule, decision.Action);
        var alert = decision.Alert is { } alertText ? Alert(alertText) : _noAlert;

        var due = decision.DueDate;
        var row = text.Reserve(DeviceId.TextLength + actionRule.Length + DateLength + alert.Length);
        id.TryFormat(row, out var at);
        actionRule.CopyTo(row[at..]);
        at += actionRule.Length;
        if (due is { } date)
        {
            CsvOutput.WriteDate(row[at..], date);
            at += DateLength;
        }

        alert.CopyTo(row[at..]);
        text.Advance(at + alert.Length);
    }

    private byte[] ActionRule(RetentionRule? rule, RetentionAction action)
    {
        foreach (var entry in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_actionRules))
        {
            if (ReferenceEquals(entry.Rule, rule) && entry.Action == action)
            {
                return entry.Bytes;
            }
        }

        var bytes = Encoded("," + ActionText(action) + ",", rule?.Name, ",");
        _actionRules.Add((rule, action, bytes));
        return bytes;
    }

    private byte[] Alert(string alert)
    {
        foreach (var entry in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_alerts))
        {
            if (ReferenceEquals(entry.Alert, alert))
            {
                return entry.Bytes;
            }
        }

        var bytes = Encoded(",", alert, "\n");
        if (_alerts.Count < 64)
        {
            _alerts.Add((alert, bytes));
        }

        return bytes;
    }

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
