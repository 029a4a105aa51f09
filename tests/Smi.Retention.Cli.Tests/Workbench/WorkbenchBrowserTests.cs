using System.Globalization;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;

namespace Smi.Retention.Tests.Workbench;

/// <summary>
/// The workbench as an author uses it: the real <c>serve</c> command on a free port, its page in
/// headless Chromium driven through WebDriver, keys typed into the editor. Break an expression and
/// see the problem at its line; fix it and see the numbers; break a test case and see it fail with
/// its explanation; explain a typed device; the page's diff totals are <c>smi-retention diff</c>'s;
/// save, and the file on disk is the edited text. With SMI_RETENTION_SCREENSHOTS set to a folder,
/// the page is photographed there (docs/ holds the README's).
/// </summary>
[Collection(WorkingDirectoryTests.Name)]
public sealed class WorkbenchBrowserTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly string? _screenshots = Environment.GetEnvironmentVariable("SMI_RETENTION_SCREENSHOTS");

    public void Dispose() => _cli.Dispose();

    [ChromeDriverFact]
    public async Task Workbench_AnAuthorsSession_EveryNumberAndFileIsTheToolsOwn()
    {
        var examples = Path.Combine(Repository.Root(), "examples", "policies");
        var original = File.ReadAllText(Path.Combine(examples, "exclusion-per-type.json"));
        _cli.Write("exclusion-per-type.json", original);
        _cli.Write("baseline.json", original);
        _cli.Write("exclusion-per-type.tests.json", File.ReadAllText(Path.Combine(examples, "exclusion-per-type.tests.json")));
        Assert.Equal(0, _cli.Run("generate", "--devices", "30000", "--seed", "5", "--as-of", "2026-11-28", "--out", _cli.PathOf("inventory.csv")).Exit);

        await InTheWorkbench(["--policy", "exclusion-per-type.json", "--against", "baseline.json", "--inventory", "inventory.csv", "--as-of", "2026-11-28"], (driver, wait, address) =>
        {
            Assert.Contains("30,000 devices", driver.FindElement(By.Id("context")).Text, StringComparison.Ordinal);
            Assert.Equal("0", driver.FindElement(By.Id("diff-removed")).Text);
            Snap(driver, "workbench-start.png");

            // A broken expression: the problem at its line, marked in the gutter; the numbers kept, greyed.
            var line = LineOf(original, "device.PendingFor(");
            Replace(driver, "PendingFor", "PendingFr");
            wait.Until(d => d.FindElements(By.CssSelector("#problems li")).Any(p => p.Text.StartsWith($"line {line}, column ", StringComparison.Ordinal)));
            Assert.Contains("did you mean device.PendingFor", driver.FindElement(By.CssSelector("#problems li")).Text, StringComparison.Ordinal);
            Assert.Contains(Markers(driver, "policy"), m => m.Text == "PendingFr" && m.Severity == "error" && m.Line == line);
            Assert.Contains("stale", driver.FindElement(By.Id("impact")).GetAttribute("class"), StringComparison.Ordinal);
            Snap(driver, "workbench-problem.png");

            // Fixed: valid again, the counts drawn, no problem left.
            Replace(driver, "PendingFr", "PendingFor");
            wait.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("Valid", StringComparison.Ordinal) && d.FindElements(By.CssSelector("#problems li")).Count == 0);
            Assert.True(long.Parse(Cell(driver, "counts", "total", 1), NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0);

            // Meters after 24 months, not 36: a test case fails with its explanation; devices flip.
            Replace(driver, "P36M", "P24M");
            wait.Until(d => d.FindElements(By.CssSelector("#tests li.failed")).Count > 0);
            var failure = driver.FindElements(By.CssSelector("#tests li.failed")).Single(f => f.Text.Contains("kept until its 36 months", StringComparison.Ordinal));
            Assert.Contains("expected Retain", failure.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("rule", failure.FindElement(By.TagName("pre")).Text, StringComparison.Ordinal);
            wait.Until(d => d.FindElement(By.Id("diff-removed")).Text != "0");
            Snap(driver, "workbench.png");

            // Explain a device typed into the form, under the edited text.
            driver.FindElement(By.Id("explain-type")).SendKeys("ESME");
            driver.FindElement(By.Id("explain-status")).SendKeys("Pending");
            driver.FindElement(By.Id("explain-since")).SendKeys("2024-06-01");
            driver.FindElement(By.Id("explain-button")).Click();
            wait.Until(d => d.FindElement(By.Id("explanation")).Text.Length > 0);
            var explanation = driver.FindElement(By.Id("explanation")).Text;
            Assert.Contains("Remove", explanation, StringComparison.Ordinal);
            Assert.Contains("meters-36-months", explanation, StringComparison.Ordinal);

            // Save: the file on disk is the edited text; then the page's totals are smi-retention diff's.
            var edited = EditorText(driver, "policy");
            driver.FindElement(By.Id("save-button")).Click();
            wait.Until(d => d.FindElement(By.Id("save-status")).Text.StartsWith("Saved exclusion-per-type.json", StringComparison.Ordinal));
            Assert.Equal(edited, File.ReadAllText(_cli.PathOf("exclusion-per-type.json")));
            Assert.Contains("P24M", edited, StringComparison.Ordinal);

            var diff = _cli.Run("diff", "--policy", "exclusion-per-type.json", "--against", "baseline.json", "--inventory", "inventory.csv", "--as-of", "2026-11-28");
            Assert.Equal(0, diff.Exit);
            var totals = Regex.Match(diff.Output, @"newly removed ([0-9,]+), newly retained ([0-9,]+), other ([0-9,]+)");
            Assert.True(totals.Success, diff.Output);
            Assert.Equal(totals.Groups[1].Value, driver.FindElement(By.Id("diff-removed")).Text);
            Assert.Equal(totals.Groups[2].Value, driver.FindElement(By.Id("diff-retained")).Text);
            Assert.Equal(totals.Groups[3].Value, driver.FindElement(By.Id("diff-other")).Text);

            // Edited after the save: the page marks it unsaved; reloaded, the unsaved text comes back, still unsaved.
            Replace(driver, "P24M", "P30M");
            Assert.Equal("", driver.FindElement(By.Id("save-status")).Text);
            wait.Until(d => d.Title.StartsWith("● ", StringComparison.Ordinal));
            Reload(driver);
            wait.Until(d => d.FindElement(By.Id("save-status")).Text.StartsWith("Your unsaved edit of exclusion-per-type.json from before the reload is back", StringComparison.Ordinal));
            Assert.Contains("P30M", EditorText(driver, "policy"), StringComparison.Ordinal);
            Assert.StartsWith("● ", driver.Title, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// The file is the truth, and the editor is a real one: completion of the vocabulary after
    /// <c>device.</c>; a marker exactly on a misspelt status; Ctrl+S saves; a second tab opens on
    /// the saved file, and when it saves, the first is warned and its save refused with the
    /// difference until the author chooses; an edit by another editor is shown and reloaded; the
    /// "what this change means" panel lists the regions <c>diff --symbolic</c> prints; a failing
    /// case links to its line in the tests file; an explained device becomes a test case that passes.
    /// </summary>
    [ChromeDriverFact]
    public async Task Workbench_TheFileIsTheTruth_TwoTabsAnOtherEditorAndARealEditor()
    {
        var examples = Path.Combine(Repository.Root(), "examples", "policies");
        var original = File.ReadAllText(Path.Combine(examples, "previously-in-service.json"));
        var policy = _cli.Write("previously-in-service.json", original);
        var testsFile = _cli.Write("previously-in-service.tests.json", File.ReadAllText(Path.Combine(examples, "previously-in-service.tests.json")));
        Assert.Equal(0, _cli.Run("generate", "--devices", "5000", "--seed", "7", "--as-of", "2026-11-28", "--out", _cli.PathOf("inventory.csv")).Exit);

        await InTheWorkbench(["--policy", "previously-in-service.json", "--against", "sec-ac72-v6.3", "--inventory", "inventory.csv", "--as-of", "2026-11-28"], (driver, wait, address) =>
        {
            var first = driver.CurrentWindowHandle;

            // Completion after 'device.' offers the vocabulary's members.
            Select(driver, "PendingFor");
            new Actions(driver).SendKeys(Keys.Backspace).KeyDown(Keys.Control).SendKeys(" ").KeyUp(Keys.Control).Perform();
            wait.Until(d => d.FindElements(By.CssSelector(".cm-tooltip-autocomplete li")).Count > 0);
            var offered = driver.FindElements(By.CssSelector(".cm-tooltip-autocomplete li")).Select(o => o.Text).ToArray();
            Assert.Contains(offered, o => o.StartsWith("PendingFor", StringComparison.Ordinal));
            Assert.Contains(offered, o => o.StartsWith("HeldBeforeOtherThan", StringComparison.Ordinal));
            Assert.Contains(offered, o => o.StartsWith("Generation", StringComparison.Ordinal));
            new Actions(driver).SendKeys("PendingFor").SendKeys(Keys.Escape).Perform();
            wait.Until(d => EditorText(driver, "policy") == original && d.FindElements(By.CssSelector(".cm-tooltip-autocomplete")).Count == 0);

            // A misspelt status: the marker covers exactly the word, its message on the marker and in the list.
            var statusLine = LineOf(original, "HeldBeforeOtherThan");
            ((IJavaScriptExecutor)driver).ExecuteScript(
                "const e = window.smiWorkbench.files.policy.editor; const at = e.text().indexOf('Pending\\\\\\\"'); e.view.dispatch({ selection: { anchor: at, head: at + 7 } }); e.view.focus();");
            new Actions(driver).SendKeys("Pendng").Perform();
            wait.Until(d => Markers(driver, "policy").Any(m => m == ("Pendng", "error", statusLine)));
            Assert.Contains("did you mean \"Pending\"", wait.Until(d => d.FindElement(By.CssSelector("#problems li button")).Text), StringComparison.Ordinal);
            Assert.NotEmpty(driver.FindElements(By.CssSelector(".cm-lintRange-error")));
            Snap(driver, "workbench-marker.png");
            Replace(driver, "Pendng", "Pending");
            wait.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("Valid", StringComparison.Ordinal) && Markers(driver, "policy").Length == 0);

            // Ctrl+S saves: the file on disk is the text, and the page no longer says unsaved.
            Replace(driver, "P12M", "P18M");
            wait.Until(d => d.Title.StartsWith("● ", StringComparison.Ordinal));
            new Actions(driver).KeyDown(Keys.Control).SendKeys("s").KeyUp(Keys.Control).Perform();
            wait.Until(d => d.FindElement(By.Id("save-status")).Text.StartsWith("Saved previously-in-service.json", StringComparison.Ordinal));
            Assert.Contains("P18M", File.ReadAllText(policy), StringComparison.Ordinal);
            Assert.False(driver.Title.StartsWith("● ", StringComparison.Ordinal));

            // A second tab opens on the file as saved, never on the text the workbench started with; it saves again.
            driver.SwitchTo().NewWindow(WindowType.Tab);
            driver.Navigate().GoToUrl(address);
            wait.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("Valid", StringComparison.Ordinal));
            Assert.Contains("P18M", EditorText(driver, "policy"), StringComparison.Ordinal);
            Replace(driver, "P18M", "P20M");
            driver.FindElement(By.Id("save-button")).Click();
            wait.Until(d => d.FindElement(By.Id("save-status")).Text.StartsWith("Saved", StringComparison.Ordinal));

            // The first tab is warned; its save is refused with the difference until the author chooses.
            driver.SwitchTo().Window(first);
            wait.Until(d => d.FindElement(By.Id("disk-banner")).Displayed);
            Assert.Contains("changed on disk since it was loaded", driver.FindElement(By.Id("disk-message")).Text, StringComparison.Ordinal);
            Replace(driver, "P18M", "P30M");
            new Actions(driver).KeyDown(Keys.Control).SendKeys("s").KeyUp(Keys.Control).Perform();
            wait.Until(d => d.FindElement(By.Id("conflict")).Displayed);
            Assert.Contains("changed on disk since you loaded it", driver.FindElement(By.Id("conflict-message")).Text, StringComparison.Ordinal);
            var difference = driver.FindElement(By.Id("compare-diff")).Text;
            Assert.Contains("- ", difference, StringComparison.Ordinal);
            Assert.Matches("(?m)^- .*P20M", difference);
            Assert.Matches("(?m)^\\+ .*P30M", difference);
            Assert.Contains("P20M", File.ReadAllText(policy), StringComparison.Ordinal);
            Snap(driver, "workbench-conflict.png");
            driver.FindElement(By.Id("conflict-overwrite")).Click();
            wait.Until(d => d.FindElement(By.Id("save-status")).Text.StartsWith("Saved previously-in-service.json", StringComparison.Ordinal));
            Assert.Contains("P30M", File.ReadAllText(policy), StringComparison.Ordinal);

            // Another editor changes the file: shown, and reloaded on the author's word.
            File.WriteAllText(policy, File.ReadAllText(policy).Replace("P30M", "P40M", StringComparison.Ordinal));
            wait.Until(d => d.FindElement(By.Id("disk-banner")).Displayed);
            driver.FindElement(By.Id("disk-reload")).Click();
            wait.Until(d => EditorText(driver, "policy").Contains("P40M", StringComparison.Ordinal) && !d.Title.StartsWith("● ", StringComparison.Ordinal));
            wait.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("Valid", StringComparison.Ordinal));

            // What this change means: the regions diff --symbolic prints for the file as it is.
            var symbolic = _cli.Run("diff", "--symbolic", "--policy", "previously-in-service.json", "--against", "sec-ac72-v6.3", "--as-of", "2026-11-28");
            var regions = symbolic.Output.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim()).ToArray();
            Assert.NotEmpty(regions);
            wait.Until(d => d.FindElements(By.CssSelector("#meaning li")).Select(r => r.Text).SequenceEqual(regions));

            // A case links to its line in the tests file.
            var caseLine = int.Parse(wait.Until(d =>
            {
                var caseButton = d.FindElements(By.CssSelector("#tests li button")).First();
                var line = Regex.Match(caseButton.Text, "line ([0-9]+)").Groups[1].Value;
                caseButton.Click();
                return line;
            }), CultureInfo.InvariantCulture);
            wait.Until(d => d.FindElement(By.Id("tab-tests")).GetAttribute("aria-selected") == "true");
            Assert.Equal(caseLine, Convert.ToInt32(((IJavaScriptExecutor)driver).ExecuteScript("const v = window.smiWorkbench.files.tests.editor.view; return v.state.doc.lineAt(v.state.selection.main.head).number;"), CultureInfo.InvariantCulture));

            // An explained device becomes a test case in the tests tab; saved, 'test' passes on it (and
            // on the others, with the policy put back as it was).
            driver.FindElement(By.Id("tab-policy")).Click();
            Replace(driver, "P40M", "P12M");
            new Actions(driver).KeyDown(Keys.Control).SendKeys("s").KeyUp(Keys.Control).Perform();
            wait.Until(d => d.FindElement(By.Id("save-status")).Text.StartsWith("Saved previously-in-service.json", StringComparison.Ordinal));
            Assert.Equal(original, File.ReadAllText(policy));
            driver.FindElement(By.Id("explain-type")).SendKeys("GSME");
            driver.FindElement(By.Id("explain-status")).SendKeys("Pending");
            driver.FindElement(By.Id("explain-since")).SendKeys("2020-01-15");
            driver.FindElement(By.Id("explain-prior")).SendKeys("Commissioned");
            driver.FindElement(By.Id("explain-button")).Click();
            wait.Until(d => d.FindElement(By.Id("add-case")).Enabled);
            driver.FindElement(By.Id("add-case")).Click();
            wait.Until(d => EditorText(driver, "tests").Contains("GSME Pending since 2020-01-15", StringComparison.Ordinal));
            new Actions(driver).KeyDown(Keys.Control).SendKeys("s").KeyUp(Keys.Control).Perform();
            wait.Until(d => d.FindElement(By.Id("save-status")).Text.StartsWith("Saved previously-in-service.tests.json", StringComparison.Ordinal));
            Assert.Contains("GSME Pending since 2020-01-15", File.ReadAllText(testsFile), StringComparison.Ordinal);
            var test = _cli.Run("test", "previously-in-service.tests.json");
            Assert.True(test.Exit == 0, test.Output + test.Error);
            Assert.Contains("5 of 5 passed", test.Output, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Runs <paramref name="session"/> against the real <c>serve</c> in the scratch folder (its
    /// working folder) with headless Chromium on its page, once the page says the policy is valid;
    /// then stops the workbench, which must exit 0.
    /// </summary>
    private async Task InTheWorkbench(string[] serve, Action<ChromeDriver, WebDriverWait, Uri> session)
    {
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_cli.Folder);
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(() => _cli.RunWith(null, null, stop.Token, ["serve", .. serve, "--port", "0"]));
        try
        {
            var address = await _cli.ServingAddress(serving);
            using var driver = StartChromium();
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
            wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException)); // a list the page renders again between finding an element and reading it (seen once under load): read again
            driver.Navigate().GoToUrl(address);
            wait.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("Valid", StringComparison.Ordinal));
            session(driver, wait, address);
        }
        finally
        {
            stop.Cancel();
            Directory.SetCurrentDirectory(previous);
            var (exit, _, error) = await serving.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(exit == 0, error);
        }
    }

    private static ChromeDriver StartChromium()
    {
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true"); // Selenium Manager must never reach the network
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverFactAttribute.Driver)!, Path.GetFileName(ChromeDriverFactAttribute.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Executable };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1500,1100",
            $"--user-data-dir={Directory.CreateTempSubdirectory("smi-chromium-").FullName}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>Types <paramref name="replacement"/> over the first <paramref name="text"/> in the file's editor, as keys.</summary>
    private static void Replace(ChromeDriver driver, string text, string replacement, string of = "policy")
    {
        Select(driver, text, of);
        new Actions(driver).SendKeys(replacement).Perform();
    }

    /// <summary>Selects the first <paramref name="text"/> in the file's editor, and focuses it.</summary>
    private static void Select(ChromeDriver driver, string text, string of = "policy") =>
        ((IJavaScriptExecutor)driver).ExecuteScript(
            "const e = window.smiWorkbench.files[arguments[1]].editor; const at = e.text().indexOf(arguments[0]); if (at < 0) throw new Error('not in the editor: ' + arguments[0]); e.view.dispatch({ selection: { anchor: at, head: at + arguments[0].length } }); e.view.focus();",
            text, of);

    private static string EditorText(ChromeDriver driver, string of) =>
        (string)((IJavaScriptExecutor)driver).ExecuteScript("return window.smiWorkbench.files[arguments[0]].editor.text();", of)!;

    /// <summary>The markers in the file's editor: the text each covers, its severity and its line.</summary>
    private static (string Text, string Severity, int Line)[] Markers(ChromeDriver driver, string of)
    {
        var found = (IReadOnlyCollection<object>)((IJavaScriptExecutor)driver).ExecuteScript(
            "const e = window.smiWorkbench.files[arguments[0]].editor; return e.markers().map(m => [m.text, m.severity, e.view.state.doc.lineAt(m.from).number]);", of)!;
        return [.. found.Cast<IReadOnlyCollection<object>>().Select(m => m.ToArray()).Select(m => ((string)m[0], (string)m[1], Convert.ToInt32(m[2], CultureInfo.InvariantCulture)))];
    }

    /// <summary>Reloads the page, accepting the browser's "leave with unsaved changes?" question if it asks.</summary>
    private static void Reload(ChromeDriver driver)
    {
        driver.Navigate().Refresh();
        try
        {
            driver.SwitchTo().Alert().Accept();
        }
        catch (NoAlertPresentException)
        {
            // Not asked (no sticky user activation in this window): reloaded already.
        }
    }

    private static int LineOf(string text, string part) => text[..text.IndexOf(part, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

    private static string Cell(ChromeDriver driver, string table, string firstCell, int column) =>
        driver.FindElements(By.CssSelector($"#{table} tbody tr"))
            .Select(r => r.FindElements(By.TagName("td")))
            .First(cells => cells[0].Text == firstCell)[column].Text;

    private void Snap(ChromeDriver driver, string name)
    {
        if (_screenshots is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            driver.GetScreenshot().SaveAsFile(Path.Combine(folder, name));
        }
    }
}
