using System.CommandLine;
using Smi.Retention.Cli.Input;
using Smi.Retention.Cli.Output;
using Smi.Retention.Inventory;
using Smi.Retention.Cli.Problems;
using Smi.Retention.Cli.Reports.Models;

namespace Smi.Retention.Cli.Commands;

/// <summary>
/// <c>explain</c>: the rule trace for one device, either found in an inventory (<c>--inventory</c>
/// and <c>--device-id</c>) or described on the command line (<c>--type</c>, <c>--status</c>,
/// <c>--since</c>, <c>--prior</c>), for an author asking "what about a device like this?".
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var inventory = CommonOptions.Inventory();
        inventory.Required = false;
        inventory.Description = "The inventory CSV (- for standard input) holding --device-id; or describe a device with --type, --status and --since instead.";
        var asOf = CommonOptions.AsOf();
        var boundary = CommonOptions.Boundary();
        var deviceId = new Option<string?>("--device-id") { Description = "The device's EUI-64 in the inventory, e.g. 88-73-84-57-00-2F-96-1E." };
        var type = new Option<string?>("--type") { Description = "A device without an inventory: its type (ESME, GSME, CHF, GPF, PPMID, HCALCS, IHD, CAD)." };
        var status = new Option<string?>("--status") { Description = "Its current SMI status, e.g. Pending (NotApplicable for IHD and CAD)." };
        var since = new Option<string?>("--since") { Description = "The London date its status applies from (yyyy-MM-dd), or an instant with an offset." };
        var prior = new Option<string?>("--prior") { Description = "The statuses it held before, separated by ';', e.g. Commissioned;Decommissioned (default: none)." };
        var generation = new Option<string?>("--generation") { Description = "Its SMETS generation, SMETS1 or SMETS2 (default: not recorded)." };
        var model = new Option<string?>("--model") { Description = "Its device model as the SMI names it (default: not recorded)." };
        var format = CommonOptions.Format();
        var command = new Command("explain", "Show, for one device, every rule in order and why it matched or not.")
        {
            policy, inventory, deviceId, type, status, since, prior, generation, model, asOf, boundary, format,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            var date = CommonOptions.ParseDate("--as-of", result.GetValue(asOf));
            var json = JsonReport.IsJson(result.GetValue(format));
            if ((result.GetValue(inventory) is not null || result.GetValue(deviceId) is not null) && (result.GetValue(generation) is not null || result.GetValue(model) is not null))
            {
                throw new UsageException(ProblemCodes.OptionValue, CliMessages.ExplainFactsOfAnInventoryDevice());
            }

            var described = Described(result.GetValue(type), result.GetValue(status), result.GetValue(since), result.GetValue(prior), result.GetValue(generation), result.GetValue(model));
            var path = result.GetValue(inventory);
            var idText = result.GetValue(deviceId);
            if (described is not null == (path is not null || idText is not null))
            {
                throw new UsageException(ProblemCodes.OptionValue, CliMessages.ExplainWhichDevice());
            }

            var compiled = CommandInputs.LoadPolicy(result.GetValue(policy)!, CommonOptions.ParseBoundary(result.GetValue(boundary)));
            CommandInputs.CheckStandardStreams(context, [.. CommandInputs.Inputs("--policy", compiled), ("--inventory", path)]);
            if (described is { } device)
            {
                context.Render(ExplainReport.Of(compiled.For(date), device), json);
                return ExitCodes.Done;
            }

            if (path is null || idText is null)
            {
                throw new UsageException(ProblemCodes.OptionValue, CliMessages.ExplainWhichDevice());
            }

            if (!DeviceId.TryParse(idText, out var id, out var idError))
            {
                throw new UsageException(ProblemCodes.OptionValue, "--device-id: " + idError);
            }

            using var reader = CommandInputs.OpenInventory(context, path, date);
            // Every row is read: a device listed twice is explained by neither of its rows, as run decides
            // neither; a rejected row lists every device it names, by the duplicate rule's own reading.
            var lines = new List<long>();
            InventoryRow found = default;
            foreach (var chunk in Smi.Retention.Inventory.ParsedChunks.Read(reader, path, () => new Smi.Retention.Inventory.ParsedChunk(), null, context.Cancellation))
            {
                for (var i = 0; i < chunk.Count; i++)
                {
                    var row = chunk.Rows[i];
                    if (row.IsAccepted ? row.Record.Id != id : !DuplicateCheck.DevicesOf(row).Contains(id))
                    {
                        continue;
                    }

                    if (lines.Count == 0)
                    {
                        found = row;
                    }

                    lines.Add(row.Line);
                }
            }

            if (lines.Count == 0)
            {
                throw new UsageException(ProblemCodes.Device, CliMessages.DeviceNotFound(id.ToString(), path));
            }

            if (lines.Count > 1)
            {
                throw new UsageException(ProblemCodes.Device, CliMessages.DeviceListedMoreThanOnce(id.ToString(), lines));
            }

            if (!found.IsAccepted)
            {
                throw new UsageException(ProblemCodes.Device, CliMessages.DeviceRejected(id.ToString(), found.Line, found.Error!));
            }

            context.Render(ExplainReport.Of(compiled.For(date), found.Record), json);
            return ExitCodes.Done;
        }));
        return command;
    }

    /// <summary>The device described by <c>--type</c>, <c>--status</c>, <c>--since</c>, <c>--prior</c>, <c>--generation</c> and <c>--model</c>; null when none of them is given.</summary>
    private static DeviceRecord? Described(string? typeText, string? statusText, string? sinceText, string? priorText, string? generationText, string? modelText)
    {
        if (typeText is null && statusText is null && sinceText is null && priorText is null && generationText is null && modelText is null)
        {
            return null;
        }

        if (typeText is null || statusText is null || sinceText is null)
        {
            throw new UsageException(ProblemCodes.OptionValue, CliMessages.ExplainIncompleteDevice());
        }

        var errors = new List<string>();
        if (!DeviceTypes.TryParse(typeText, out var type, out var typeError))
        {
            errors.Add("--type: " + typeError);
        }

        if (!SmiStatuses.TryParse(statusText, out var status, out var statusError))
        {
            errors.Add("--status: " + statusError);
        }

        if (!LondonDates.TryParseDateOrInstant(sinceText, out var since, out var sinceError))
        {
            errors.Add("--since: " + sinceError);
        }

        var prior = SmiStatusSet.Empty;
        if (priorText is not null && !SmiStatusSet.TryParse(priorText, out prior, out var bad))
        {
            errors.Add("--prior: " + Messages.UnknownSmiStatus(bad));
        }

        var generation = SmetsGeneration.Unknown;
        if (generationText is not null && !SmetsGenerations.TryParse(generationText, out generation, out var generationError))
        {
            errors.Add("--generation: " + generationError);
        }

        if (modelText is not null && !SmetsGenerations.IsValidModel(modelText, out var modelError))
        {
            errors.Add("--model: " + modelError);
        }

        if (errors.Count == 0)
        {
            if (DeviceRecord.TryCreate(new DeviceId(0), type, status, since, prior, null, generation, modelText, out var device, out var recordError))
            {
                return device;
            }

            errors.Add(recordError);
        }

        throw new UsageException(ProblemCodes.OptionValue, string.Join(Environment.NewLine, errors));
    }
}
