using Smi.Retention.Text;

namespace Smi.Retention.Policies.Loading;

/// <summary>
/// Reading the fields of a policy file's objects, every problem located: unknown, misspelt,
/// duplicate and unsupported fields, and strings, names and flags of the wrong kind.
/// </summary>
internal sealed class JsonFields(ProblemSink problems)
{
    public static PlacedMember? Member(PlacedObject obj, string name) => obj.Members.FirstOrDefault(m => m.Name == name);

    public void CheckFields(PlacedObject obj, string? rule, string[] known, string[] unsupported)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in obj.Members)
        {
            if (!seen.Add(member.Name))
            {
                problems.Add(member.Line, member.Column, rule, Messages.DuplicateField(member.Name));
            }
            else if (unsupported.Contains(member.Name, StringComparer.Ordinal))
            {
                problems.Add(member.Line, member.Column, rule, Messages.UnsupportedField(member.Name));
            }
            else if (!known.Contains(member.Name, StringComparer.Ordinal))
            {
                problems.Add(member.Line, member.Column, rule, Messages.UnknownField(member.Name, Spelling.Suggest(member.Name, known), known));
            }
        }
    }

    public void CheckExpressionType(PlacedObject obj, string? rule)
    {
        if (Member(obj, "RuleExpressionType") is { } member && ReadString(member, rule) is { } value && value != "LambdaExpression")
        {
            problems.Add(member.Value, rule, Messages.BadExpressionType(value));
        }
    }

    public string? RequiredString(PlacedObject obj, string field, string? rule, string owner)
    {
        if (Member(obj, field) is not { } member)
        {
            problems.Add(obj, rule, Messages.MissingField(field, owner, "a string"));
            return null;
        }

        var value = ReadString(member, rule);
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            problems.Add(member.Value, rule, Messages.EmptyField(field));
            return null;
        }

        return value;
    }

    /// <summary>A required name that people will read and compare: printable, no longer than <see cref="PolicyLimits.MaxNameLength"/>.</summary>
    public string? RequiredName(PlacedObject obj, string field, string? rule, string owner)
    {
        var name = RequiredString(obj, field, rule, owner);
        if (name is null)
        {
            return null;
        }

        if (Untrusted.LongerThan(name, PolicyLimits.MaxNameLength))
        {
            problems.Add(Member(obj, field)!.Value, rule, Messages.NameTooLong(field, Untrusted.Characters(name)));
            return null;
        }

        if (!Untrusted.IsPrintableName(name))
        {
            problems.Add(Member(obj, field)!.Value, rule, Messages.NameNotPrintable(field, name));
            return null;
        }

        return name;
    }

    /// <summary>
    /// The fields at the top of a policy or timeline that only people and editors read: <c>$schema</c>
    /// (the JSON Schema an editor validates against; a string, otherwise ignored) and <c>Description</c>.
    /// </summary>
    /// <returns>The description, or null.</returns>
    public string? RootHeader(PlacedObject root)
    {
        if (Member(root, "$schema") is { } schema)
        {
            _ = ReadString(schema, null);
        }

        return Member(root, "Description") is { } description ? ReadDescription(description, null) : null;
    }

    public string? ReadDescription(PlacedMember member, string? rule)
    {
        var text = ReadString(member, rule);
        if (text is not null && Untrusted.LongerThan(text, PolicyLimits.MaxDescriptionLength))
        {
            problems.Add(member.Value, rule, Messages.DescriptionTooLong(Untrusted.Characters(text)));
            return null;
        }

        if (text is not null && !Untrusted.IsPrintableText(text))
        {
            problems.Add(member.Value, rule, Messages.DescriptionNotPrintable());
            return null;
        }

        return text;
    }

    public string? ReadString(PlacedMember member, string? rule)
    {
        if (member.Value is PlacedString text)
        {
            return text.Value;
        }

        problems.Add(member.Value, rule, Messages.WrongKind(member.Name, "a string", member.Value.Kind));
        return null;
    }

    public bool ReadBool(PlacedMember member, string? rule)
    {
        if (member.Value is PlacedBool flag)
        {
            return flag.Value;
        }

        problems.Add(member.Value, rule, Messages.WrongKind(member.Name, "true or false", member.Value.Kind));
        return false;
    }
}
