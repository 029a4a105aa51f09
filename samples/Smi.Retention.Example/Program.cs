using NodaTime;
using NodaTime.Text;
using Smi.Retention;
using Smi.Retention.Evaluation;
using Smi.Retention.Policies;

// Which devices of a small inventory does each built-in policy remove on 7 November 2019, the day
// SECMP0060 took effect? And why, for one of them?
var asOf = new LocalDate(2019, 11, 7);
DeviceRecord[] inventory =
[
    new(DeviceId.Parse("88-73-84-57-00-2F-96-1E"), DeviceType.CHF, SmiStatus.Pending, new LocalDate(2017, 6, 1)),
    new(DeviceId.Parse("88-73-84-57-00-2F-96-1F"), DeviceType.GPF, SmiStatus.Pending, new LocalDate(2017, 6, 1)),
    new(DeviceId.Parse("00-1b-c5-0c-00-00-00-2a"), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2014, 11, 7)),
    new(DeviceId.Parse("00-1B-C5-0C-00-00-00-2B"), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2018, 10, 7),
        SmiStatusSet.Of(SmiStatus.Commissioned, SmiStatus.Decommissioned)),
    new(DeviceId.Parse("00-1B-C5-0C-00-00-00-2C"), DeviceType.GSME, SmiStatus.Commissioned, new LocalDate(2015, 1, 31)),
    new(DeviceId.Parse("00-1B-C5-0C-00-00-00-2D"), DeviceType.PPMID, SmiStatus.Pending, new LocalDate(2016, 2, 29)),
    new(DeviceId.Parse("00-1B-C5-0C-00-00-00-2E"), DeviceType.IHD, SmiStatus.NotApplicable, new LocalDate(2012, 5, 1)),
];

var date = LocalDatePattern.Iso;
Console.WriteLine($"Decisions as of {date.Format(asOf)} (London), tzdb {LondonDates.TzdbVersion}");
Console.WriteLine();
Console.Write($"{"device",-23}  {"type",-5}  {"status",-12}  {"since",-10}");
var policies = PolicyCatalog.BuiltInNames.Select(name => CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(name)).For(asOf)).ToArray();
foreach (var name in PolicyCatalog.BuiltInNames)
{
    Console.Write($"  {name,-28}");
}

Console.WriteLine();
foreach (var device in inventory)
{
    Console.Write($"{device.Id}  {device.Type,-5}  {device.Status,-12}  {date.Format(device.StatusSince)}");
    foreach (var policy in policies)
    {
        var decision = policy.Evaluate(device);
        var due = decision.DueDate is { } d ? (decision.IsRemoval ? " since " : " due ") + date.Format(d) : "";
        Console.Write($"  {decision.Action + due,-28}");
    }

    Console.WriteLine();
}

Console.WriteLine();
Console.WriteLine(policies[1].Explain(inventory[0]));
