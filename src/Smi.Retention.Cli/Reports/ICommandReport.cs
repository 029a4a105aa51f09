namespace Smi.Retention.Cli.Reports;

/// <summary>
/// A command's result as data: the one model its text and its JSON (<c>--format json</c>) are both
/// rendered from. The JSON is the model serialized (<see cref="ReportJson"/>), so the document cannot
/// say what the model does not hold, and <c>schemas/output/&lt;kind&gt;.schema.json</c> is held
/// equal to the model by a test.
/// </summary>
internal interface ICommandReport
{
    /// <summary>The document's kind: the command's name, and its schema's.</summary>
    static abstract string Kind { get; }

    /// <summary>The text renderer: the report as a person reads it on standard output.</summary>
    void WriteText(TextWriter output);

    /// <summary>Whether the text says which outputs were written (<c>run</c>'s does); else a line after it says so.</summary>
    bool SaysWhatWasWritten => false;
}
