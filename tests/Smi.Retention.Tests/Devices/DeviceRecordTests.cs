using System.Runtime.CompilerServices;
using NodaTime;

namespace Smi.Retention.Tests.Devices;

public class DeviceRecordTests
{
    private static readonly DeviceId Id = DeviceId.Parse("88-73-84-57-00-2F-96-1E");
    private static readonly LocalDate Since = new(2019, 3, 15);

    [Fact]
    public void Size_IsTwentyFourBytes() => Assert.Equal(24, Unsafe.SizeOf<DeviceRecord>());

    [Fact]
    public void Constructor_ValidFields_Kept()
    {
        var record = new DeviceRecord(Id, DeviceType.ESME, SmiStatus.Pending, Since, SmiStatusSet.Of(SmiStatus.Decommissioned), "SUPPLIER-1");
        Assert.Equal(Id, record.Id);
        Assert.Equal(DeviceType.ESME, record.Type);
        Assert.Equal(SmiStatus.Pending, record.Status);
        Assert.Equal(Since, record.StatusSince);
        Assert.True(record.PriorStatuses.Contains(SmiStatus.Decommissioned));
        Assert.Equal("SUPPLIER-1", record.NotifyingParty);
        Assert.True(record.IsInitialized);
    }

    [Fact]
    public void Default_IsNotInitialized() => Assert.False(default(DeviceRecord).IsInitialized);

    [Fact]
    public void Constructor_TypeTwoWithStatus_Rejected() =>
        Assert.StartsWith(
            "IHD devices are Type 2 devices with no SMI status, so the status must be NotApplicable, not Pending.",
            Assert.Throws<ArgumentException>(() => new DeviceRecord(Id, DeviceType.IHD, SmiStatus.Pending, Since)).Message);

    [Fact]
    public void Constructor_MeterWithoutStatus_Rejected() =>
        Assert.StartsWith(
            "ESME devices have an SMI status, so it cannot be NotApplicable (only Type 2 devices, IHD and CAD, have none); give the device's SMI status.",
            Assert.Throws<ArgumentException>(() => new DeviceRecord(Id, DeviceType.ESME, SmiStatus.NotApplicable, Since)).Message);

    [Fact]
    public void Constructor_UndefinedType_Rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeviceRecord(Id, (DeviceType)0, SmiStatus.Pending, Since));

    [Fact]
    public void Constructor_NonIsoDate_Rejected() =>
        Assert.Throws<ArgumentException>(() => new DeviceRecord(Id, DeviceType.GSME, SmiStatus.Pending, Since.WithCalendar(CalendarSystem.Julian)));
}
