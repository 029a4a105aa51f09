using System.CommandLine;
using NodaTime;
using Smi.Retention.Inventory;
using Smi.Retention.Evaluation;
using Smi.Retention.Impact;
using Smi.Retention.Text;
using Smi.Retention.Cli.Problems;

namespace Smi.Retention.Cli.Commands;

/// <summary>Options several commands share, and turning their text into domain values (exit 2 when it cannot). Opening what they name is <see cref="Input.CommandInputs"/>.</summary>
internal static class CommonOptions
{
    public static Option<string> Policy() => new("--policy")
    {
        Description = "A built-in policy name (see 'policies') or the path of a policy or timeline JSON file.",
        Required = true,
    };

    public static Option<string> Inventory() => new("--inventory")
    {
        Description = "The inventory CSV (- for standard input): device_id,device_type,status,status_since,prior_statuses[,notifying_party][,smets_generation][,device_model].",
        Required = true,
    };

    public static Option<string> AsOf() => new("--as-of")
    {
        Description = "The London date of the decisions, yyyy-MM-dd.",
        Required = true,
    };

    public static Option<string> Boundary() => new("--boundary")
    {
        Description = "'on': N months have elapsed on the corresponding date (default); 'after': from the day after.",
        DefaultValueFactory = _ => "on",
    };

    public static Option<string?> Format() => new("--format")
    {
        Description = "text (the default) or json: one JSON document whose shape is schemas/output/<command>.schema.json.",
    };

    public static LocalDate ParseDate(string option, string? text)
    {
        // yyyy-MM-dd read directly: NodaTime's pattern engine costs about 10 ms on first use, in
        // every run. Anything else goes to it as before (LondonDatesTests: the same dates).
        // yyyy-MM-dd only, years 0001 to 9999, as every other date the tool reads (a status date,
        // explain's --since): NodaTime's pattern also took a sign and year 0 (-2019-11-07).
        return text is { Length: 10 } && LondonDates.TryParseIsoDate(text, out var date)
            ? date
            : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadDate(option, text ?? ""));
    }

    /// <summary>The synthetic inventory of <c>generate</c> and the workbench as of <paramref name="asOf"/> (the option <paramref name="option"/>): a date too early for one is the option's problem.</summary>
    public static IEnumerable<DeviceRecord> Synthetic(string option, long devices, long seed, LocalDate asOf) =>
        SyntheticInventory.TooEarly(asOf) is { } message
            ? throw new UsageException(ProblemCodes.OptionValue, CliMessages.OptionRefused(option, message))
            : SyntheticInventory.Generate(devices, seed, asOf);

    public static BoundaryMode ParseBoundary(string? text) =>
        text is null ? BoundaryMode.OnCorrespondingDate
        : BoundaryModes.TryParse(text, out var mode) ? mode
        : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadBoundary(text));

    /// <summary>A count of devices: digits only, read the same way in every culture (no separators, no sign).</summary>
    public static long? ParseCount(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return InvariantNumbers.TryParseCount(text, out var count) ? count : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadCount(option, text));
    }

    /// <summary>
    /// A whole number from <paramref name="min"/> to <paramref name="max"/> (<paramref name="fallback"/>
    /// when not given): digits only, as every number the tool reads (no sign, no spaces, no
    /// separators); <paramref name="what"/> names it in the message ("a number of months"), with <paramref name="fallback"/> as the example.
    /// </summary>
    public static long ParseWhole(string option, string? text, long fallback, long min, long max, string what)
    {
        if (text is null)
        {
            return fallback;
        }

        return InvariantNumbers.TryParseCount(text, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadWhole(option, text, what, min, max, fallback));
    }

    /// <summary>
    /// A percentage from 0 to 100: digits with an optional '.' and at most 8 decimals, read the same
    /// way in every culture ('4,9' is refused, never 49) and held exactly (a decimal, never rounded).
    /// </summary>
    public static decimal? ParsePercent(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return InvariantNumbers.TryParseDecimal(text, MaxPercentDecimals, out var percent) && percent <= 100
            ? percent
            : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadPercent(option, text));
    }

    /// <summary>An amount of money in pounds (at most 2 decimals, 0 or more), or null when not given.</summary>
    public static decimal? ParsePounds(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return InvariantNumbers.TryParseDecimal(text, 2, out var pounds) && pounds <= 1_000_000
            ? pounds
            : throw new UsageException(ProblemCodes.OptionValue, CliMessages.BadPounds(option, text));
    }

    /// <summary>The cost of one removal (<c>--cost-per-device</c>): a figure or a range, as <see cref="CostBand.Parse"/> reads it.</summary>
    public static CostBand ParseCost(string text)
    {
        try
        {
            return CostBand.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException(ProblemCodes.OptionValue, "--cost-per-device: " + e.Message);
        }
    }

    /// <summary>The share of rejected rows beyond which a command refuses to go on: 1%.</summary>
    public const decimal DefaultMaxRejectPercent = 1;

    public static Option<string?> MaxRejectPercent(string description) => new("--max-reject-percent") { Description = description };

    /// <summary>Decimals a percentage may have: a fraction then has at most <see cref="BlastRadiusLimits.MaxFractionDecimals"/>.</summary>
    public const int MaxPercentDecimals = BlastRadiusLimits.MaxFractionDecimals - 2;
}
