using Smi.Retention.Policies;
using Smi.Retention.Evaluation;

namespace Smi.Retention.Cli.Inventory;

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

    private readonly Dictionary<(RetentionRule? Rule, RetentionAction Action), byte[]> _actionRules = [];
    private readonly Dictionary<string, byte[]> _alerts = new(StringComparer.Ordinal);
    private readonly byte[] _noAlert = ",\n"u8.ToArray();

    /// <summary>Appends the row of one decision.</summary>
    public void Write(CsvOutput text, DeviceId id, in RetentionDecision decision)
    {
        var rule = decision.Rule;
        if (!_actionRules.TryGetValue((rule, decision.Action), out var actionRule))
        {
            actionRule = _actionRules[(rule, decision.Action)] = Encoded("," + ActionText(decision.Action) + ",", rule?.Name, ",");
        }

        var alert = _noAlert;
        if (decision.Alert is { } alertText && !_alerts.TryGetValue(alertText, out alert))
        {
            alert = _alerts[alertText] = Encoded(",", alertText, "\n");
        }

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
