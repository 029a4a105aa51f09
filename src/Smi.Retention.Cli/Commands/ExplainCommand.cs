using System.CommandLine;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>explain</c>: the rule trace for one device of an inventory.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliContext context)
    {
        var policy = CommonOptions.Policy();
        var inventory = CommonOptions.Inventory();
        var asOf = CommonOptions.AsOf();
        var boundary = CommonOptions.Boundary();
        var deviceId = new Option<string>("--device-id") { Description = "The device's EUI-64, e.g. 88-73-84-57-00-2F-96-1E.", Required = true };
        var command = new Command("explain", "Show, for one device, every rule in order and why it matched or not.")
        {
            policy, inventory, deviceId, asOf, boundary,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            var idText = result.GetValue(deviceId)!;
            if (!DeviceId.TryParse(idText, out var id, out var idError))
            {
                throw new UsageException("--device-id: " + idError);
            }

            var date = CommonOptions.ParseDate("--as-of", result.GetValue(asOf));
            var compiled = CommonOptions.LoadPolicy(result.GetValue(policy)!, CommonOptions.ParseBoundary(result.GetValue(boundary)));
            var path = result.GetValue(inventory)!;
            using var reader = CommonOptions.OpenInventory(context, path, date);
            // Every row is read: a device listed twice is explained by neither of its rows, as run decides neither.
            var lines = new List<int>();
            Cli.Inventory.InventoryRow found = default;
            while (reader.Read(out var row))
            {
                if (row.IsAccepted ? row.Record.Id != id : !DeviceId.TryParse(row.IdText, out var rejectedId) || rejectedId != id)
                {
                    continue;
                }

                if (lines.Count == 0)
                {
                    found = row;
                }

                lines.Add(row.Line);
            }

            if (lines.Count == 0)
            {
                throw new UsageException(CliMessages.DeviceNotFound(id.ToString(), path));
            }

            if (lines.Count > 1)
            {
                throw new UsageException(CliMessages.DeviceListedMoreThanOnce(id.ToString(), lines));
            }

            if (!found.IsAccepted)
            {
                throw new UsageException(CliMessages.DeviceRejected(id.ToString(), found.Line, found.Error!));
            }

            context.Output.Write(compiled.For(date).Explain(found.Record).ToString());
            return ExitCodes.Done;
        }));
        return command;
    }
}
