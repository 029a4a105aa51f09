namespace Smi.Retention.Policies.Loading;

/// <summary>
/// One rule of a workflow: its name (unique, plain visible text), action, properties (alerts and
/// description) and expression, every problem reported with its place.
/// </summary>
internal sealed class RuleReader(ProblemSink problems, JsonFields fields, ExpressionReader expressions)
{
    private static readonly string[] RuleFields = ["RuleName", "Expression", "SuccessEvent", "Enabled", "Properties", "ErrorMessage", "RuleExpressionType"];
    private static readonly string[] RuleUnsupported = ["Operator", "Rules", "WorkflowsToInject", "LocalParams", "Actions"];
    private static readonly string[] PropertyFields = ["Alert", "HubAlert", "Description"];

    /// <summary>One rule, or null with every problem reported; <paramref name="names"/> holds the names read so far, for duplicates.</summary>
    public RetentionRule? Read(PlacedNode node, int index, Dictionary<string, PlacedNode> names)
    {
        if (node is not PlacedObject rule)
        {
            problems.Add(node, null, Messages.WrongKind("Rules[" + index + "]", "a rule object", node.Kind));
            return null;
        }

        var before = problems.Count;
        var name = fields.RequiredName(rule, "RuleName", "#" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "the rule");
        var label = name ?? "#" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields.CheckFields(rule, label, RuleFields, RuleUnsupported);
        fields.CheckExpressionType(rule, label);

        if (name is not null && !names.TryAdd(name, rule))
        {
            problems.Add(JsonFields.Member(rule, "RuleName")!.Value, name, Messages.DuplicateRuleName(name, names[name].Where));
        }

        var action = ReadAction(rule, label);
        var enabled = JsonFields.Member(rule, "Enabled") is not { } enabledMember || fields.ReadBool(enabledMember, label);
        var (alert, alertSet, hubAlert, description) = ReadProperties(rule, label, action);
        var condition = fields.RequiredString(rule, "Expression", label, "the rule") is null ? null : expressions.Read((PlacedString)JsonFields.Member(rule, "Expression")!.Value, label);

        return problems.Count == before && name is not null && condition is not null
            ? new RetentionRule(index, name, ((PlacedString)JsonFields.Member(rule, "Expression")!.Value).Value, action, enabled, alertSet ? alert : null, alertSet, hubAlert, description, condition) { Position = (rule.Line, rule.Column) }
            : null;
    }

    private RetentionAction ReadAction(PlacedObject rule, string name)
    {
        var text = fields.RequiredString(rule, "SuccessEvent", name, "the rule");
        if (text is null)
        {
            return RetentionAction.Undetermined;
        }

        if (text.Equals("Remove", StringComparison.OrdinalIgnoreCase))
        {
            return RetentionAction.Remove;
        }

        if (text.Equals("Retain", StringComparison.OrdinalIgnoreCase))
        {
            return RetentionAction.Retain;
        }

        problems.Add(JsonFields.Member(rule, "SuccessEvent")!.Value, name, Messages.UnknownAction(text));
        return RetentionAction.Undetermined;
    }

    private (string? Alert, bool AlertSet, string? HubAlert, string? Description) ReadProperties(PlacedObject rule, string? name, RetentionAction action)
    {
        if (JsonFields.Member(rule, "Properties") is not { } member)
        {
            return (null, false, null, null);
        }

        if (member.Value is not PlacedObject properties)
        {
            problems.Add(member.Value, name, Messages.WrongKind("Properties", "an object", member.Value.Kind));
            return (null, false, null, null);
        }

        fields.CheckFields(properties, name, PropertyFields, []);
        var alertMember = JsonFields.Member(properties, "Alert");
        var alert = alertMember is null ? null : ReadAlert(alertMember, name, action);
        var hubAlert = JsonFields.Member(properties, "HubAlert") is { } hubMember ? ReadAlert(hubMember, name, action) : null;
        var description = JsonFields.Member(properties, "Description") is { } d ? fields.ReadDescription(d, name) : null;
        return (alert, alertMember is not null, hubAlert, description);
    }

    private string? ReadAlert(PlacedMember member, string? name, RetentionAction action)
    {
        if (member.Value is PlacedOther { Description: "null" })
        {
            return null;
        }

        var code = fields.ReadString(member, name);
        if (code is null)
        {
            return null;
        }

        if (action == RetentionAction.Retain)
        {
            problems.Add(member.Value, name, Messages.AlertOnRetain(member.Name));
            return null;
        }

        if (!AlertCodes.IsValid(code))
        {
            problems.Add(member.Value, name, Messages.BadAlert(member.Name, code));
            return null;
        }

        return code;
    }
}
