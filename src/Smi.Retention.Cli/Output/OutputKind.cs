
namespace Smi.Retention.Cli.Output;

/// <summary>How an <see cref="OutputFile"/> reaches its destination.</summary>
internal enum OutputKind
{
    /// <summary>A regular file (or none yet): a temporary file in the same folder, renamed over it.</summary>
    Replace,

    /// <summary>A pipe or character device: spooled, then copied into it, never replaced.</summary>
    WriteThrough,

    /// <summary><c>-</c>: spooled, then copied to standard output.</summary>
    StandardOutput,
}
