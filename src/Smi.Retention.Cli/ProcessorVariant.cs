using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Smi.Retention.Cli;

/// <summary>
/// The tool's package for Linux on x64 holds it compiled ahead of time twice: for any x64
/// processor (the command, <c>smi-retention</c>), and for x86-64-v3 (AVX2, BMI1/2, FMA, F16C,
/// LZCNT, MOVBE: 256-bit vectors for the parser, one instruction for a hash's 128-bit product),
/// which aborts on an older processor. The first hands the process over to the second where
/// the processor has what it needs, before anything else is done; so a command starts in about
/// 0.02 s on any x64 machine and reads at its full speed on nearly every one.
/// </summary>
internal static class ProcessorVariant
{
    /// <summary>What the x86-64-v3 executable's name adds to the command's.</summary>
    public const string Suffix = "-x86-64-v3";

    /// <summary>
    /// Set (to 1, say), the command runs as the build for any x64 processor and never hands over;
    /// unset, empty, 0 or false, it hands over where the processor allows. Any other value keeps the
    /// portable build, the one that runs everywhere: a misspelt value is never a reason to hand over.
    /// </summary>
    public const string PortableVariable = "SMI_RETENTION_PORTABLE";

    /// <summary>
    /// Set by the portable build as it hands over, to its process's name (what <c>ps -C</c>,
    /// <c>pkill -x</c> and <c>killall</c> match): the x86-64-v3 build takes that name back and removes
    /// the variable, and a portable build that finds it set never hands over again (a sibling that is a
    /// link back to the command, or another portable build, would otherwise hand over for ever).
    /// </summary>
    public const string HandedOverVariable = "SMI_RETENTION_HANDED_OVER";

    /// <summary>The features of x86-64-v3 that Linux lists in /proc/cpuinfo where the system lets programs use them.</summary>
    private static readonly string[] SystemFlags = ["avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "abm"];

    /// <summary>
    /// In the build for any x64 processor, on Linux: replaces this process with the x86-64-v3
    /// executable beside it (the same arguments, standard streams, environment, name and process
    /// id), when the processor has every x86-64-v3 feature and the system enables them, and
    /// <see cref="PortableVariable"/> does not keep it. Returns when it does not (or when the
    /// replacement fails: the command then runs here, as it would on an older processor). In the
    /// x86-64-v3 build, handed over to: takes back the process's name and removes <see cref="HandedOverVariable"/>.
    /// </summary>
    /// <param name="args">The command's arguments.</param>
    public static void HandOver(string[] args)
    {
        // Compiled ahead of time, Avx2.IsSupported is a constant: true in the x86-64-v3 build, false
        // in the other. Compiled at run time (the portable package, tests) there is nothing beside it.
        if (RuntimeFeature.IsDynamicCodeSupported || !OperatingSystem.IsLinux() || !X86Base.X64.IsSupported)
        {
            return;
        }

        var handedOver = Environment.GetEnvironmentVariable(HandedOverVariable);
        if (Avx2.IsSupported)
        {
            if (handedOver is not null)
            {
                Forget(HandedOverVariable);
                Name(handedOver);
            }

            return;
        }

        if (handedOver is not null || KeepsPortable(Environment.GetEnvironmentVariable(PortableVariable))
            || !IsX8664V3(X86Base.CpuId) || !SystemEnables(FirstFlags())
            || Environment.ProcessPath is not { } self || !File.Exists(self + Suffix))
        {
            return;
        }

        var argv = Arguments(args).Select(Allocate).Append(IntPtr.Zero).ToArray();
        _ = SetVariable(HandedOverVariable, OwnName(), 1);
        _ = Execute(self + Suffix, argv);
        Forget(HandedOverVariable); // not replaced: the command runs here
    }

    /// <summary>
    /// Whether the system lets programs use every x86-64-v3 feature, by the flags Linux lists for
    /// the first processor in /proc/cpuinfo (it leaves out a feature whose registers it does not
    /// save, or one switched off with <c>clearcpuid</c>). False where there is no such list.
    /// </summary>
    /// <param name="flags">The flags, separated by spaces; null where none were found.</param>
    public static bool SystemEnables(string? flags)
    {
        if (flags is null)
        {
            return false;
        }

        var listed = flags.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return SystemFlags.All(f => listed.Contains(f, StringComparer.Ordinal));
    }

    /// <summary>The first processor's flags in /proc/cpuinfo: what follows the colon of its first line named "flags".</summary>
    private static string? FirstFlags()
    {
        try
        {
            using var reader = new StreamReader("/proc/cpuinfo");
            while (reader.ReadLine() is { } line)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line.AsSpan(0, colon).Trim() is "flags")
                {
                    return line[(colon + 1)..];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>This process's name as the system keeps it (/proc/self/comm), or empty where it cannot be read.</summary>
    private static string OwnName()
    {
        try
        {
            return File.ReadAllText("/proc/self/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Gives this process <paramref name="name"/>, or the command's where it is empty (the system keeps its first 15 bytes).</summary>
    private static void Name(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name.Length > 0 ? name : SmiRetentionCli.CommandName);
        var text = Allocate(bytes);
        _ = SetProcessName(SetNameOption, text, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero);
        Marshal.FreeHGlobal(text);
    }

    /// <summary>Removes a variable from the environment, both the system's (what children get) and .NET's copy.</summary>
    private static void Forget(string variable)
    {
        _ = RemoveVariable(variable);
        Environment.SetEnvironmentVariable(variable, null);
    }

    /// <summary>
    /// This process's arguments as the system gave them, byte for byte (a name that is not UTF-8
    /// stays the name it was), argv[0] first: the usage line names the command as it was called.
    /// As .NET decoded them where the system's list cannot be read.
    /// </summary>
    private static IEnumerable<byte[]> Arguments(string[] args)
    {
        byte[] line;
        try
        {
            line = File.ReadAllBytes("/proc/self/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            line = [];
        }

        var given = line.Length > 0 && line[^1] == 0 ? SplitAtZeros(line.AsSpan(0, line.Length - 1)) : [];
        return given.Count == args.Length + 1
            ? given
            : args.Prepend(Environment.GetCommandLineArgs()[0]).Select(System.Text.Encoding.UTF8.GetBytes);
    }

    private static List<byte[]> SplitAtZeros(ReadOnlySpan<byte> line)
    {
        var parts = new List<byte[]>();
        foreach (var range in line.Split((byte)0))
        {
            parts.Add(line[range].ToArray());
        }

        return parts;
    }

    // Never freed: on success the process is replaced; on failure it goes on, having handed over nothing.
    private static IntPtr Allocate(byte[] argument)
    {
        var text = Marshal.AllocHGlobal(argument.Length + 1);
        Marshal.Copy(argument, 0, text, argument.Length);
        Marshal.WriteByte(text, argument.Length, 0);
        return text;
    }

    /// <summary>Whether <paramref name="value"/>, the value of <see cref="PortableVariable"/>, keeps the portable build.</summary>
    /// <param name="value">The variable's value, null where it is not set.</param>
    public static bool KeepsPortable(string? value) =>
        !string.IsNullOrEmpty(value) && value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a processor with these answers to <c>cpuid</c> runs x86-64-v3 code: AVX2, BMI1, BMI2,
    /// FMA, F16C, LZCNT, MOVBE and AVX besides x86-64-v2's, and OSXSAVE (the system saves the processor's
    /// extended state; Linux saves AVX's wherever the processor has AVX).
    /// </summary>
    /// <param name="cpuid">The processor's <c>cpuid</c>: (leaf, subleaf) to (eax, ebx, ecx, edx).</param>
    public static bool IsX8664V3(Func<int, int, (int Eax, int Ebx, int Ecx, int Edx)> cpuid)
    {
        const int Sse3 = 1 << 0, Ssse3 = 1 << 9, Fma = 1 << 12, Sse41 = 1 << 19, Sse42 = 1 << 20, Movbe = 1 << 22,
            Popcnt = 1 << 23, Osxsave = 1 << 27, Avx = 1 << 28, F16c = 1 << 29;
        const int Bmi1 = 1 << 3, Avx2 = 1 << 5, Bmi2 = 1 << 8;
        const int Lzcnt = 1 << 5;
        if (cpuid(0, 0).Eax < 7 || (uint)cpuid(unchecked((int)0x80000000), 0).Eax < 0x80000001)
        {
            return false;
        }

        const int Leaf1 = Sse3 | Ssse3 | Fma | Sse41 | Sse42 | Movbe | Popcnt | Osxsave | Avx | F16c;
        const int Leaf7 = Bmi1 | Avx2 | Bmi2;
        return (cpuid(1, 0).Ecx & Leaf1) == Leaf1
            && (cpuid(7, 0).Ebx & Leaf7) == Leaf7
            && (cpuid(unchecked((int)0x80000001), 0).Ecx & Lzcnt) == Lzcnt;
    }

    private const int SetNameOption = 15; // PR_SET_NAME

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int SetProcessName(int option, IntPtr name, IntPtr unused3, IntPtr unused4, IntPtr unused5);

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetVariable([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "unsetenv", SetLastError = true)]
    private static extern int RemoveVariable([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static extern int Execute([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr[] argv);
}
