namespace Smi.Retention.Inventory;

/// <summary>Why a line is not CSV: the problem, the 0-based field and the 0-based character where it is.</summary>
internal readonly record struct CsvLineError(CsvLineProblem Problem, int Field, int Position);
