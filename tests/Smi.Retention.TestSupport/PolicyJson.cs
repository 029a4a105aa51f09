namespace Smi.Retention.Tests.TestSupport;

/// <summary>Policy JSON written in tests.</summary>
public static class PolicyJson
{
    /// <summary>A policy of one Remove rule with <paramref name="expression"/>, JSON-escaped as a file would hold it.</summary>
    public static string OneRule(string expression, string name = "r") =>
        $$"""{ "WorkflowName": "hostile", "Rules": [ { "RuleName": "{{name}}", "Expression": {{System.Text.Json.JsonSerializer.Serialize(expression)}}, "SuccessEvent": "Remove" } ] }""";
}
