using NodaTime;
using NodaTime.Text;
using Smi.Retention;

// When does each pending device become removable under AC 7.2 (12 months) and SECMP0060 (36 months)?
var asOf = new LocalDate(2019, 11, 7);
var twelve = RetentionPeriod.Parse("P12M");
var thirtySix = RetentionPeriod.Parse("P3Y");
DeviceRecord[] devices =
[
    new(DeviceId.Parse("88-73-84-57-00-2F-96-1E"), DeviceType.CHF, SmiStatus.Pending, new LocalDate(2017, 6, 1)),
    new(DeviceId.Parse("88-73-84-57-00-2F-96-1F"), DeviceType.GPF, SmiStatus.Pending, new LocalDate(2018, 11, 7)),
    new(DeviceId.Parse("00-1b-c5-0c-00-00-00-2a"), DeviceType.ESME, SmiStatus.Pending, new LocalDate(2016, 2, 29),
        SmiStatusSet.Of(SmiStatus.Commissioned, SmiStatus.Decommissioned)),
    new(DeviceId.Parse("00-1B-C5-0C-00-00-00-2B"), DeviceType.GSME, SmiStatus.Commissioned, new LocalDate(2015, 1, 31)),
];

var date = LocalDatePattern.Iso;
Console.WriteLine($"As of {date.Format(asOf)} (London), tzdb {LondonDates.TzdbVersion}");
Console.WriteLine($"{"device",-23}  {"type",-5}  {"status",-12}  {"since",-10}  {"12 months",-21}  36 months");
foreach (var device in devices)
{
    var pending = device.Status == SmiStatus.Pending;
    Console.WriteLine(
        $"{device.Id}  {device.Type,-5}  {device.Status,-12}  {date.Format(device.StatusSince)}  " +
        $"{Describe(pending, device.StatusSince, twelve),-21}  {Describe(pending, device.StatusSince, thirtySix)}");
}

string Describe(bool pending, LocalDate since, RetentionPeriod period)
{
    if (!pending)
    {
        return "not pending";
    }

    var due = RetentionCalendar.DueDate(since, period);
    return RetentionCalendar.HasElapsed(since, period, asOf) ? $"removable {date.Format(due)}" : $"due {date.Format(due)}";
}
