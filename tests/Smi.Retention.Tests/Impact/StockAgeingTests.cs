using FsCheck.Xunit;
using static Smi.Retention.Tests.TestSupport.TestDevices;

namespace Smi.Retention.Tests.Impact;

/// <summary>The stock-ageing report: every pending device in exactly one band, the hubs' charges, the longest waiting first.</summary>
public class StockAgeingTests
{
    [Property(MaxTest = 40, QuietOnSuccess = true)]
    public bool Bands_AddUpToThePendingDevices_ByTypeAndModel(ushort seed, byte monthsLater)
    {
        var asOf = Date("2019-11-07").PlusMonths(monthsLater % 60);
        var devices = SyntheticInventory.Generate(5_000, seed, Date("2019-11-07")).ToArray();

        var report = StockAgeing.Analyse(devices, asOf, BoundaryMode.OnCorrespondingDate, 1.2m);

        var pending = devices.Where(d => d.Status == SmiStatus.Pending).ToArray();
        return report.DevicesRead == devices.Length
            && report.Pending == pending.Length
            && Enumerable.Range(0, StockAgeing.BandStarts.Count).Sum(b => report.InBand(b)) == pending.Length
            && report.Models.All(m => m.ByBand.Sum() == m.Pending && m.Pending <= m.Devices
                && m.Pending == pending.Count(d => d.Type == m.Type && d.Generation == m.Generation && d.Model == m.Model)
                && m.Devices == devices.Count(d => d.Type == m.Type && d.Generation == m.Generation && d.Model == m.Model))
            && report.Hubs.Pending == pending.Count(d => d.Type == DeviceType.CHF)
            && report.Hubs.MonthlyCost == 1.2m * report.Hubs.Pending
            && report.Hubs.AccruedCost == 1.2m * report.Hubs.MonthsPending
            && report.Models.Zip(report.Models.Skip(1)).All(p => p.First.MeanMonthsPending >= p.Second.MeanMonthsPending);
    }

    [Fact]
    public void Bands_AtTheirEdges_ByTheLegalCalendar()
    {
        // On 2023-02-28, a month's last day: 2022-08-29 + 6 months is 2023-02-28 (no 29 February), so 6 months held;
        // 2022-03-01 has held 11; 2022-02-28 12; 2021-02-28 24; 2020-02-29 36 (its corresponding date is 2023-02-28); 2020-03-01 35.
        DeviceRecord P(string since, DeviceType type = DeviceType.ESME) => new(new DeviceId((ulong)since.GetHashCode(StringComparison.Ordinal)), type, SmiStatus.Pending, Date(since), default, null, SmetsGeneration.SMETS2, "M");
        var devices = new[] { P("2022-08-29"), P("2022-08-28"), P("2022-03-01"), P("2022-02-28"), P("2021-02-28"), P("2020-02-29", DeviceType.CHF), P("2020-03-01", DeviceType.CHF) };

        var report = StockAgeing.Analyse(devices, Date("2023-02-28"));

        Assert.Equal([0, 3, 1, 2, 1], Enumerable.Range(0, 5).Select(b => report.InBand(b)));
        Assert.Equal([0, 0, 0, 1, 1], report.Hubs.ByBand);
        Assert.Equal(36 + 35, report.Hubs.MonthsPending);
        Assert.Null(report.Hubs.MonthlyCost);
        Assert.Equal("36 months or more", StockReport.BandName(4));
        Assert.Equal("under 6 months", StockReport.BandName(0));
    }

    [Fact]
    public void ARecordDatedAfterTheCount_Refused_NeverDroppedSilently()
    {
        var late = new DeviceRecord(new DeviceId(5), DeviceType.ESME, SmiStatus.Pending, Date("2020-01-02"));
        var e = Assert.Throws<ArgumentException>(() => StockAgeing.Analyse([late], Date("2020-01-01")));
        Assert.Contains("2020-01-02", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StockAgeing.Analyse([default(DeviceRecord)], Date("2020-01-01")));
        Assert.Throws<ArgumentOutOfRangeException>(() => StockAgeing.Analyse([], Date("2020-01-01"), hubMonthlyRate: -1));
    }

    [Fact]
    public void GeneratedInventory_OlderModelsWaitLonger()
    {
        var report = StockAgeing.Analyse(SyntheticInventory.Generate(200_000, 3, Date("2019-11-07")), Date("2019-11-07"));
        decimal Mean(string model) => report.Models.Single(m => m.Type == DeviceType.ESME && m.Generation == SmetsGeneration.SMETS2 && m.Model == model).MeanMonthsPending;

        Assert.True(Mean("Aldor E2-300") > Mean("Corvin E2-520"), $"{Mean("Aldor E2-300")} against {Mean("Corvin E2-520")}");
    }
}
