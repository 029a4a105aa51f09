namespace Smi.Retention.Cli.Output;

/// <summary>An output committed, or one that a failure or an interruption stopped part-way.</summary>
/// <param name="Option">The option that named it, e.g. <c>--out</c>.</param>
/// <param name="Destination">The path given, or <c>-</c>.</param>
/// <param name="Reached">For an output stopped part-way (a pipe, a device, standard output), the bytes that reached it; null when it holds all the command wrote for it.</param>
internal sealed record Written(string Option, string Destination, long? Reached = null);
