using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text.Json;
using NodaTime.Text;
using RulesEngine.ExpressionBuilders;
using RulesEngine.Models;

namespace Smi.Retention;

/// <summary>
/// Reads a RulesEngine workflow (one policy) or a timeline from JSON and validates it completely,
/// collecting every problem with its location. RulesEngine itself ignores misspelt fields and turns
/// a broken expression into 'false'; a broken exclusion rule would then delete devices, so here
/// nothing is ignored.
/// </summary>
internal sealed class PolicyLoader
{
    internal static readonly ReSettings EngineSettings = new()
    {
        CustomTypes = [typeof(DeviceFacts), typeof(DeviceType), typeof(SmiStatus)],
    };

    private static readonly RuleExpressionParser Parser = new(EngineSettings);

    private static readonly string[] WorkflowFields = ["WorkflowName", "Rules", "RuleExpressionType"];
    private static readonly string[] WorkflowUnsupported = ["WorkflowsToInject", "WorkflowRulesToInject", "GlobalParams"];
    private static readonly string[] RuleFields = ["RuleName", "Expression", "SuccessEvent", "Enabled", "Properties", "ErrorMessage", "RuleExpressionType"];
    private static readonly string[] RuleUnsupported = ["Operator", "Rules", "WorkflowsToInject", "LocalParams", "Actions"];
    private static readonly string[] PropertyFields = ["Alert", "HubAlert", "Description"];
    private static readonly string[] TimelineFields = ["TimelineName", "Versions"];
    private static readonly string[] VersionFields = ["Policy", "EffectiveFrom"];

    private readonly string _source;
    private readonly List<PolicyProblem> _problems = [];

    private PolicyLoader(string source) => _source = source;

    /// <summary>Reads a policy or a timeline; <paramref name="resolve"/> loads a timeline's policies by reference.</summary>
    public static RetentionTimeline Load(byte[] utf8, string source, Func<string, RetentionPolicy> resolve)
    {
        var loader = new PolicyLoader(source);
        var timeline = loader.Read(utf8, resolve);
        if (loader._problems.Count > 0 || timeline is null)
        {
            throw new PolicyValidationException(source, loader.InFileOrder());
        }

        return timeline;
    }

    /// <summary>Reads one policy (not a timeline).</summary>
    public static RetentionPolicy LoadPolicy(byte[] utf8, string source)
    {
        var loader = new PolicyLoader(source);
        var root = loader.ParseJson(utf8);
        RetentionPolicy? policy = null;
        if (root is JsonObject obj && obj.Members.Any(m => m.Name == "TimelineName"))
        {
            loader.Problem(root, null, Messages.TimelineWherePolicyExpected());
        }
        else if (root is not null)
        {
            policy = loader.ReadPolicy(root, Hash(utf8));
        }

        if (loader._problems.Count > 0 || policy is null)
        {
            throw new PolicyValidationException(source, loader.InFileOrder());
        }

        return policy;
    }

    // A timeline's problems include those of the policies it refers to: keep each source together.
    private PolicyProblem[] InFileOrder() =>
        _problems.OrderBy(p => p.Source != _source).ThenBy(p => p.Source, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column).ToArray();

    private RetentionTimeline? Read(byte[] utf8, Func<string, RetentionPolicy> resolve)
    {
        var root = ParseJson(utf8);
        if (root is JsonObject obj && obj.Members.Any(m => m.Name == "TimelineName"))
        {
            return ReadTimeline(obj, Hash(utf8), resolve);
        }

        return root is null ? null : ReadPolicy(root, Hash(utf8)) is { } policy ? RetentionTimeline.Of(policy) : null;
    }

    private JsonNode? ParseJson(byte[] utf8)
    {
        if (utf8.Length > PolicyLimits.MaxFileBytes)
        {
            _problems.Add(new PolicyProblem(_source, 0, 0, null, Messages.PolicyFileTooLarge(_source, utf8.Length)));
            return null;
        }

        try
        {
            return JsonNode.Parse(utf8);
        }
        catch (JsonRefusedException e)
        {
            _problems.Add(new PolicyProblem(_source, e.Line, e.Column, null, e.Message));
            return null;
        }
        catch (JsonException e)
        {
            _problems.Add(new PolicyProblem(_source, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, null, Messages.MalformedJson(e.Message)));
            return null;
        }
    }

    private RetentionPolicy? ReadPolicy(JsonNode root, string hash)
    {
        if (root is not JsonObject workflow)
        {
            Problem(root, null, Messages.RootNotObject(root.Kind));
            return null;
        }

        CheckFields(workflow, null, WorkflowFields, WorkflowUnsupported);
        var name = RequiredName(workflow, "WorkflowName", null, "the workflow");
        CheckExpressionType(workflow, null);

        var rules = new List<RetentionRule>();
        if (Member(workflow, "Rules") is not { } rulesMember)
        {
            Problem(workflow, null, Messages.MissingField("Rules", "the workflow", "an array of rules"));
        }
        else if (rulesMember.Value is not JsonArray array)
        {
            Problem(rulesMember.Value, null, Messages.WrongKind("Rules", "an array of rules", rulesMember.Value.Kind));
        }
        else if (array.Items.Count > PolicyLimits.MaxRules)
        {
            Problem(array, null, Messages.TooManyRules(array.Items.Count));
        }
        else
        {
            var names = new Dictionary<string, JsonNode>(StringComparer.OrdinalIgnoreCase);
            for (var index = 0; index < array.Items.Count; index++)
            {
                if (ReadRule(array.Items[index], index, names) is { } rule)
                {
                    rules.Add(rule);
                }
            }

            CheckRuleSet(array, rules);
        }

        return _problems.Count == 0 && name is not null ? new RetentionPolicy(name, rules, hash, _source) : null;
    }

    private RetentionRule? ReadRule(JsonNode node, int index, Dictionary<string, JsonNode> names)
    {
        if (node is not JsonObject rule)
        {
            Problem(node, null, Messages.WrongKind("Rules[" + index + "]", "a rule object", node.Kind));
            return null;
        }

        var before = _problems.Count;
        var name = RequiredName(rule, "RuleName", "#" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "the rule");
        var label = name ?? "#" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        CheckFields(rule, label, RuleFields, RuleUnsupported);
        CheckExpressionType(rule, label);

        if (name is not null && !names.TryAdd(name, rule))
        {
            Problem(Member(rule, "RuleName")!.Value, name, Messages.DuplicateRuleName(name, names[name].Where));
        }

        var action = ReadAction(rule, label);
        var enabled = Member(rule, "Enabled") is not { } enabledMember || ReadBool(enabledMember, label);
        var (alert, alertSet, hubAlert, description) = ReadProperties(rule, label, action);
        var condition = ReadExpression(rule, label);

        return _problems.Count == before && name is not null && condition is not null
            ? new RetentionRule(index, name, ((JsonString)Member(rule, "Expression")!.Value).Value, action, enabled, alertSet ? alert : RetentionRule.DefaultAlert, alertSet, hubAlert, description, condition)
            : null;
    }

    private RetentionAction ReadAction(JsonObject rule, string name)
    {
        var text = RequiredString(rule, "SuccessEvent", name, "the rule");
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

        Problem(Member(rule, "SuccessEvent")!.Value, name, Messages.UnknownAction(text));
        return RetentionAction.Undetermined;
    }

    private (string? Alert, bool AlertSet, string? HubAlert, string? Description) ReadProperties(JsonObject rule, string? name, RetentionAction action)
    {
        if (Member(rule, "Properties") is not { } member)
        {
            return (null, false, null, null);
        }

        if (member.Value is not JsonObject properties)
        {
            Problem(member.Value, name, Messages.WrongKind("Properties", "an object", member.Value.Kind));
            return (null, false, null, null);
        }

        CheckFields(properties, name, PropertyFields, []);
        var alertMember = Member(properties, "Alert");
        var alert = alertMember is null ? null : ReadAlert(alertMember, name, action);
        var hubAlert = Member(properties, "HubAlert") is { } hubMember ? ReadAlert(hubMember, name, action) : null;
        var description = Member(properties, "Description") is { } d ? ReadDescription(d, name) : null;
        return (alert, alertMember is not null, hubAlert, description);
    }

    private string? ReadAlert(JsonMember member, string? name, RetentionAction action)
    {
        if (member.Value is JsonOther { Description: "null" })
        {
            return null;
        }

        var code = ReadString(member, name);
        if (code is null)
        {
            return null;
        }

        if (action == RetentionAction.Retain)
        {
            Problem(member.Value, name, Messages.AlertOnRetain(member.Name));
            return null;
        }

        if (!Messages.IsAlertCode(code))
        {
            Problem(member.Value, name, Messages.BadAlert(member.Name, code));
            return null;
        }

        return code;
    }

    private Condition? ReadExpression(JsonObject rule, string name)
    {
        var text = RequiredString(rule, "Expression", name, "the rule");
        if (text is null)
        {
            return null;
        }

        var node = (JsonString)Member(rule, "Expression")!.Value;
        var refused = ExpressionScanner.Check(text);
        if (refused.Count > 0)
        {
            foreach (var reason in refused)
            {
                Problem(node, name, reason);
            }

            return null;
        }

        var device = Expression.Parameter(typeof(DeviceFacts), "device");
        Expression parsed;
        try
        {
            parsed = Parser.Parse(text, [device], typeof(bool));
        }
        catch (System.Linq.Dynamic.Core.Exceptions.ParseException e)
        {
            Problem(node.Line, node.Column + 1 + e.Position, name, Messages.ExpressionDoesNotParse(text, e.Position, e.Message));
            foreach (var literal in UnknownNames(text, e.Message))
            {
                Problem(node, name, literal);
            }

            return null;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            // The scanner let through only the vocabulary's tokens, so whatever the parser still
            // throws is a problem with this rule, never a reason to stop listing the others.
            Problem(node, name, Messages.ParserFailed(text, e.Message));
            return null;
        }

        Condition? condition;
        IReadOnlyList<string> errors;
        try
        {
            condition = ConditionTranslator.Translate(parsed, device, out errors);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            Problem(node, name, Messages.ParserFailed(text, e.Message));
            return null;
        }

        foreach (var error in errors)
        {
            Problem(node, name, error);
        }

        if (condition is not null && ConditionLogic.Size(condition) > PolicyLimits.MaxConditionSize)
        {
            Problem(node, name, Messages.ConditionTooComplex(PolicyLimits.MaxConditionSize));
            return null;
        }

        return condition;
    }

    private void CheckRuleSet(JsonArray array, List<RetentionRule> rules)
    {
        if (_problems.Count > 0)
        {
            return;
        }

        var enabled = rules.Where(r => r.Enabled).ToList();
        if (enabled.Count == 0)
        {
            Problem(array, null, Messages.EmptyPolicy(rules.Count));
            return;
        }

        // Compiling visits every test once per device state: the total bounds the time it takes.
        var tests = rules.Sum(r => ConditionLogic.Size(r.Condition));
        if (tests > PolicyLimits.MaxPolicyTests)
        {
            Problem(array, null, Messages.PolicyTooComplex(tests));
            return;
        }

        var periods = enabled.SelectMany(r => RetentionPolicy.PeriodsOf(r.Condition)).Distinct().Order().ToArray();
        if (periods.Length > PolicyLimits.MaxPeriods)
        {
            Problem(array, null, Messages.TooManyPeriods(periods.Length, PolicyLimits.MaxPeriods));
            return;
        }

        for (var i = 0; i < enabled.Count - 1; i++)
        {
            if (ConditionLogic.IsAlwaysTrue(enabled[i].Condition, periods))
            {
                foreach (var unreachable in enabled.Skip(i + 1))
                {
                    Problem(array.Items[unreachable.Index], unreachable.Name, Messages.Unreachable(unreachable.Name, enabled[i].Name));
                }

                return;
            }
        }
    }

    private RetentionTimeline? ReadTimeline(JsonObject timeline, string hash, Func<string, RetentionPolicy> resolve)
    {
        CheckFields(timeline, null, TimelineFields, []);
        var name = RequiredName(timeline, "TimelineName", null, "the timeline");
        var versions = new List<PolicyVersion>();
        if (Member(timeline, "Versions") is not { Value: JsonArray array } member)
        {
            Problem(timeline, null, Messages.MissingField("Versions", "the timeline", "an array of {\"Policy\", \"EffectiveFrom\"} objects"));
            return null;
        }

        if (array.Items.Count > PolicyLimits.MaxVersions)
        {
            Problem(array, null, Messages.TooManyVersions(array.Items.Count));
            return null;
        }

        for (var index = 0; index < array.Items.Count; index++)
        {
            var item = array.Items[index];
            if (item is not JsonObject version)
            {
                Problem(item, null, Messages.WrongKind("Versions[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", "an object", item.Kind));
                continue;
            }

            CheckFields(version, null, VersionFields, []);
            var reference = RequiredString(version, "Policy", null, "the version");
            NodaTime.LocalDate? from = null;
            var hasFrom = Member(version, "EffectiveFrom") is { Value: not JsonOther { Description: "null" } };
            if (hasFrom && Member(version, "EffectiveFrom") is { } fromMember)
            {
                var text = ReadString(fromMember, null);
                var parsed = text is null ? null : LocalDatePattern.Iso.Parse(text);
                if (parsed is { Success: true } && (parsed.Value < PolicyLimits.EarliestEffectiveFrom || parsed.Value > PolicyLimits.LatestEffectiveFrom))
                {
                    // Periods of up to 100 years from a version's date must stay within the calendar.
                    Problem(fromMember.Value, null, Messages.EffectiveFromOutOfRange(text!));
                }
                else if (parsed is { Success: true })
                {
                    from = parsed.Value;
                }
                else if (text is not null)
                {
                    Problem(fromMember.Value, null, Messages.BadEffectiveFrom(text));
                }
            }

            if (index == 0 && hasFrom)
            {
                Problem(version, null, Messages.FirstVersionHasDate());
            }
            else if (index > 0 && !hasFrom)
            {
                Problem(version, null, Messages.LaterVersionNeedsDate());
            }
            else if (from is not null && versions.Count > 0 && from <= versions[^1].EffectiveFrom)
            {
                Problem(version, null, Messages.VersionsOutOfOrder(LocalDatePattern.Iso.Format(from!.Value)));
            }

            if (reference is null)
            {
                continue;
            }

            try
            {
                versions.Add(new PolicyVersion(from, resolve(reference)));
            }
            catch (PolicyValidationException e)
            {
                _problems.AddRange(e.Problems);
            }
            catch (Exception e) when (e is FileNotFoundException or PolicyFileException)
            {
                Problem(Member(version, "Policy")!.Value, null, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Problem(Member(version, "Policy")!.Value, null, Messages.PolicyUnreadable(reference, e.Message));
            }
        }

        if (versions.Count == 0 && _problems.Count == 0)
        {
            Problem(array, null, Messages.EmptyTimeline());
        }

        if (_problems.Count > 0 || name is null)
        {
            return null;
        }

        var tests = versions.Sum(v => v.Policy.Rules.Sum(r => ConditionLogic.Size(r.Condition)));
        if (tests > PolicyLimits.MaxTimelineTests)
        {
            Problem(array, null, Messages.TimelineTooComplex(tests));
            return null;
        }

        var combined = Hash(System.Text.Encoding.UTF8.GetBytes(hash + string.Concat(versions.Select(v => v.Policy.ContentHash))));
        return new RetentionTimeline(name, versions, combined);
    }

    private void CheckFields(JsonObject obj, string? rule, string[] known, string[] unsupported)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in obj.Members)
        {
            if (!seen.Add(member.Name))
            {
                Problem(member.Line, member.Column, rule, Messages.DuplicateField(member.Name));
            }
            else if (unsupported.Contains(member.Name, StringComparer.Ordinal))
            {
                Problem(member.Line, member.Column, rule, Messages.UnsupportedField(member.Name));
            }
            else if (!known.Contains(member.Name, StringComparer.Ordinal))
            {
                Problem(member.Line, member.Column, rule, Messages.UnknownField(member.Name, Spelling.Suggest(member.Name, known), known));
            }
        }
    }

    private void CheckExpressionType(JsonObject obj, string? rule)
    {
        if (Member(obj, "RuleExpressionType") is { } member && ReadString(member, rule) is { } value && value != "LambdaExpression")
        {
            Problem(member.Value, rule, Messages.BadExpressionType(value));
        }
    }

    private string? RequiredString(JsonObject obj, string field, string? rule, string owner)
    {
        if (Member(obj, field) is not { } member)
        {
            Problem(obj, rule, Messages.MissingField(field, owner, "a string"));
            return null;
        }

        var value = ReadString(member, rule);
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            Problem(member.Value, rule, Messages.EmptyField(field));
            return null;
        }

        return value;
    }

    /// <summary>A required name that people will read and compare: printable, no longer than <see cref="PolicyLimits.MaxNameLength"/>.</summary>
    private string? RequiredName(JsonObject obj, string field, string? rule, string owner)
    {
        var name = RequiredString(obj, field, rule, owner);
        if (name is null)
        {
            return null;
        }

        if (name.Length > PolicyLimits.MaxNameLength)
        {
            Problem(Member(obj, field)!.Value, rule, Messages.NameTooLong(field, name.Length));
            return null;
        }

        if (!Untrusted.IsPrintableName(name))
        {
            Problem(Member(obj, field)!.Value, rule, Messages.NameNotPrintable(field, name));
            return null;
        }

        return name;
    }

    private string? ReadDescription(JsonMember member, string? rule)
    {
        var text = ReadString(member, rule);
        if (text is not null && text.Length > PolicyLimits.MaxDescriptionLength)
        {
            Problem(member.Value, rule, Messages.DescriptionTooLong(text.Length));
            return null;
        }

        if (text is not null && !Untrusted.IsPrintableText(text))
        {
            Problem(member.Value, rule, Messages.DescriptionNotPrintable());
            return null;
        }

        return text;
    }

    private string? ReadString(JsonMember member, string? rule)
    {
        if (member.Value is JsonString text)
        {
            return text.Value;
        }

        Problem(member.Value, rule, Messages.WrongKind(member.Name, "a string", member.Value.Kind));
        return null;
    }

    private bool ReadBool(JsonMember member, string? rule)
    {
        if (member.Value is JsonBool flag)
        {
            return flag.Value;
        }

        Problem(member.Value, rule, Messages.WrongKind(member.Name, "true or false", member.Value.Kind));
        return false;
    }

    /// <summary>When the parser wanted a device type or status, the quoted names that are neither, each with the valid names.</summary>
    private static IEnumerable<string> UnknownNames(string expression, string parserMessage)
    {
        var wantsType = parserMessage.Contains(nameof(DeviceType) + "' expected", StringComparison.Ordinal);
        var wantsStatus = parserMessage.Contains(nameof(SmiStatus) + "' expected", StringComparison.Ordinal);
        if (!wantsType && !wantsStatus)
        {
            yield break;
        }

        foreach (System.Text.RegularExpressions.Match literal in System.Text.RegularExpressions.Regex.Matches(expression, "\"([^\"]*)\""))
        {
            var text = literal.Groups[1].Value;
            if (DeviceTypes.TryParse(text, out _) || SmiStatuses.TryParse(text, out _) || RetentionPeriod.TryParse(text, out _, out _))
            {
                continue;
            }

            yield return wantsType ? Messages.UnknownDeviceType(text) : Messages.UnknownSmiStatus(text);
        }
    }

    private static JsonMember? Member(JsonObject obj, string name) => obj.Members.FirstOrDefault(m => m.Name == name);

    private void Problem(JsonNode at, string? rule, string message) => Problem(at.Line, at.Column, rule, message);

    private void Problem(int line, int column, string? rule, string message) =>
        _problems.Add(new PolicyProblem(_source, line, column, rule, message));

    internal static string Hash(byte[] utf8) => Convert.ToHexStringLower(SHA256.HashData(utf8));
}
