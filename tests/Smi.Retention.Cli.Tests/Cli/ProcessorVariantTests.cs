using Smi.Retention.Cli;

namespace Smi.Retention.Tests.Cli;

/// <summary>
/// When the tool's portable build hands over to its x86-64-v3 build (the Linux x64 package holds
/// both): only where the processor reports every feature that build was compiled for and the
/// system lets programs use them, since it refuses to start without one. That the installed tool hands over on this machine is checked by
/// .ci/run (the package as a consumer installs it).
/// </summary>
public sealed class ProcessorVariantTests
{
    // (leaf, register, bit) of each feature the check needs: leaf 1 ECX, leaf 7 EBX, leaf 0x80000001 ECX.
    private static readonly (uint Leaf, char Register, int Bit, string Name)[] Features =
    [
        (1, 'c', 0, "SSE3"), (1, 'c', 9, "SSSE3"), (1, 'c', 12, "FMA"), (1, 'c', 19, "SSE4.1"), (1, 'c', 20, "SSE4.2"),
        (1, 'c', 22, "MOVBE"), (1, 'c', 23, "POPCNT"), (1, 'c', 27, "OSXSAVE"), (1, 'c', 28, "AVX"), (1, 'c', 29, "F16C"),
        (7, 'b', 3, "BMI1"), (7, 'b', 5, "AVX2"), (7, 'b', 8, "BMI2"),
        (0x80000001, 'c', 5, "LZCNT"),
    ];

    [Fact]
    public void IsX8664V3_EveryFeatureReported_True()
    {
        Assert.True(ProcessorVariant.IsX8664V3(Processor(missing: null)));
    }

    [Fact]
    public void IsX8664V3_AnyOneFeatureMissing_False()
    {
        foreach (var feature in Features)
        {
            Assert.False(ProcessorVariant.IsX8664V3(Processor(missing: feature.Name)), feature.Name);
        }
    }

    [Theory]
    [InlineData(6u, 0x80000008u)]
    [InlineData(0xDu, 0x80000000u)]
    public void IsX8664V3_LeavesNotReported_FalseWhateverTheirRegistersSay(uint highestLeaf, uint highestExtendedLeaf)
    {
        // A processor answers a leaf past its highest with another leaf's registers: they say nothing.
        var processor = Processor(missing: null);
        Assert.False(ProcessorVariant.IsX8664V3((leaf, sub) => (uint)leaf switch
        {
            0 => ((int)highestLeaf, 0, 0, 0),
            0x80000000 => (unchecked((int)highestExtendedLeaf), 0, 0, 0),
            _ => processor(leaf, sub),
        }));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("ture", true)]
    [InlineData(" 0", true)]
    public void KeepsPortable_SetToAnythingButNothingZeroOrFalse_Keeps(string? value, bool keeps)
    {
        // A misspelt value keeps the build that runs on every processor.
        Assert.Equal(keeps, ProcessorVariant.KeepsPortable(value));
    }

    [Fact]
    public void SystemEnables_EveryFeatureListed_True()
    {
        // This machine's list (an AMD EPYC under KVM), shortened.
        Assert.True(ProcessorVariant.SystemEnables(" fpu vme pni ssse3 fma sse4_1 sse4_2 movbe popcnt xsave avx f16c abm bmi1 avx2 bmi2\tsha_ni"));
    }

    [Theory]
    [InlineData("avx")]
    [InlineData("avx2")]
    [InlineData("bmi1")]
    [InlineData("bmi2")]
    [InlineData("fma")]
    [InlineData("f16c")]
    [InlineData("movbe")]
    [InlineData("abm")]
    public void SystemEnables_AnyFeatureNotListed_False(string feature)
    {
        // The system leaves out what it does not let programs use (registers it does not save, clearcpuid=).
        var listed = "fpu pni ssse3 fma sse4_1 sse4_2 movbe popcnt xsave avx f16c abm bmi1 avx2 bmi2".Split(' ').Where(f => f != feature);
        Assert.False(ProcessorVariant.SystemEnables(string.Join(' ', listed)));
        Assert.False(ProcessorVariant.SystemEnables(string.Join(' ', listed) + " " + feature + "x"));
    }

    [Fact]
    public void SystemEnables_NoList_False()
    {
        Assert.False(ProcessorVariant.SystemEnables(null));
        Assert.False(ProcessorVariant.SystemEnables(""));
    }

    /// <summary>A processor reporting every feature but <paramref name="missing"/>, and every other bit set too.</summary>
    private static Func<int, int, (int Eax, int Ebx, int Ecx, int Edx)> Processor(string? missing) => (leaf, _) =>
    {
        switch ((uint)leaf)
        {
            case 0:
                return (0xD, 0, 0, 0);
            case 0x80000000:
                return (unchecked((int)0x80000008), 0, 0, 0);
        }

        int Register(char register) => Features
            .Where(f => f.Leaf == (uint)leaf && f.Register == register && f.Name == missing)
            .Aggregate(-1, (bits, f) => bits & ~(1 << f.Bit));
        return (-1, Register('b'), Register('c'), -1);
    };
}
