using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Smi.Retention.Cli.Output;
using Smi.Retention.Inventory;
using Smi.Retention.Text;

namespace Smi.Retention.Cli.Commands;

/// <summary><c>generate</c>: a synthetic inventory with the SMI's mix, the same for the same seed.</summary>
internal static class GenerateCommand
{
    /// <summary>
    /// The fewest bytes a generated row can take: its id (23), status date (10), shortest type (3),
    /// shortest status (7), seven commas and the line's end. A lower bound: a count refused by it
    /// could never have fitted.
    /// </summary>
    internal const int MinRowBytes = 23 + 10 + 3 + 7 + 7 + 1;

    public static Command Create(CliContext context)
    {
        var devices = new Option<string>("--devices") { Description = "How many device rows.", Required = true };
        var seed = new Option<string?>("--seed") { Description = "The seed, digits (default 1); the same seed gives the same file." };
        var asOf = CommonOptions.AsOf();
        var output = new Option<string>("--out") { Description = "The CSV file to write (- for standard output).", Required = true };
        var command = new Command("generate", "Write a synthetic inventory: CHF and GPF per premises, meters, IHDs; mostly commissioned with a pending backlog; each device with its SMETS generation, model and notifying Service User (a few not recorded).")
        {
            devices, seed, asOf, output,
        };
        command.SetAction(result => context.Guarded(() =>
        {
            var count = CommonOptions.ParseWhole("--devices", result.GetValue(devices), 1000, 0, InvariantNumbers.MaxCount, "a number of rows");
            var date = CommonOptions.ParseDate("--as-of", result.GetValue(asOf));
            var generated = CommonOptions.Synthetic("--as-of", count, CommonOptions.ParseWhole("--seed", result.GetValue(seed), 1, 0, InvariantNumbers.MaxCount, "a seed"), date);
            var clock = Stopwatch.StartNew();
            var types = DeviceTypes.All.ToArray().ToDictionary(t => t, t => t.ToString());
            var statuses = SmiStatuses.All.ToArray().ToDictionary(s => s, s => s.ToString());
            var priors = new Dictionary<ushort, string>();
            var generations = SmetsGenerations.Known.ToArray().ToDictionary(g => g, g => g.ToString());
            using (var outputs = OutputPlan.Create(context, [("--out", result.GetValue(output))], []))
            {
                // A count that cannot fit is refused before any row, rather than written until the disk is full.
                var header = InventoryColumns.FullHeader.Length + 1; // ASCII, and its line's end
                if (outputs["--out"]!.Room is { } room && count > (room.Bytes - header) / MinRowBytes)
                {
                    throw new Problems.UsageException(Problems.ProblemCodes.OptionValue, CliMessages.GeneratedWouldNotFit(count, header + ((decimal)count * MinRowBytes), MinRowBytes, room.Bytes, room.Where));
                }

                var file = new CsvOutput(outputs["--out"]!, InventoryColumns.FullHeader);
                var written = 0L;
                foreach (var device in generated)
                {
                    if ((++written & 0xFFFF) == 0)
                    {
                        context.Cancellation.ThrowIfCancellationRequested();
                    }

                    var prior = device.PriorStatuses;
                    if (!priors.TryGetValue(prior.Bits, out var priorText))
                    {
                        priors[prior.Bits] = priorText = prior.ToString();
                    }

                    file.Field(device.Id);
                    file.Field(types[device.Type]);
                    file.Field(statuses[device.Status]);
                    file.Field(device.StatusSince);
                    file.Field(priorText);
                    file.Field(device.Generation == SmetsGeneration.Unknown ? null : generations[device.Generation]);
                    file.Field(device.Model);
                    file.Field(device.NotifyingParty);
                    file.EndRow();
                }

                file.Complete();
                context.Cancellation.ThrowIfCancellationRequested();
                outputs.Commit("--out");
                if (outputs.WritesStandardOutput)
                {
                    return ExitCodes.Done;
                }
            }

            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {count:N0} device{(count == 1 ? "" : "s")} to {Untrusted.Show(result.GetValue(output)!, 300)} in {clock.Elapsed.TotalSeconds:F1} s."));
            return ExitCodes.Done;
        }));
        return command;
    }
}
