using NodaTime;

namespace Smi.Retention.Tests.Impact;

/// <summary>Diff, forecast, lint and the subset check.</summary>
public class ImpactTests
{
    private static readonly LocalDate AsOf = new(2019, 11, 7);

    private static CompiledPolicy Built(string name) => CompiledPolicy.Compile(PolicyCatalog.LoadBuiltIn(name));

    /// <summary>
    /// The duplicate rule of every pass, in the library's analyses too: a device listed twice (here
    /// Pending since 2010 and Commissioned since 2019) cannot be counted, so a diff or a forecast
    /// over records handed over, or a count of stock, is refused rather than counting it twice or
    /// once at random.
    /// </summary>
    [Fact]
    public void DiffForecastAndStock_DeviceListedTwice_RefusedNamingIt()
    {
        var inventory = SyntheticInventory.Generate(5_000, 3, AsOf).ToList();
        var pending = TestDevices.Pending(DeviceType.ESME, "2010-01-01");
        inventory.Insert(10, pending);
        inventory.Add(new DeviceRecord(pending.Id, DeviceType.ESME, SmiStatus.Commissioned, new LocalDate(2019, 1, 1), SmiStatusSet.Of(SmiStatus.Pending)));

        var diff = Assert.Throws<InventoryFormatException>(() => PolicyDiff.Compare(Built("sec-ac72-v6.3"), Built("secmp0060"), inventory, AsOf));
        var forecast = Assert.Throws<InventoryFormatException>(() => PolicyForecast.Run(Built("secmp0060"), inventory, AsOf, 12));
        var stock = Assert.Throws<InventoryFormatException>(() => StockAgeing.Analyse(inventory, AsOf));

        Assert.Contains($"1 device is listed more than once ({pending.Id})", diff.Message, StringComparison.Ordinal);
        Assert.Equal(diff.Message, forecast.Message);
        Assert.Equal(diff.Message, stock.Message);
    }

    [Fact]
    public void Diff_V63AgainstSecmp0060_EqualsTheDifferenceOfTheTwoDecisionSets()
    {
        var inventory = SyntheticInventory.Generate(30_000, 17, AsOf).ToArray();
        var v63 = Built("sec-ac72-v6.3");
        var secmp = Built("secmp0060");

        var report = PolicyDiff.Compare(v63, secmp, inventory, AsOf);

        var expected = inventory
            .Select(d => (Device: d, Before: secmp.Evaluate(d, AsOf), After: v63.Evaluate(d, AsOf)))
            .Where(x => x.Before.Action != x.After.Action)
            .ToArray();
        Assert.Equal(inventory.Length, report.DevicesRead);
        Assert.Equal(expected.Select(x => x.Device.Id), report.Changes.Select(c => c.Device.Id));
        Assert.Equal(expected.Select(x => x.After.Rule?.Name), report.Changes.Select(c => c.Proposed.Rule?.Name));
        Assert.Equal(expected.Count(x => x.After.IsRemoval && !x.Before.IsRemoval), report.Count(ChangeDirection.NewlyRemoved));
        Assert.NotEqual(0, report.Count(ChangeDirection.NewlyRemoved)); // the inventory exercises the difference at all
        Assert.Equal(0, report.Count(ChangeDirection.NewlyRetained));
        Assert.Equal(report.Count(ChangeDirection.NewlyRemoved), DeviceTypes.All.ToArray().Sum(t => report.Count(ChangeDirection.NewlyRemoved, t)));
        Assert.Equal(expected.Count(x => x.Device.Type == DeviceType.CHF), report.Count(ChangeDirection.NewlyRemoved, DeviceType.CHF));
    }

    /// <summary>
    /// The streaming diff hands over the same changes in the same order as the one that keeps them,
    /// counted the same by direction and type (all three directions, from random policies' decisions
    /// on a mixed inventory), and keeps none: its Changes says so rather than reading as "no change".
    /// </summary>
    [Theory]
    [InlineData("sec-ac72-v6.3", "secmp0060")]
    [InlineData("secmp0060", "sec-ac72-v6.3")]
    [InlineData("dcc-cr1022", "bryt-previously-commissioned")]
    [InlineData("sec-timeline", "dcc-cr1022")]
    public void Diff_Streamed_HandsOverWhatTheKeptDiffKeeps(string policy, string against)
    {
        var inventory = SyntheticInventory.Generate(20_000, 5, AsOf).ToArray();
        var (proposed, current) = (Built(policy), Built(against));
        var kept = PolicyDiff.Compare(proposed, current, inventory, AsOf);
        var handed = new List<DeviceChange>();

        var streamed = PolicyDiff.Compare(proposed, current, inventory, AsOf, handed.Add);

        Assert.NotEmpty(handed);
        Assert.Equal(kept.Changes, handed);
        Assert.Equal(kept.Changes.Count, streamed.Total);
        Assert.Equal(kept.Total, streamed.Total);
        Assert.Equal(inventory.Length, streamed.DevicesRead);
        foreach (var direction in Enum.GetValues<ChangeDirection>())
        {
            Assert.Equal(handed.LongCount(c => c.Direction == direction), streamed.Count(direction));
            foreach (var type in DeviceTypes.All.ToArray())
            {
                Assert.Equal(handed.LongCount(c => c.Direction == direction && c.Device.Type == type), streamed.Count(direction, type));
                Assert.Equal(kept.Count(direction, type), streamed.Count(direction, type));
            }
        }

        var refused = Assert.Throws<InvalidOperationException>(() => streamed.Changes);
        Assert.Contains("did not keep them", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secmp0060", "2019-11-07")]
    [InlineData("sec-timeline", "2019-11-07")]
    [InlineData("bryt-previously-commissioned", "2020-01-31")]
    public void Forecast_MonthlyTotals_MatchEvaluatingEachMonthEnd(string policy, string from)
    {
        var start = TestDevices.Date(from);
        var inventory = SyntheticInventory.Generate(8_000, 23, start).ToArray();
        var compiled = Built(policy);

        var report = PolicyForecast.Run(compiled, inventory, start, 30, CostBand.Parse("36-50"));

        long Removable(LocalDate date) => inventory.LongCount(d => compiled.Evaluate(d, date).IsRemoval);
        Assert.Equal(Removable(start), report.BacklogTotal);
        var before = Removable(start);
        for (var m = 0; m < report.MonthStarts.Count; m++)
        {
            var lastDay = (m + 1 < report.MonthStarts.Count ? report.MonthStarts[m + 1] : report.End).PlusDays(-1);
            var after = Removable(lastDay);
            Assert.Equal(after - before, report.Removals(m));
            Assert.Equal(new CostBand(36m * report.Removals(m), 50m * report.Removals(m)), report.Cost(m));
            before = after;
        }

        Assert.Equal(Removable(report.End.PlusDays(-1)) - Removable(start), report.RemovalsTotal);
        Assert.True(report.RemovalsTotal > 0);
        Assert.Equal(inventory.Length, report.DevicesRead);
    }

    [Theory]
    [InlineData("36-50", 36, 50)]
    [InlineData("40", 40, 40)]
    [InlineData(" 36.5 - 50 ", 36.5, 50)]
    public void CostBand_Parse_AcceptsAFigureOrARange(string text, double low, double high) =>
        Assert.Equal(new CostBand((decimal)low, (decimal)high), CostBand.Parse(text));

    [Theory]
    [InlineData("50-36")]
    [InlineData("cheap")]
    [InlineData("-5")]
    [InlineData("36,50")] // never read as 3650
    [InlineData("1e3")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("1000000.01")]
    public void CostBand_Parse_RejectsWithAHint(string text) =>
        Assert.Equal(
            $"'{text}' is not a cost per device; write a figure or a range, lower first, in digits with a '.' for pence, such as 36-50 or 36.50 (pounds per removed device, at most 1,000,000).",
            Assert.Throws<FormatException>(() => CostBand.Parse(text)).Message);

    [Theory]
    [InlineData("sec-ac72-v6.3")]
    [InlineData("secmp0060")]
    [InlineData("dcc-cr1022")]
    [InlineData("bryt-previously-commissioned")]
    [InlineData("sec-timeline")]
    public void Lint_BuiltIns_StayQuiet(string name) => Assert.Empty(PolicyLint.Check(PolicyCatalog.LoadBuiltIn(name)));

    public static TheoryData<string, string[], string[]> Smells() => new()
    {
        {
            "shadowed",
            ["""{ "RuleName": "hubs", "Expression": "device.IsCommunicationsHub", "SuccessEvent": "Retain" }""",
             """{ "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }""",
             """{ "RuleName": "late-hubs", "Expression": "device.Type == \"CHF\" && device.PendingFor(\"P24M\")", "SuccessEvent": "Remove" }"""],
            ["warning: policy 'shadowed', rule 'late-hubs': This rule never decides any device: every device it matches is decided by an earlier rule. Move it up, narrow the earlier rule, or remove it."]
        },
        {
            "nothing",
            ["""{ "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }""",
             """{ "RuleName": "pending-ihd", "Expression": "device.Type == \"IHD\" && device.Status == \"Pending\"", "SuccessEvent": "Remove" }"""],
            ["warning: policy 'nothing', rule 'pending-ihd': This rule matches no device at all: it is false as written, or its tests can never all hold (as in device.Type == \"IHD\" && device.Status == \"Pending\": Type 2 devices are never Pending). Fix its expression or remove it."]
        },
        {
            "short",
            ["""{ "RuleName": "six-months", "Expression": "device.PendingFor(\"P6M\")", "SuccessEvent": "Remove" }"""],
            ["warning: policy 'short', rule 'six-months': The period P6M is shorter than 12 months, the shortest AC 7.2 has ever used. Check it is meant."]
        },
        {
            "half-hub",
            ["""{ "RuleName": "keep-chf", "Expression": "device.Type == \"CHF\"", "SuccessEvent": "Retain" }""",
             """{ "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }"""],
            ["warning: policy 'half-hub': Communications Hubs are half-excluded: GPF devices can be removed but CHF devices never. A hub is both its CHF and its GPF; exclude both (device.IsCommunicationsHub) or neither, or orphans are left behind."]
        },
        {
            // An exclusion switched off: the hubs are removed, and strict validation said nothing.
            "exclusion-off",
            ["""{ "RuleName": "hubs", "Expression": "device.IsCommunicationsHub", "SuccessEvent": "Retain", "Enabled": false }""",
             """{ "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }"""],
            ["warning: policy 'exclusion-off', rule 'hubs': This Retain rule is disabled (\"Enabled\": false): it is checked but keeps no device, so the devices it would keep are decided by the rules after it, and may be removed. Set \"Enabled\": true, or delete the rule if the exclusion is meant to go."]
        },
        {
            "removal-off",
            ["""{ "RuleName": "meters", "Expression": "device.Type in (\"ESME\", \"GSME\") && device.PendingFor(\"P12M\")", "SuccessEvent": "Remove", "Enabled": false }""",
             """{ "RuleName": "pending", "Expression": "device.PendingFor(\"P36M\")", "SuccessEvent": "Remove" }"""],
            ["warning: policy 'removal-off', rule 'meters': This Remove rule is disabled (\"Enabled\": false): it is checked but removes no device, so the devices it would remove are decided by the rules after it. Set \"Enabled\": true, or delete the rule."]
        },
        {
            // A model written with a Cyrillic A and a non-breaking hyphen: never matched by an inventory that spells it in ASCII.
            "drawn-alike",
            ["""{ "RuleName": "keep-aldor", "Expression": "device.Model == \"\u0410ldor E1\u2011100\"", "SuccessEvent": "Retain" }""",
             """{ "RuleName": "pending", "Expression": "device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }"""],
            ["warning: policy 'drawn-alike', rule 'keep-aldor': The rule names the device model '\u0410ldor E1\u2011100' (U+0410, U+2011), which has characters drawn like ASCII ones (a Cyrillic or Greek letter, a dash other than the hyphen-minus, a fullwidth or mathematical character): a model is compared exactly, so an inventory that spells it in ASCII never matches it. Write it as the inventory's device_model gives it."]
        },
        {
            "esme-only",
            ["""{ "RuleName": "meters", "Expression": "device.Type == \"ESME\" && device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" }"""],
            [.. new[] { "GSME", "CHF", "GPF", "PPMID", "HCALCS" }.Select(t =>
                $"warning: policy 'esme-only': No rule can ever remove a {t}, and no Retain rule excludes it on purpose. Add a rule for {t} devices, or an explicit exclusion if that is the intent.")]
        },
    };

    [Theory]
    [MemberData(nameof(Smells))]
    public void Lint_PurposeBuiltPolicy_CatchesItsSmell(string name, string[] rules, string[] warnings)
    {
        var policy = PolicyCatalog.Parse($$"""{ "WorkflowName": "{{name}}", "Rules": [ {{string.Join(", ", rules)}} ] }""");
        Assert.Equal(warnings, PolicyLint.Check(policy).Select(w => (w with { Source = "" }).ToString()));
    }

    // Every warning says where, as a problem does: the rule's line and column, or the policy's for a
    // warning about the whole policy, so an editor or CI annotation can point at it.
    [Fact]
    public void Lint_Warnings_CarryFileLineAndColumn()
    {
        var policy = PolicyCatalog.Parse(
            """
            {
              "WorkflowName": "placed",
              "Rules": [
                { "RuleName": "hubs", "Expression": "device.IsCommunicationsHub", "SuccessEvent": "Retain" },
                  { "RuleName": "six-months", "Expression": "device.PendingFor(\"P6M\")", "SuccessEvent": "Remove" }
              ]
            }
            """,
            "placed.json");

        Assert.Equal(
            [
                "placed.json(5,7): warning: policy 'placed', rule 'six-months': " + PolicyLint.Check(policy)[0].Message,
            ],
            PolicyLint.Check(policy).Select(w => w.ToString()));
        Assert.Equal(("placed.json", 5, 7), (PolicyLint.Check(policy)[0].Source, PolicyLint.Check(policy)[0].Line, PolicyLint.Check(policy)[0].Column));

        var half = PolicyCatalog.Parse("""
            {
              "WorkflowName": "half",
              "Rules": [ { "RuleName": "pending", "Expression": "device.Type != \"GPF\" && device.PendingFor(\"P12M\")", "SuccessEvent": "Remove" } ] }
            """, "half.json");
        Assert.Contains(PolicyLint.Check(half), w => w.ToString().StartsWith("half.json(1,1): warning: policy 'half': Communications Hubs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bryt-previously-commissioned", "sec-ac72-v6.3", true)]
    [InlineData("secmp0060", "sec-ac72-v6.3", true)]
    [InlineData("dcc-cr1022", "sec-ac72-v6.3", true)]
    [InlineData("sec-timeline", "sec-ac72-v6.3", true)]
    [InlineData("sec-ac72-v6.3", "sec-ac72-v6.3", true)]
    [InlineData("sec-ac72-v6.3", "secmp0060", false)]
    [InlineData("sec-ac72-v6.3", "dcc-cr1022", false)]
    [InlineData("bryt-previously-commissioned", "dcc-cr1022", false)]
    [InlineData("sec-ac72-v6.3", "sec-timeline", false)]
    [InlineData("sec-ac72-v6.3", "bryt-previously-commissioned", false)]
    public void Subset_BuiltInPairs_AnsweredExactlyWithACounterexampleForNo(string candidate, string reference, bool expected)
    {
        var answer = PolicySubset.Check(PolicyCatalog.LoadBuiltIn(candidate), PolicyCatalog.LoadBuiltIn(reference));

        Assert.Equal(expected, answer.IsSubset);
        if (expected)
        {
            Assert.Null(answer.Counterexample);
            return;
        }

        // The counterexample is real: evaluating it again gives a removal by one and not the other.
        var (device, asOf, byCandidate, byReference) = answer.Counterexample!;
        Assert.True(byCandidate.IsRemoval);
        Assert.False(byReference.IsRemoval);
        Assert.True(Built(candidate).Evaluate(device, asOf).IsRemoval);
        Assert.False(Built(reference).Evaluate(device, asOf).IsRemoval);
    }

    [Fact]
    public void Subset_V63InSecmp0060_ExplainsWhy()
    {
        var answer = PolicySubset.Check(PolicyCatalog.LoadBuiltIn("sec-ac72-v6.3"), PolicyCatalog.LoadBuiltIn("secmp0060"));
        Assert.Equal(
            "No: sec-ac72-v6.3 removes devices secmp0060 keeps. For example, a device of type ESME, Pending since 2025-01-15 (previously held: none) as of 2026-01-15: sec-ac72-v6.3 says Remove by pending-12-months due 2026-01-15 alert N8; secmp0060 says Retain by default due 2028-01-15.",
            answer.ToString());
    }
}
