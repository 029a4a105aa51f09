namespace Smi.Retention.Cli.Problems;

/// <summary>Every problem code the tool writes, in one place; the table in docs/tool.md is checked against <see cref="All"/>.</summary>
internal static class ProblemCodes
{
    /// <summary>A test case failed (<c>test</c>); the document lists each.</summary>
    public static readonly ProblemCode TestFailed = new("SMI1001", ExitCodes.TestsFailed, "test: a case's decision is not the one expected; each failure is listed with its explanation.");

    /// <summary>A policy warning (lint); exit 1 only with <c>validate --strict</c>.</summary>
    public static readonly ProblemCode PolicyWarning = new("SMI1002", ExitCodes.StrictWarnings, "A policy warning (a rule that can never match, a period shorter than the law's, a device type no rule reaches); exit 1 only under validate --strict.");

    /// <summary>The command line cannot be parsed.</summary>
    public static readonly ProblemCode CommandLine = new("SMI2001", ExitCodes.BadInput, "The command line is not understood: an unknown command or option (the nearest is suggested), a required option missing, an argument too many.");

    /// <summary>An option's value is not valid.</summary>
    public static readonly ProblemCode OptionValue = new("SMI2002", ExitCodes.BadInput, "An option's value is not valid (a date, count, percentage, boundary, format, port, device, or options that cannot go together).");

    /// <summary>The policy cannot be read.</summary>
    public static readonly ProblemCode PolicyUnreadable = new("SMI2101", ExitCodes.BadInput, "The policy is neither a built-in name (the nearest is suggested) nor a file that can be read.");

    /// <summary>The policy is invalid; each problem is placed.</summary>
    public static readonly ProblemCode PolicyInvalid = new("SMI2102", ExitCodes.BadInput, "The policy has a problem, placed at its file, line and column (and rule); nothing was evaluated.");

    /// <summary>The inventory cannot be read as one.</summary>
    public static readonly ProblemCode InventoryUnreadable = new("SMI2201", ExitCodes.BadInput, "The inventory cannot be read as one: no such file, not a file, no header, or columns missing.");

    /// <summary>The inventory is damaged or changed while read.</summary>
    public static readonly ProblemCode InventoryDamaged = new("SMI2202", ExitCodes.BadInput, "The inventory broke off or changed while it was read (a damaged compressed file, a file rewritten during the run); nothing was written.");

    /// <summary>An output's destination is refused before any work.</summary>
    public static readonly ProblemCode OutputRefused = new("SMI2301", ExitCodes.BadInput, "An output's destination is refused before any work: it is an input, another output, a folder, a link, standard error, or its folder is missing.");

    /// <summary>A tests file or its cases cannot be used.</summary>
    public static readonly ProblemCode TestsFile = new("SMI2401", ExitCodes.BadInput, "A policy tests file cannot be used: none found, unreadable, invalid, or a case expects a rule its policy lacks.");

    /// <summary><c>explain</c> cannot find or decide the device asked about.</summary>
    public static readonly ProblemCode Device = new("SMI2501", ExitCodes.BadInput, "explain: the device is not in the inventory, is listed more than once, or its row is not a valid record.");

    /// <summary><c>serve</c> cannot start.</summary>
    public static readonly ProblemCode Workbench = new("SMI2601", ExitCodes.BadInput, "serve: the workbench cannot start (the port is taken, the policy is outside the working folder, no valid baseline).");

    /// <summary>The blast-radius guard refused the run.</summary>
    public static readonly ProblemCode TooManyRemovals = new("SMI3001", ExitCodes.Refused, "run: the removals exceed --max-removals or --max-removal-percent; nothing was written.");

    /// <summary>Too many rows were rejected.</summary>
    public static readonly ProblemCode TooManyRejects = new("SMI4001", ExitCodes.TooManyRejects, "More rows were rejected than --max-reject-percent allows; run writes its rejects, no decisions.");

    /// <summary>Devices are listed twice in an inventory that cannot be read twice.</summary>
    public static readonly ProblemCode RepeatedUnrereadable = new("SMI4002", ExitCodes.TooManyRejects, "Devices are listed more than once in an inventory that cannot be read a second time (a pipe); give it as a file.");

    /// <summary>A bug in the tool.</summary>
    public static readonly ProblemCode Internal = new("SMI7001", ExitCodes.InternalError, "An internal error: a bug in the tool, not in the input; nothing was written.");

    /// <summary>An input or output failed.</summary>
    public static readonly ProblemCode InputOutput = new("SMI7401", ExitCodes.InputOutputError, "An input or output failed (a full disk, a closed pipe, a file that cannot be written); the message says what was written.");

    /// <summary>Ctrl-C or a signal stopped the command.</summary>
    public static readonly ProblemCode Interrupted = new("SMI1301", ExitCodes.Interrupted, "Stopped by Ctrl-C or a signal; no output is half-written, no temporary file left.");

    /// <summary>Every code, in the order of the table in docs/tool.md.</summary>
    public static IReadOnlyList<ProblemCode> All { get; } =
    [
        TestFailed, PolicyWarning, CommandLine, OptionValue, PolicyUnreadable, PolicyInvalid, InventoryUnreadable, InventoryDamaged,
        OutputRefused, TestsFile, Device, Workbench, TooManyRemovals, TooManyRejects, RepeatedUnrereadable, Internal, InputOutput, Interrupted,
    ];
}
