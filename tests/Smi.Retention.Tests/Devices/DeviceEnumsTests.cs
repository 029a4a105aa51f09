namespace Smi.Retention.Tests.Devices;

public class DeviceEnumsTests
{
    // Everything sized by the statuses and types (the set's bits, the table's slots, IsDefined,
    // the counts) is derived from the number of declared members; that holds while they are 1..N.
    [Fact]
    public void TypesAndStatuses_AreNumberedFromOneWithoutGaps()
    {
        Assert.Equal(Enumerable.Range(1, Enum.GetValues<DeviceType>().Length), Enum.GetValues<DeviceType>().Select(t => (int)t));
        Assert.Equal(Enumerable.Range(1, Enum.GetValues<SmiStatus>().Length), Enum.GetValues<SmiStatus>().Select(s => (int)s));
        Assert.InRange(Enum.GetValues<SmiStatus>().Length, 1, 15); // a SmiStatusSet holds them in 16 bits
    }

    [Fact]
    public void IsDefined_IsExactlyTheDeclaredMembers()
    {
        for (var value = 0; value < 256; value++)
        {
            Assert.Equal(Enum.IsDefined((DeviceType)value), DeviceTypes.IsDefined((DeviceType)value));
            Assert.Equal(Enum.IsDefined((SmiStatus)value), SmiStatuses.IsDefined((SmiStatus)value));
        }
    }

    private const string Types = "ESME, GSME, CHF, GPF, PPMID, HCALCS, IHD, CAD";
    private const string Statuses = "Pending, Whitelisted, InstalledNotCommissioned, Commissioned, Decommissioned, Withdrawn, Suspended, Recovery, Recovered, NotApplicable";

    [Theory]
    [InlineData("chf", DeviceType.CHF)]
    [InlineData("GPF", DeviceType.GPF)]
    [InlineData("Hcalcs", DeviceType.HCALCS)]
    [InlineData(" esme ", DeviceType.ESME)]
    public void DeviceTypeParse_AnyCase_Accepted(string text, DeviceType expected) =>
        Assert.Equal(expected, DeviceTypes.Parse(text));

    [Theory]
    [InlineData("3")]
    [InlineData("CommsHub")]
    [InlineData("")]
    public void DeviceTypeParse_UnknownOrNumber_RejectedListingTheValidNames(string text) =>
        Assert.Equal(
            $"'{text}' is not a device type; use one of {Types} (any case).",
            Assert.Throws<FormatException>(() => DeviceTypes.Parse(text)).Message);

    [Theory]
    [InlineData("pending", SmiStatus.Pending)]
    [InlineData("INSTALLEDNOTCOMMISSIONED", SmiStatus.InstalledNotCommissioned)]
    [InlineData("NotApplicable", SmiStatus.NotApplicable)]
    public void SmiStatusParse_AnyCase_Accepted(string text, SmiStatus expected) =>
        Assert.Equal(expected, SmiStatuses.Parse(text));

    [Theory]
    [InlineData("1")]
    [InlineData("Installed")]
    public void SmiStatusParse_UnknownOrNumber_RejectedListingTheValidNames(string text) =>
        Assert.Equal(
            $"'{text}' is not an SMI status; use one of {Statuses} (any case).",
            Assert.Throws<FormatException>(() => SmiStatuses.Parse(text)).Message);

    [Fact]
    public void IsCommunicationsHub_ExactlyChfAndGpf()
    {
        var hubs = DeviceTypes.All.ToArray().Where(t => t.IsCommunicationsHub());
        Assert.Equal([DeviceType.CHF, DeviceType.GPF], hubs);
    }

    [Fact]
    public void HasSmiStatus_FalseExactlyForTypeTwoDevices()
    {
        var typeTwo = DeviceTypes.All.ToArray().Where(t => !t.HasSmiStatus());
        Assert.Equal([DeviceType.IHD, DeviceType.CAD], typeTwo);
    }

    [Fact]
    public void StatusSet_ParseAndFormat_RoundTrips()
    {
        var set = SmiStatusSet.Parse(" decommissioned ;Commissioned;;commissioned");
        Assert.Equal(2, set.Count);
        Assert.Equal("Commissioned;Decommissioned", set.ToString());
        Assert.Equal(set, SmiStatusSet.Parse(set.ToString()));
        Assert.Equal(set, SmiStatusSet.FromBits(set.Bits));
        Assert.True(SmiStatusSet.Parse("").IsEmpty);
    }

    [Fact]
    public void StatusSet_ContainsOtherThan_IgnoresOnlyTheGivenStatus()
    {
        Assert.False(SmiStatusSet.Of(SmiStatus.Pending).ContainsOtherThan(SmiStatus.Pending));
        Assert.True(SmiStatusSet.Of(SmiStatus.Pending, SmiStatus.Decommissioned).ContainsOtherThan(SmiStatus.Pending));
        Assert.False(SmiStatusSet.Empty.ContainsOtherThan(SmiStatus.Pending));
    }

    [Fact]
    public void StatusSet_UnknownEntry_RejectedListingTheValidNames() =>
        Assert.Equal(
            $"'Live' is not an SMI status; use one of {Statuses} (any case).",
            Assert.Throws<FormatException>(() => SmiStatusSet.Parse("Commissioned;Live")).Message);
}
