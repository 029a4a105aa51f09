using System.Security.Cryptography;
using System.Text.Json;
using Smi.Retention.Policies.Loading;

namespace Smi.Retention.Policies;

/// <summary>
/// Reads a RulesEngine workflow (one policy) or a timeline from JSON and validates it completely,
/// as a pipeline of stages reporting into one <see cref="ProblemSink"/>: the document
/// (<see cref="PlacedNode"/>), the fields (<see cref="JsonFields"/>), each rule
/// (<see cref="RuleReader"/>, with <see cref="ExpressionReader"/>), the rules together
/// (<see cref="RuleSetChecks"/>) or the timeline (<see cref="TimelineReader"/>). RulesEngine itself
/// ignores misspelt fields and turns a broken expression into 'false'; a broken exclusion rule would
/// then delete devices, so here nothing is ignored.
/// </summary>
internal sealed class PolicyLoader
{
    private static readonly string[] WorkflowFields = ["$schema", "WorkflowName", "Description", "Rules", "RuleExpressionType"];
    private static readonly string[] WorkflowUnsupported = ["WorkflowsToInject", "WorkflowRulesToInject", "GlobalParams"];

    private readonly ProblemSink _problems;
    private readonly JsonFields _fields;
    private readonly RuleReader _rules;

    private PolicyLoader(string source)
    {
        _problems = new ProblemSink(source);
        _fields = new JsonFields(_problems);
        _rules = new RuleReader(_problems, _fields, new ExpressionReader(_problems));
    }

    /// <summary>Reads a policy or a timeline; <paramref name="resolve"/> loads a timeline's policies by reference.</summary>
    public static RetentionTimeline Load(byte[] utf8, string source, Func<string, RetentionPolicy> resolve)
    {
        var loader = new PolicyLoader(source);
        var root = loader.ParseJson(utf8);
        var timeline = root is PlacedObject obj && obj.Members.Any(m => m.Name == "TimelineName")
            ? new TimelineReader(loader._problems, loader._fields).Read(obj, Hash(utf8), resolve)
            : root is not null && loader.ReadPolicy(root, Hash(utf8)) is { } policy ? RetentionTimeline.Of(policy) : null;
        return loader._problems.Count == 0 && timeline is not null ? timeline : throw loader._problems.Refusal();
    }

    /// <summary>Reads one policy (not a timeline).</summary>
    public static RetentionPolicy LoadPolicy(byte[] utf8, string source)
    {
        var loader = new PolicyLoader(source);
        var root = loader.ParseJson(utf8);
        RetentionPolicy? policy = null;
        if (root is PlacedObject obj && obj.Members.Any(m => m.Name == "TimelineName"))
        {
            loader._problems.Add(root, null, Messages.TimelineWherePolicyExpected());
        }
        else if (root is not null)
        {
            policy = loader.ReadPolicy(root, Hash(utf8));
        }

        return loader._problems.Count == 0 && policy is not null ? policy : throw loader._problems.Refusal();
    }

    private PlacedNode? ParseJson(byte[] utf8) => ParseJson(utf8, _problems);

    /// <summary>The JSON document of a policy, timeline or tests file, or null with the problem reported: too large, malformed, too deep.</summary>
    internal static PlacedNode? ParseJson(byte[] utf8, ProblemSink problems)
    {
        if (utf8.Length > PolicyLimits.MaxFileBytes)
        {
            problems.Add(0, 0, null, Messages.PolicyFileTooLarge(problems.Source, utf8.Length));
            return null;
        }

        try
        {
            return PlacedNode.Parse(utf8);
        }
        catch (JsonRefusedException e)
        {
            problems.Add(e.Line, e.Column, null, e.Message);
            return null;
        }
        catch (JsonException e)
        {
            // System.Text.Json ends its message with where it stopped, which the problem's place already says.
            var cut = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            var reason = (cut >= 0 ? e.Message[..cut] : e.Message).Trim();
            problems.Add((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, null, Messages.MalformedJson(reason));
            return null;
        }
    }

    private RetentionPolicy? ReadPolicy(PlacedNode root, string hash)
    {
        if (root is not PlacedObject workflow)
        {
            _problems.Add(root, null, Messages.RootNotObject(root.Kind));
            return null;
        }

        _fields.CheckFields(workflow, null, WorkflowFields, WorkflowUnsupported);
        var name = _fields.RequiredName(workflow, "WorkflowName", null, "the workflow");
        _fields.CheckExpressionType(workflow, null);
        var description = _fields.RootHeader(workflow);

        var rules = new List<RetentionRule>();
        Evaluation.DecisionTable? table = null;
        if (JsonFields.Member(workflow, "Rules") is not { } rulesMember)
        {
            _problems.Add(workflow, null, Messages.MissingField("Rules", "the workflow", "an array of rules"));
        }
        else if (rulesMember.Value is not PlacedArray array)
        {
            _problems.Add(rulesMember.Value, null, Messages.WrongKind("Rules", "an array of rules", rulesMember.Value.Kind));
        }
        else if (array.Items.Count > PolicyLimits.MaxRules)
        {
            _problems.Add(array, null, Messages.TooManyRules(array.Items.Count));
        }
        else
        {
            var names = new Dictionary<string, PlacedNode>(StringComparer.OrdinalIgnoreCase);
            for (var index = 0; index < array.Items.Count; index++)
            {
                if (_rules.Read(array.Items[index], index, names) is { } rule)
                {
                    rules.Add(rule);
                }
            }

            table = RuleSetChecks.Check(_problems, array, rules);
        }

        return _problems.Count == 0 && name is not null ? new RetentionPolicy(name, rules, hash, _problems.Source, table) { Description = description, Position = (workflow.Line, workflow.Column) } : null;
    }

    internal static string Hash(byte[] utf8) => Convert.ToHexStringLower(SHA256.HashData(utf8));
}
