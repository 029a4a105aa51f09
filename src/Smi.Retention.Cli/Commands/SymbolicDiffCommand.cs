using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Impact;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>diff --symbolic</c>: what a policy change means for every possible device, from the two policies alone.</summary>
internal static class SymbolicDiffCommand
{
    public static int Execute(CliContext context, string policyName, string againstName, LocalDate? asOf, BoundaryMode boundary, bool json)
    {
        var proposed = CommandInputs.LoadPolicy(policyName, boundary);
        var current = CommandInputs.LoadPolicy(againstName, boundary, "--against");
        CommandInputs.CheckStandardStreams(context, [.. CommandInputs.Inputs("--policy", proposed), .. CommandInputs.Inputs("--against", current)]);
        SymbolicDiffResult result;
        try
        {
            result = SymbolicDiff.Compare(proposed.Timeline, current.Timeline, boundary, asOf);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "asOf")
        {
            throw new Problems.UsageException(Problems.ProblemCodes.OptionValue, (asOf is null ? "A policy version's date: " : "--as-of ") + Text.Untrusted.Show(e.Message.Split(" (Parameter", 2)[0], 1000));
        }

        context.Cancellation.ThrowIfCancellationRequested();
        if (json)
        {
            PrintJson(context.Output, proposed, current, result);
            return ExitCodes.Done;
        }

        var o = context.Output;
        var c = CultureInfo.InvariantCulture;
        var when = asOf is { } date ? "as of " + LocalDatePattern.Iso.Format(date) : "on every as-of date";
        o.WriteLine(string.Create(c, $"Diff       {proposed.Name} (sha256 {proposed.ContentHash[..12]}) against {current.Name} (sha256 {current.ContentHash[..12]}), {when}, from the policies alone"));
        if (result.Regions.Count == 0)
        {
            o.WriteLine("No device's action changes: both decide every device alike.");
            return ExitCodes.Done;
        }

        o.WriteLine(string.Create(c, $"Changes    {result.Regions.Count} region{(result.Regions.Count == 1 ? "" : "s")} of devices whose action changes; every other device is decided alike:"));
        foreach (var region in result.Regions)
        {
            o.WriteLine("  " + region);
        }

        return ExitCodes.Done;
    }

    /// <summary>The regions as one JSON document (schemas/output/symbolic-diff.schema.json).</summary>
    private static void PrintJson(TextWriter output, Evaluation.CompiledPolicy proposed, Evaluation.CompiledPolicy current, SymbolicDiffResult result)
    {
        using var document = JsonReport.Start(output, "symbolic-diff");
        var json = document.Writer;
        JsonReport.Policy(json, "policy", proposed);
        JsonReport.Policy(json, "against", current);
        JsonReport.Date(json, "asOf", result.AsOf);
        json.WriteString("boundary", result.Boundary.ToString());
        json.WriteStartArray("regions");
        foreach (var region in result.Regions)
        {
            Region(json, region);
        }

        json.WriteEndArray();
    }

    /// <summary>One region: its facts, and its line of text.</summary>
    public static void Region(Utf8JsonWriter json, ChangeRegion region)
    {
        json.WriteStartObject();
        json.WriteString("before", region.Before.ToString());
        json.WriteString("after", region.After.ToString());
        JsonReport.Strings(json, "types", region.Types.Select(t => t.ToString()));
        JsonReport.Strings(json, "statuses", region.Statuses.Select(s => s.ToString()));
        json.WriteStartObject("history");
        json.WriteString("kind", JsonNamingPolicy.CamelCase.ConvertName(region.History.Kind.ToString()));
        JsonReport.Strings(json, "statuses", region.History.Statuses.Select(s => s.ToString()));
        json.WriteStartArray("terms");
        foreach (var term in region.History.Terms)
        {
            json.WriteStartObject();
            JsonReport.Strings(json, "held", SmiStatuses.All.ToArray().Where(term.Held.Contains).Select(s => s.ToString()));
            JsonReport.Strings(json, "notHeld", SmiStatuses.All.ToArray().Where(term.NotHeld.Contains).Select(s => s.ToString()));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("text", region.History.ToString());
        json.WriteEndObject();
        json.WriteNumber("fromMonths", region.FromMonths);
        if (region.ToMonths is { } to)
        {
            json.WriteNumber("toMonths", to);
        }
        else
        {
            json.WriteNull("toMonths");
        }

        JsonReport.Date(json, "validFrom", region.ValidFrom);
        JsonReport.Date(json, "validUntil", region.ValidUntil);
        JsonReport.Date(json, "statusSinceFrom", region.SinceFrom);
        JsonReport.Date(json, "statusSinceTo", region.SinceTo);
        json.WriteString("text", region.ToString());
        json.WriteEndObject();
    }
}
