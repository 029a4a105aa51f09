using System.Globalization;

namespace Smi.Retention.Cli.Output;

/// <summary>
/// Where a pass's rejected rows go: every one to the rejects file (line,device_id,error) when
/// there is one, else the first <see cref="Shown"/> to standard error with a count of the rest.
/// </summary>
internal sealed class RejectSink(OutputFile? file)
{
    /// <summary>How many rejects are printed when there is no rejects file.</summary>
    public const int Shown = 20;

    private readonly CsvOutput? _file = file is null ? null : new CsvOutput(file, "line,device_id,error");
    private readonly List<string> _shown = [];

    /// <summary>Records one rejected row.</summary>
    public void Add(long line, string id, string error)
    {
        if (_file is not null)
        {
            _file.Field(line);
            _file.UniqueField(id);
            _file.UniqueField(error);
            _file.EndRow();
        }
        else if (_shown.Count < Shown)
        {
            _shown.Add(CliMessages.RejectedRow(line, id, error));
        }
    }

    /// <summary>Finishes the rejects file, if any (it is committed with the other outputs).</summary>
    public void Complete() => _file?.Complete();

    /// <summary>Says (as notices) the rejects kept for showing, and how many more there were.</summary>
    public void Show(CliContext context, long rejected)
    {
        foreach (var line in _shown)
        {
            context.Notice(line);
        }

        if (_file is null && rejected > _shown.Count)
        {
            context.Notice(string.Create(CultureInfo.InvariantCulture, $"... and {rejected - _shown.Count:N0} more rejected rows; use --rejects <csv> to write them all."));
        }
    }
}
