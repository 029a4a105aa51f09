namespace Smi.Retention.Inventory;

/// <summary>Where a field lies in its line, quotes excluded.</summary>
internal readonly record struct CsvField(int Start, int Length, bool HasDoubledQuotes);
