namespace Smi.Retention.Cli;

/// <summary>The <c>smi-retention</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line; see <see cref="SmiRetentionCli"/>.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args) => SmiRetentionCli.Run(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected);
}
