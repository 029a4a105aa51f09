using System.Globalization;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using Smi.Retention.Tests.Policies;

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
        var examples = Path.Combine(BuiltInPolicyTests.RepositoryRoot(), "examples", "policies");
        var original = File.ReadAllText(Path.Combine(examples, "exclusion-per-type.json"));
        _cli.Write("exclusion-per-type.json", original);
        _cli.Write("baseline.json", original);
        _cli.Write("exclusion-per-type.tests.json", File.ReadAllText(Path.Combine(examples, "exclusion-per-type.tests.json")));
        Assert.Equal(0, _cli.Run("generate", "--devices", "30000", "--seed", "5", "--as-of", "2026-11-28", "--out", _cli.PathOf("inventory.csv")).Exit);

        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_cli.Folder);
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(() => _cli.RunWith(null, null, stop.Token, "serve", "--policy", "exclusion-per-type.json", "--against", "baseline.json", "--inventory", "inventory.csv", "--as-of", "2026-11-28", "--port", "0"));
        try
        {
            var address = await _cli.ServingAddress(serving);
            using var driver = StartChromium();
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));
            driver.Navigate().GoToUrl(address);
            wait.Until(d => d.FindElement(By.Id("status")).Text.StartsWith("Valid", StringComparison.Ordinal));
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
