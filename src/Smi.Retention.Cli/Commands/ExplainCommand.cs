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
            while (reader.Read(out var row))
            {
                if (row.IsAccepted ? row.Record.Id != id : !DeviceId.TryParse(row.IdText, out var rejectedId) || rejectedId != id)
                {
                    continue;
                }

                if (!row.IsAccepted)
                {
                    throw new UsageException(CliMessages.DeviceRejected(id.ToString(), row.Line, row.Error!));
                }

                context.Output.Write(compiled.For(date).Explain(row.Record).ToString());
                return ExitCodes.Done;
            }

            throw new UsageException(CliMessages.DeviceNotFound(id.ToString(), path));
        }));
        return command;
    }
}
