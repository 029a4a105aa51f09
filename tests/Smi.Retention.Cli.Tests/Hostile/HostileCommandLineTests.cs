using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Smi.Retention.Tests.Hostile;

/// <summary>
/// The command line as a hostile user types it: policies that are pipes, devices or folders,
/// arguments holding terminal escapes, and any mix of commands, options and values. Every run ends
/// with a documented exit code and a message; none prints a stack trace or an escape sequence.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class HostileCommandLineTests : IDisposable
{
    private static readonly int[] Documented = [0, 1, 2, 3, 4];
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private (int Exit, string Output, string Error) Run(params string[] args) =>
        _cli.RunWith(new MemoryStream(), Stream.Null, default, args);

    [Fact]
    public async Task Validate_PolicyIsAFifo_ExitTwoWithoutWaiting()
    {
        var fifo = _cli.PathOf("policy.json");
        Fifo.Make(fifo);
        var run = Task.Run(() => Run("validate", "--policy", fifo));
        var (exit, _, error) = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, exit);
        Assert.Equal($"{fifo} is a named pipe (FIFO), not a regular file; give the path of the JSON file itself (a policy, timeline or tests file).\n", error);
    }

    [Theory]
    [InlineData("/dev/zero", "/dev/zero is a character device, not a regular file; give the path of the JSON file itself (a policy, timeline or tests file).\n")]
    [InlineData("/tmp", "/tmp is a directory, not a regular file; give the path of the JSON file itself (a policy, timeline or tests file).\n")]
    public void Validate_PolicyThatIsNoFile_ExitTwo(string path, string message) =>
        Assert.Equal((2, message), Run("validate", "--policy", path) is var r ? (r.Exit, r.Error) : default);

    [Fact]
    public void Run_PolicyWithParserTraps_ExitTwoListingEveryProblem()
    {
        var policy = _cli.Write("policy.json", """
            { "WorkflowName": "traps", "Rules": [
              { "RuleName": "a", "Expression": "np(device) != null", "SuccessEvent": "Remove" },
              { "RuleName": "b", "Expression": "Guid(\"zz\") != null", "SuccessEvent": "Remove" },
              { "RuleName": "c", "Expression": "device.Type == ''", "SuccessEvent": "Remove" }
            ] }
            """);
        var (exit, output, error) = Run("run", "--policy", policy, "--inventory", Path.Combine(Repository.Root(), "samples", "inventory.csv"), "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith($"Policy {policy} is invalid (3 problems); nothing was evaluated:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--\u001b[31mred")]
    [InlineData("run\u001b]0;title\u0007")]
    public void UnknownArgumentWithEscapes_ShownEscaped(string argument)
    {
        var (exit, _, error) = Run(argument);
        Assert.Equal(2, exit);
        Assert.DoesNotContain('\u001b', error);
        Assert.Contains("\\u{001B}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_DeviceIdWithEscapes_ShownEscaped()
    {
        var (exit, _, error) = Run("explain", "--policy", "secmp0060", "--inventory", "-", "--device-id", "\u001b[2J", "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.DoesNotContain('\u001b', error);
    }

    // ---- Fuzzing: any mix of commands, options and values

    private static readonly string[] Commands = ["run", "validate", "explain", "diff", "forecast", "subset", "policies", "generate", "nonsense", ""];

    private static readonly string[] Options =
    [
        "--policy", "--inventory", "--as-of", "--boundary", "--out", "--rejects", "--html", "--max-removals", "--max-removal-percent",
        "--max-reject-percent", "--device-id", "--against", "--of", "--from", "--months", "--cost-per-device", "--devices", "--seed", "--help",
    ];

    private static readonly string[] Values =
    [
        "secmp0060", "sec-timeline", "dcc-cr1022", "nosuch", "-", "/dev/null", "/dev/zero", "/tmp", "2019-11-07", "9999-12-31", "0001-01-01",
        "07/11/2019", "on", "after", "sideways", "4,9", "4.9", "1e9", "-1", "0", "100", "101", "NaN", "12", "36-50", "50-36",
        "88-73-84-57-00-2F-96-1E", "\u001b[31m", "\u202Eevil", "", " ", "$(rm -rf /)", "%n%n%s", "inventory.csv", "out.csv", "policy.json",
    ];

    public static Arbitrary<string[]> Arguments() => Arb.From(
        from command in Gen.Elements(Commands)
        from count in Gen.Choose(0, 8)
        from pairs in Gen.ListOf(Gen.Two(Gen.Elements(Options).SelectMany(o => Gen.Elements(Values).Select(v => (o, v)))).Select(t => t.Item1), count)
        select new[] { command }.Concat(pairs.SelectMany(p => new[] { p.o, p.v })).ToArray());

    [Property(Arbitrary = [typeof(HostileCommandLineTests)], MaxTest = 300, QuietOnSuccess = true)]
    public void AnyArguments_DocumentedExitCodeAndNoStackTrace(string[] args)
    {
        _cli.Write("inventory.csv", "device_id,device_type,status,status_since,prior_statuses\n88-73-84-57-00-2F-96-1E,ESME,Pending,2015-01-01,\n");
        _cli.Write("policy.json", PolicyCatalog.BuiltInText("secmp0060"));
        var (exit, output, error) = Run(args.Select(a => a is "inventory.csv" or "out.csv" or "policy.json" ? _cli.PathOf(a) : a).ToArray());
        Assert.Contains(exit, Documented);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', error);
        Assert.DoesNotContain('\u202E', error);
        Assert.DoesNotContain('\u001b', output);
        Assert.Empty(_cli.Leftovers());
    }

    [Fact]
    public void ResponseFile_NotRead()
    {
        var secret = _cli.Write("secret.txt", "password-123\n");
        var (exit, _, error) = Run("@" + secret);
        Assert.Equal(2, exit);
        Assert.DoesNotContain("password-123", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-01-01", "24", null, "A forecast of 24 months from 9999-01-01 would pass the last date there is (9999-12-31); start earlier or forecast fewer months.")]
    [InlineData("2019-11-07", "12", "79228162514264337593543950335-79228162514264337593543950335", "--cost-per-device: '79228162514264337593543950335-79228162514264337593543950335' is not a cost per device;")]
    public void Forecast_ValuesPastTheirRange_ExitTwo(string from, string months, string? cost, string message)
    {
        string[] args = ["forecast", "--policy", "secmp0060", "--inventory", Path.Combine(Repository.Root(), "samples", "inventory.csv"), "--from", from, "--months", months];
        var (exit, output, error) = Run(cost is null ? args : [.. args, "--cost-per-device", cost]);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_StatusAfterTheAsOfDate_RejectedAsRunRejectsIt()
    {
        var inventory = _cli.Write("one.csv", "device_id,device_type,status,status_since,prior_statuses\n88-73-84-57-00-2F-96-1E,ESME,Pending,2020-01-01,\n");
        var (exit, _, error) = Run("explain", "--policy", "secmp0060", "--inventory", inventory, "--device-id", "88-73-84-57-00-2F-96-1E", "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Equal("Device 88-73-84-57-00-2F-96-1E on line 2 is not a valid record, so no policy decides it: status_since 2020-01-01 is after the as-of date 2019-11-07 (the date the decisions are for); check the row or the date given.\n", error);
    }

    [Theory]
    [InlineData("diff")]
    [InlineData("forecast")]
    public void Analysis_MostRowsRejected_ExitFourNothingWritten(string command)
    {
        var inventory = _cli.Write("bad.csv", "device_id,device_type,status,status_since,prior_statuses\n" + string.Join("\n", Enumerable.Range(0, 10).Select(i => $"88-73-84-57-00-2F-96-{i:X2},METER,Pending,2015-01-01,")) + "\n");
        var output = _cli.PathOf("out.csv");
        string[] args = command == "diff"
            ? ["diff", "--policy", "secmp0060", "--against", "sec-ac72-v6.3", "--inventory", inventory, "--as-of", "2019-11-07", "--out", output]
            : ["forecast", "--policy", "secmp0060", "--inventory", inventory, "--from", "2019-11-07", "--out", output];
        var (exit, _, error) = Run(args);
        Assert.Equal(4, exit);
        // It writes no rejects file: the message says which command does, not an option it lacks.
        Assert.Contains("Refused: 10 of 10 rows were rejected (100.0 %), over the limit of 1% (--max-reject-percent, the default). Nothing was written; the first rejects are shown above (this command writes no rejects file; 'run --rejects <csv>' over the same inventory writes them all).", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Equal(0, Run([.. args, "--max-reject-percent", "100"]).Exit);
    }

    [Fact]
    public void Run_InventoryWithCarriageReturnLineEnds_ExitTwoSayingSo()
    {
        var inventory = _cli.Write("cr.csv", "device_id,device_type,status,status_since,prior_statuses\r88-73-84-57-00-2F-96-1E,ESME,Pending,2015-01-01,\r");
        var (exit, _, error) = Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Equal($"The first line of {inventory} holds a carriage return (CR) inside it: its lines seem to end with CR alone. Save the inventory with LF or CRLF line ends.\n", error);
    }

    [Fact]
    public void Run_HeaderOfThousandsOfNames_MessageStaysShort()
    {
        var inventory = _cli.Write("wide.csv", string.Join(",", Enumerable.Range(0, 5000).Select(i => "column" + i)) + "\n");
        var (exit, _, error) = Run("run", "--policy", "secmp0060", "--inventory", inventory, "--as-of", "2019-11-07");
        Assert.Equal(2, exit);
        Assert.Contains("column11 and 4,988 more.", error, StringComparison.Ordinal);
        Assert.True(error.Length < 1000, error);
    }
}
