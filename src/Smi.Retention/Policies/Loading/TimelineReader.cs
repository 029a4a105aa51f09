using NodaTime.Text;
using Smi.Retention.Rules;

namespace Smi.Retention.Policies.Loading;

/// <summary>
/// A timeline: its versions in order of their dates, each a policy found by the resolver (a
/// built-in, or a file the caller confines), the problems of those files kept under their names.
/// </summary>
internal sealed class TimelineReader(ProblemSink problems, JsonFields fields)
{
    private static readonly string[] TimelineFields = ["$schema", "TimelineName", "Description", "Versions"];
    private static readonly string[] VersionFields = ["Policy", "EffectiveFrom"];

    /// <summary>The timeline, or null with every problem reported, its versions' files' problems included.</summary>
    public RetentionTimeline? Read(PlacedObject timeline, string hash, Func<string, RetentionPolicy> resolve)
    {
        fields.CheckFields(timeline, null, TimelineFields, []);
        var name = fields.RequiredName(timeline, "TimelineName", null, "the timeline");
        var description = fields.RootHeader(timeline);
        var versions = new List<PolicyVersion>();
        if (JsonFields.Member(timeline, "Versions") is not { Value: PlacedArray array } member)
        {
            problems.Add(timeline, null, Messages.MissingField("Versions", "the timeline", "an array of {\"Policy\", \"EffectiveFrom\"} objects"));
            return null;
        }

        if (array.Items.Count > PolicyLimits.MaxVersions)
        {
            problems.Add(array, null, Messages.TooManyVersions(array.Items.Count));
            return null;
        }

        for (var index = 0; index < array.Items.Count; index++)
        {
            var item = array.Items[index];
            if (item is not PlacedObject version)
            {
                problems.Add(item, null, Messages.WrongKind("Versions[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", "an object", item.Kind));
                continue;
            }

            fields.CheckFields(version, null, VersionFields, []);
            var reference = fields.RequiredString(version, "Policy", null, "the version");
            NodaTime.LocalDate? from = null;
            var hasFrom = JsonFields.Member(version, "EffectiveFrom") is { Value: not PlacedOther { Description: "null" } };
            if (hasFrom && JsonFields.Member(version, "EffectiveFrom") is { } fromMember)
            {
                var text = fields.ReadString(fromMember, null);
                var parsed = text is null ? null : LocalDatePattern.Iso.Parse(text);
                if (parsed is { Success: true } && (parsed.Value < PolicyLimits.EarliestEffectiveFrom || parsed.Value > PolicyLimits.LatestEffectiveFrom))
                {
                    // Periods of up to 100 years from a version's date must stay within the calendar.
                    problems.Add(fromMember.Value, null, Messages.EffectiveFromOutOfRange(text!));
                }
                else if (parsed is { Success: true })
                {
                    from = parsed.Value;
                }
                else if (text is not null)
                {
                    problems.Add(fromMember.Value, null, Messages.BadEffectiveFrom(text));
                }
            }

            if (index == 0 && hasFrom)
            {
                problems.Add(version, null, Messages.FirstVersionHasDate());
            }
            else if (index > 0 && !hasFrom)
            {
                problems.Add(version, null, Messages.LaterVersionNeedsDate());
            }
            else if (from is not null && versions.Count > 0 && from <= versions[^1].EffectiveFrom)
            {
                problems.Add(version, null, Messages.VersionsOutOfOrder(LocalDatePattern.Iso.Format(from!.Value)));
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
                problems.AddRange(e.Problems);
            }
            catch (Exception e) when (e is FileNotFoundException or PolicyFileException)
            {
                problems.Add(JsonFields.Member(version, "Policy")!.Value, null, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(JsonFields.Member(version, "Policy")!.Value, null, Messages.PolicyUnreadable(reference, e.Message));
            }
        }

        if (versions.Count == 0 && problems.Count == 0)
        {
            problems.Add(array, null, Messages.EmptyTimeline());
        }

        if (problems.Count > 0 || name is null)
        {
            return null;
        }

        var tests = 0L;
        foreach (var version in versions)
        {
            foreach (var rule in version.Policy.Rules)
            {
                tests += ConditionLogic.Size(rule.Condition);
            }
        }

        if (tests > PolicyLimits.MaxTimelineTests)
        {
            problems.Add(array, null, Messages.TimelineTooComplex(tests));
            return null;
        }

        var combined = PolicyLoader.Hash(System.Text.Encoding.UTF8.GetBytes(hash + string.Concat(versions.Select(v => v.Policy.ContentHash))));
        return new RetentionTimeline(name, versions, combined) { Description = description };
    }
}
