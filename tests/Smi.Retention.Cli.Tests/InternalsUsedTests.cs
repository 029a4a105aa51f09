using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Smi.Retention.Tests;

/// <summary>
/// The tool and the host read as few of the core's internals as they can, and each one they read is
/// listed with its reason in docs/architecture.md: read from the compiled assemblies' references, so a
/// new use of an internal type or member fails here until it is listed (or made unnecessary).
/// </summary>
public partial class InternalsUsedTests
{
    [Theory]
    [InlineData("smi-retention")]
    [InlineData("Smi.Retention.Hosting")]
    public void InternalsUsed_AreTheListedOnes(string consumer)
    {
        var assembly = consumer == "smi-retention" ? typeof(Smi.Retention.Cli.SmiRetentionCli).Assembly : typeof(HousekeepingService).Assembly;
        var used = InternalsUsed(assembly, typeof(CompiledPolicy).Assembly);

        var page = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "architecture.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var heading = $"### Internals {consumer} reads\n";
        var at = page.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/architecture.md has no section '{heading.Trim()}'");
        var end = page.IndexOf("\n#", at + heading.Length, StringComparison.Ordinal);
        var listed = ListedRow().Matches(page[at..(end < 0 ? page.Length : end)]).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        Assert.Equal(used, listed);
    }

    /// <summary>The core's types and members that are not public and that <paramref name="consumer"/> references.</summary>
    private static List<string> InternalsUsed(Assembly consumer, Assembly core)
    {
        using var stream = File.OpenRead(consumer.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var coreName = core.GetName().Name;
        var used = new SortedSet<string>(StringComparer.Ordinal);

        string? NameOf(TypeReferenceHandle handle)
        {
            var reference = metadata.GetTypeReference(handle);
            if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                return NameOf((TypeReferenceHandle)reference.ResolutionScope) is { } outer ? outer + "+" + metadata.GetString(reference.Name) : null;
            }

            if (reference.ResolutionScope.Kind != HandleKind.AssemblyReference
                || metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name) != coreName)
            {
                return null;
            }

            var space = metadata.GetString(reference.Namespace);
            return (space.Length > 0 ? space + "." : "") + metadata.GetString(reference.Name);
        }

        foreach (var handle in metadata.TypeReferences)
        {
            if (NameOf(handle) is { } name && !core.GetType(name, throwOnError: true)!.IsVisible)
            {
                used.Add(name);
            }
        }

        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference || NameOf((TypeReferenceHandle)member.Parent) is not { } typeName)
            {
                continue;
            }

            var type = core.GetType(typeName, throwOnError: true)!;
            var name = metadata.GetString(member.Name);
            var visible = name == ".ctor"
                ? type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).Length > 0
                : type.GetMember(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Length > 0;
            if (type.IsVisible && !visible)
            {
                used.Add(typeName + "." + name);
            }
        }

        return [.. used];
    }

    [GeneratedRegex(@"^\| `([^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ListedRow();
}
