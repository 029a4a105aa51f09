using System.Globalization;
using Spectre.Console;

namespace Smi.Retention.Cli.Commands;

/// <summary>
/// Progress of a long run: a Spectre.Console bar on a terminal, a plain line per million rows when
/// output is redirected, nothing for small inputs.
/// </summary>
internal sealed class Progress : IDisposable
{
    private readonly CliContext _context;
    private readonly bool _enabled;
    private readonly ProgressTask? _task;
    private readonly TaskCompletionSource? _done;
    private readonly Task? _rendering;
    private long _nextLine = 1_000_000;

    private Progress(CliContext context, bool enabled, long length)
    {
        _context = context;
        _enabled = enabled;
        if (!enabled || !context.Interactive)
        {
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var started = new TaskCompletionSource<ProgressTask>();
        _done = new TaskCompletionSource();
        _rendering = console.Progress().AutoClear(true).StartAsync(async progress =>
        {
            started.SetResult(progress.AddTask("Deciding", maxValue: Math.Max(1, length)));
            await _done.Task.ConfigureAwait(false);
        });
        _task = started.Task.GetAwaiter().GetResult();
    }

    public static Progress Start(CliContext context, bool large, long length) => new(context, large, length);

    public void Report(long position, long rows)
    {
        if (!_enabled)
        {
            return;
        }

        if (_task is not null)
        {
            _task.Value = position;
            return;
        }

        if (rows >= _nextLine)
        {
            _context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows read"));
            _nextLine = (rows / 1_000_000 + 1) * 1_000_000;
        }
    }

    public void Dispose()
    {
        if (_done is not null && !_done.Task.IsCompleted)
        {
            _done.SetResult();
            _rendering!.GetAwaiter().GetResult();
        }
    }
}
