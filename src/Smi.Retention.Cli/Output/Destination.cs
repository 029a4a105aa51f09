using Smi.Retention.Files;

namespace Smi.Retention.Cli.Output;

/// <summary>A destination as checked before the run: the file itself (links resolved) and what it was.</summary>
/// <param name="Path">The full path of the file, links resolved.</param>
/// <param name="Facts">What it was when checked (missing, for a new file).</param>
internal readonly record struct Destination(string Path, FileFacts Facts);
