using Smi.Retention.Text;

namespace Smi.Retention.Inventory;

/// <summary>
/// The columns an inventory's header names: where each required column and each optional one
/// (notifying party, SMETS generation, device model) is (any order, any case, extra columns ignored). A missing or repeated required name
/// stops the run (exit 2) before any row is read.
/// </summary>
internal sealed class InventoryHeader
{
    private InventoryHeader(string[] names, int[] required, int party, int generation, int model)
    {
        Names = names;
        Required = required;
        Party = party;
        Generation = generation;
        Model = model;
        LastRequired = required.Max();
        var next = required[4] + 1;
        AfterHistory = next < names.Length && !required.Contains(next) && next != generation ? next : -1;
    }

    /// <summary>The header's column names, trimmed.</summary>
    public string[] Names { get; }

    /// <summary>The index of each of <see cref="InventoryColumns.Required"/>, in that order.</summary>
    public int[] Required { get; }

    /// <summary>The index of the notifying party's column, or -1 when there is none.</summary>
    public int Party { get; }

    /// <summary>The index of the SMETS generation's column, or -1 when there is none.</summary>
    public int Generation { get; }

    /// <summary>The index of the device model's column, or -1 when there is none.</summary>
    public int Model { get; }

    /// <summary>Whether the header has the optional column <paramref name="name"/> (one of <see cref="InventoryColumns.Optional"/>).</summary>
    public bool Has(string name) => name switch
    {
        InventoryColumns.NotifyingParty => Party >= 0,
        InventoryColumns.SmetsGeneration => Generation >= 0,
        InventoryColumns.DeviceModel => Model >= 0,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>
    /// The column after prior_statuses when it takes any text (the notifying party, the device model,
    /// a column the tool does not read), or -1: a history written with ',' for ';' spills its last
    /// statuses there, and when the row lacks a trailing value it still has as many values as columns.
    /// </summary>
    public int AfterHistory { get; }

    /// <summary>The last required column: a line with fewer values lacks a required one.</summary>
    public int LastRequired { get; }

    /// <summary>Finds the columns in the names of <paramref name="source"/>'s header.</summary>
    public static InventoryHeader Of(string source, string[] names)
    {
        var required = InventoryColumns.Required.Select(c => ColumnOf(source, names, c) ?? -1).ToArray();
        var missing = InventoryColumns.Required.Where((_, i) => required[i] < 0).ToArray();
        if (missing.Length > 0)
        {
            throw new InventoryFormatException(Messages.MissingColumns(source, missing, names.Where(c => c.Length > 0).ToArray()));
        }

        return new InventoryHeader(
            names,
            required,
            ColumnOf(source, names, InventoryColumns.NotifyingParty) ?? -1,
            ColumnOf(source, names, InventoryColumns.SmetsGeneration) ?? -1,
            ColumnOf(source, names, InventoryColumns.DeviceModel) ?? -1);
    }

    /// <summary>A column's name as shown in a message: its header name, or its position when it has none.</summary>
    public string Name(int index) =>
        index < Names.Length && Names[index].Length > 0 ? Untrusted.Show(Names[index]) : "column " + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The one column named <paramref name="name"/> (any case), null when none; a name given twice stops the run.</summary>
    private static int? ColumnOf(string source, string[] names, string name)
    {
        int? found = null;
        for (var i = 0; i < names.Length; i++)
        {
            if (!names[i].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (found is { } first)
            {
                throw new InventoryFormatException(Messages.DuplicateColumn(source, name, first + 1, i + 1));
            }

            found = i;
        }

        return found;
    }
}
