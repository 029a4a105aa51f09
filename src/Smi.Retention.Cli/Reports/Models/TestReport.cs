using System.Globalization;
using System.Text.Json.Serialization;
using System.Xml;
using Smi.Retention.Authoring;
using Smi.Retention.Cli.Problems;
using Smi.Retention.Policies;
using Smi.Retention.Text;

namespace Smi.Retention.Cli.Reports.Models;

/// <summary>
/// <c>test</c>'s result: every case of every tests file, passed or failed with the explanation of the
/// decision. Rendered three ways: the text (failures, then a line per file, then the totals), the JSON
/// document, and JUnit XML for CI.
/// </summary>
/// <param name="Passed">Cases that passed.</param>
/// <param name="Failed">Cases that failed.</param>
/// <param name="Suites">Each tests file with its cases.</param>
internal sealed record TestReport(int Passed, int Failed, IReadOnlyList<TestReport.Suite> Suites) : ICommandReport
{
    /// <inheritdoc/>
    public static string Kind => "test";

    /// <summary>The report of the suites run.</summary>
    public static TestReport Of(IEnumerable<(PolicyTestSuite Suite, RetentionTimeline Policy, IReadOnlyList<PolicyTestResult> Results)> runs)
    {
        var suites = runs.Select(r => new Suite(r.Suite.Source, PolicyRef.Of(r.Policy), [.. r.Results.Select(Case.Of)])).ToArray();
        var failed = suites.Sum(s => s.Cases.Count(c => !c.Passed));
        return new(suites.Sum(s => s.Cases.Count) - failed, failed, suites);
    }

    /// <inheritdoc/>
    public void WriteText(TextWriter output)
    {
        WriteSuites(output);
        WriteTotals(output);
    }

    /// <summary>Each failure with its explanation, then a line per file.</summary>
    public void WriteSuites(TextWriter output)
    {
        foreach (var suite in Suites)
        {
            foreach (var failed in suite.Cases.Where(c => !c.Passed))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Untrusted.Show(suite.File)}({failed.Line},{failed.Column}): FAIL {Untrusted.Show(failed.Name)}: {string.Join("; ", failed.Failures)}"));
                foreach (var line in failed.Explanation.TrimEnd('\n').Split('\n'))
                {
                    output.WriteLine("    " + line);
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Untrusted.Show(suite.File)}: {suite.Cases.Count(c => c.Passed)} of {suite.Cases.Count} passed ({Untrusted.Show(suite.Policy.Name)}, sha256 {suite.Policy.Sha256[..12]})"));
        }
    }

    /// <summary>The totals line.</summary>
    public void WriteTotals(TextWriter output) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Passed} passed, {Failed} failed"));

    /// <summary>JUnit XML as CI servers read it: a test suite per file, a test case per case, a failure with the explanation.</summary>
    public void WriteJUnit(Stream stream)
    {
        var c = CultureInfo.InvariantCulture;
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false), CloseOutput = false });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "smi-retention test");
        xml.WriteAttributeString("tests", (Passed + Failed).ToString(c));
        xml.WriteAttributeString("failures", Failed.ToString(c));
        foreach (var suite in Suites)
        {
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", Xml(suite.File));
            xml.WriteAttributeString("tests", suite.Cases.Count.ToString(c));
            xml.WriteAttributeString("failures", suite.Cases.Count(x => !x.Passed).ToString(c));
            xml.WriteAttributeString("errors", "0");
            foreach (var result in suite.Cases)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", Xml(suite.Policy.Name));
                xml.WriteAttributeString("name", Xml(result.Name));
                xml.WriteAttributeString("file", Xml(suite.File));
                xml.WriteAttributeString("line", result.Line.ToString(c));
                if (!result.Passed)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", Xml(string.Join("; ", result.Failures)));
                    xml.WriteString(Xml(result.Explanation));
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    /// <summary>Text as XML can hold it: control, bidi and zero-width characters escaped as elsewhere, line by line.</summary>
    private static string Xml(string text) => string.Join('\n', text.Split('\n').Select(line => Untrusted.Show(line, int.MaxValue)));

    /// <summary>A tests file and its cases.</summary>
    /// <param name="File">The file, as named.</param>
    /// <param name="Policy">The policy its cases ran against.</param>
    /// <param name="Cases">Its cases, in file order.</param>
    internal sealed record Suite(string File, PolicyRef Policy, IReadOnlyList<Case> Cases);

    /// <summary>A case and its outcome.</summary>
    /// <param name="Name">The case's name.</param>
    /// <param name="Line">Its line in the file.</param>
    /// <param name="Column">Its column.</param>
    /// <param name="Passed">Whether the policy decided as it says.</param>
    /// <param name="Code">The failure's problem code, or null when it passed.</param>
    /// <param name="Failures">Each way the decision differs from the expectation.</param>
    /// <param name="Decision">The policy's decision.</param>
    internal sealed record Case(string Name, int Line, int Column, bool Passed, string? Code, IReadOnlyList<string> Failures, DecisionFacts Decision)
    {
        /// <summary>The explanation of the decision, as the library words it.</summary>
        [JsonIgnore]
        public string Explanation { get; init; } = "";

        /// <summary>The facts of <paramref name="result"/>.</summary>
        public static Case Of(PolicyTestResult result) =>
            new(result.Case.Name, result.Case.Line, result.Case.Column, result.Passed, result.Passed ? null : ProblemCodes.TestFailed.Id, result.Failures, DecisionFacts.Of(result.Decision))
            {
                Explanation = result.Explanation.ToString(),
            };
    }
}
