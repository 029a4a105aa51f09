using NodaTime;
using Smi.Retention.Policies;
using Smi.Retention.Policies.Loading;
using Smi.Retention.Text;

namespace Smi.Retention.Authoring;

/// <summary>
/// Reads a policy tests file with the policy loader's JSON reader and field checks: every problem
/// located, none stopping the reading, unknown and misspelt fields refused with a suggestion.
/// </summary>
internal sealed class PolicyTestReader
{
    private static readonly string[] RootFields = ["$schema", "Description", "Policy", "Boundary", "Cases"];
    private static readonly string[] CaseFields = ["Name", "Type", "Status", "Since", "Prior", "Generation", "Model", "AsOf", "Boundary", "Expect"];
    private static readonly string[] ExpectFields = ["Action", "Rule", "DueDate", "Alert"];

    private readonly ProblemSink _problems;
    private readonly JsonFields _fields;

    private PolicyTestReader(string source)
    {
        _problems = new ProblemSink(source);
        _fields = new JsonFields(_problems);
    }

    public static PolicyTestSuite Read(byte[] utf8, string source, string folder, string root)
    {
        var reader = new PolicyTestReader(source);
        var suite = reader.ReadSuite(utf8, folder, Path.GetFullPath(root));
        return reader._problems.Count == 0 && suite is not null ? suite : throw reader._problems.Refusal(Messages.TestFileNoun);
    }

    private PolicyTestSuite? ReadSuite(byte[] utf8, string folder, string workingFolder)
    {
        if (PolicyLoader.ParseJson(utf8, _problems) is not { } root)
        {
            return null;
        }

        if (root is not PlacedObject suite)
        {
            _problems.Add(root, null, Messages.RootNotObject(root.Kind));
            return null;
        }

        _fields.CheckFields(suite, null, RootFields, []);
        var description = _fields.RootHeader(suite);
        var policy = _fields.RequiredString(suite, "Policy", null, "the tests file");
        var boundary = JsonFields.Member(suite, "Boundary") is { } b ? ReadBoundary(b, null) : BoundaryMode.OnCorrespondingDate;
        var cases = new List<PolicyTestCase>();
        if (JsonFields.Member(suite, "Cases") is not { Value: PlacedArray array })
        {
            _problems.Add(suite, null, Messages.MissingField("Cases", "the tests file", "an array of cases"));
        }
        else if (array.Items.Count > PolicyLimits.MaxPolicyTests)
        {
            _problems.Add(array, null, Messages.TooManyTestCases(array.Items.Count));
        }
        else
        {
            var names = new Dictionary<string, PlacedNode>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in array.Items)
            {
                if (ReadCase(item, names) is { } testCase)
                {
                    cases.Add(testCase);
                }
            }

            if (array.Items.Count == 0)
            {
                _problems.Add(array, null, Messages.NoTestCases());
            }
        }

        var path = policy is null || BuiltIn(policy, folder, suite) ? null : Files.RealPaths.Full(Path.Combine(folder, policy));
        if (path is not null && (policy!.Any(char.IsControl) || Path.IsPathRooted(policy) || Path.GetRelativePath(workingFolder, path) is var inside && (inside.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(inside))))
        {
            _problems.Add(JsonFields.Member(suite, "Policy")!.Value, null, Messages.TestPolicyOutside(policy!, Spelling.Suggest(policy!, PolicyCatalog.BuiltInNames)));
        }

        if (policy is null || _problems.Count > 0)
        {
            return null;
        }

        return new PolicyTestSuite(_problems.Source, policy, path, workingFolder, boundary, description, cases);
    }

    /// <summary>Whether the suite's <c>Policy</c> names a built-in; a problem, not one, when a file of that name is beside the tests file too.</summary>
    private bool BuiltIn(string policy, string folder, PlacedObject suite)
    {
        try
        {
            return PolicyCatalog.IsBuiltIn(policy, folder, PolicyCatalog.BuiltInNames);
        }
        catch (IOException e)
        {
            _problems.Add(JsonFields.Member(suite, "Policy")!.Value, null, e.Message);
            return true; // no path to check further: the problem refuses the suite
        }
    }

    private PolicyTestCase? ReadCase(PlacedNode node, Dictionary<string, PlacedNode> names)
    {
        if (node is not PlacedObject item)
        {
            _problems.Add(node, null, Messages.WrongKind("Cases[]", "a case object", node.Kind));
            return null;
        }

        var before = _problems.Count;
        var name = _fields.RequiredName(item, "Name", null, "the case");
        var label = name is null ? null : "case " + name;
        _fields.CheckFields(item, label, CaseFields, []);
        if (name is not null && !names.TryAdd(name, item))
        {
            _problems.Add(JsonFields.Member(item, "Name")!.Value, label, Messages.DuplicateCaseName(name, names[name].Where));
        }

        var type = Parse(item, "Type", label, (string t, out DeviceType v, out string? e) => DeviceTypes.TryParse(t, out v, out e));
        var status = Parse(item, "Status", label, (string t, out SmiStatus v, out string? e) => SmiStatuses.TryParse(t, out v, out e));
        var since = Parse(item, "Since", label, (string t, out LocalDate v, out string? e) => LondonDates.TryParseDateOrInstant(t, out v, out e));
        var asOf = Parse<LocalDate>(item, "AsOf", label, TryParseDate);
        var prior = ReadPrior(item, label);
        var generation = JsonFields.Member(item, "Generation") is { } g && !IsNull(g)
            ? ParseValue(g, label, (string t, out SmetsGeneration v, out string? e) => SmetsGenerations.TryParse(t, out v, out e))
            : SmetsGeneration.Unknown;
        var model = JsonFields.Member(item, "Model") is { } m && !IsNull(m) ? ReadModel(m, label) : null;
        var boundary = JsonFields.Member(item, "Boundary") is { } b ? ReadBoundary(b, label) : (BoundaryMode?)null;
        var expect = ReadExpect(item, label);
        if (_problems.Count > before || name is null || expect is null)
        {
            return null;
        }

        if (!DeviceRecord.TryCreate(new DeviceId(0), type, status, since, prior, null, generation, model, out var device, out var error))
        {
            // At the value that does not fit: the status, the first prior status the type cannot hold, or the history.
            PlacedNode at = !type.Fits(status) ? JsonFields.Member(item, "Status")!.Value
                : !type.Fits(prior) && JsonFields.Member(item, "Prior")?.Value is PlacedArray held
                    ? held.Items.OfType<PlacedString>().FirstOrDefault(s => SmiStatuses.TryParse(s.Value, out var one) && !type.Fits(one)) ?? (PlacedNode)held
                    : !DeviceTypes.CanPrecede(prior, status) && JsonFields.Member(item, "Prior") is { } history ? history.Value
                    : item;
            _problems.Add(at, label, error);
            return null;
        }

        return expect with { Name = name, Line = item.Line, Column = item.Column, Device = device, AsOf = asOf, Boundary = boundary };
    }

    private PolicyTestCase? ReadExpect(PlacedObject item, string? label)
    {
        if (JsonFields.Member(item, "Expect") is not { } member)
        {
            _problems.Add(item, label, Messages.MissingField("Expect", "the case", "an object with \"Action\" and optionally \"Rule\", \"DueDate\" and \"Alert\""));
            return null;
        }

        if (member.Value is not PlacedObject expect)
        {
            _problems.Add(member.Value, label, Messages.WrongKind("Expect", "an object", member.Value.Kind));
            return null;
        }

        _fields.CheckFields(expect, label, ExpectFields, []);
        var action = Parse<RetentionAction>(expect, "Action", label, TryParseAction);
        var rule = JsonFields.Member(expect, "Rule");
        var due = JsonFields.Member(expect, "DueDate");
        var alert = JsonFields.Member(expect, "Alert");
        return new PolicyTestCase
        {
            Name = "",
            Device = default,
            AsOf = default,
            ExpectedAction = action,
            ChecksRule = rule is not null,
            ExpectedRule = rule is null || IsNull(rule) ? null : _fields.ReadString(rule, label),
            ChecksDueDate = due is not null,
            ExpectedDueDate = due is null || IsNull(due) ? null : ParseValue<LocalDate>(due, label, TryParseDate),
            ChecksAlert = alert is not null,
            ExpectedAlert = alert is null || IsNull(alert) ? null : ReadAlert(alert, label),
        };
    }

    /// <summary>A device model, as the inventory's device_model gives it (1 to 64 visible characters).</summary>
    private string? ReadModel(PlacedMember member, string? label)
    {
        if (_fields.ReadString(member, label) is not { } text)
        {
            return null;
        }

        if (!SmetsGenerations.IsValidModel(text, out var error))
        {
            _problems.Add(member.Value, label, "\"Model\": " + error);
            return null;
        }

        return text;
    }

    /// <summary>An expected alert is a DCC alert code, as a rule's is: anything else could never match.</summary>
    private string? ReadAlert(PlacedMember member, string? label)
    {
        var code = _fields.ReadString(member, label);
        if (code is not null && !AlertCodes.IsValid(code))
        {
            _problems.Add(member.Value, label, Messages.BadAlert("Alert", code));
            return null;
        }

        return code;
    }

    private SmiStatusSet ReadPrior(PlacedObject item, string? label)
    {
        if (JsonFields.Member(item, "Prior") is not { } member)
        {
            return SmiStatusSet.Empty;
        }

        if (member.Value is not PlacedArray array)
        {
            _problems.Add(member.Value, label, Messages.WrongKind("Prior", "an array of status names, e.g. [\"Commissioned\"]", member.Value.Kind));
            return SmiStatusSet.Empty;
        }

        var set = SmiStatusSet.Empty;
        foreach (var entry in array.Items)
        {
            if (entry is not PlacedString text)
            {
                _problems.Add(entry, label, Messages.WrongKind("Prior[]", "a status name", entry.Kind));
            }
            else if (text.Value.Length != text.Value.AsSpan().Trim().Length)
            {
                _problems.Add(entry, label, Messages.TestValuePadded("Prior[]", text.Value));
            }
            else if (!SmiStatuses.TryParse(text.Value, out var status, out var error))
            {
                _problems.Add(entry, label, "\"Prior\": " + error);
            }
            else
            {
                set = set.Add(status);
            }
        }

        return set;
    }

    private BoundaryMode ReadBoundary(PlacedMember member, string? label) =>
        ParseValue<BoundaryMode>(member, label, TryParseBoundary);

    private delegate bool TryParser<T>(string text, out T value, out string? error);

    private T Parse<T>(PlacedObject obj, string field, string? label, TryParser<T> parse)
        where T : struct
    {
        if (JsonFields.Member(obj, field) is not { } member)
        {
            _problems.Add(obj, label, Messages.MissingField(field, label is null ? "the tests file" : "the case", "a string"));
            return default;
        }

        return ParseValue(member, label, parse);
    }

    private T ParseValue<T>(PlacedMember member, string? label, TryParser<T> parse)
        where T : struct
    {
        if (_fields.ReadString(member, label) is not { } text)
        {
            return default;
        }

        // A tests file says exactly what it means, as its schema does: no spaces around a value.
        if (text.Length != text.AsSpan().Trim().Length)
        {
            _problems.Add(member.Value, label, Messages.TestValuePadded(member.Name, text));
            return default;
        }

        if (!parse(text, out var value, out var error))
        {
            _problems.Add(member.Value, label, $"\"{member.Name}\": {error}");
        }


        return value;
    }

    private static bool IsNull(PlacedMember member) => member.Value is PlacedOther { Description: "null" };

    // The one reader of plain dates (the inventory's and the tool's): yyyy-MM-dd, years 0001 to 9999.
    private static bool TryParseDate(string text, out LocalDate date, out string? error)
    {
        var parsed = LondonDates.TryParseIsoDate(text, out date);
        error = parsed ? null : Messages.BadTestDate(text);
        return parsed;
    }

    private static bool TryParseAction(string text, out RetentionAction action, out string? error)
    {
        action = !System.Text.Ascii.IsValid(text) ? (RetentionAction)255 : text.ToUpperInvariant() switch
        {
            "REMOVE" => RetentionAction.Remove,
            "RETAIN" => RetentionAction.Retain,
            "UNDETERMINED" => RetentionAction.Undetermined,
            _ => (RetentionAction)255,
        };
        error = action == (RetentionAction)255 ? Messages.BadTestAction(text) : null;
        return error is null;
    }

    private static bool TryParseBoundary(string text, out BoundaryMode mode, out string? error)
    {
        var parsed = BoundaryModes.TryParse(text, out mode);
        error = parsed ? null : Messages.BadTestBoundary(text);
        return parsed;
    }
}
