using System.Runtime.CompilerServices;

namespace Smi.Retention.Inventory;

/// <summary>
/// The notifying parties and device models one parsing thread has met, each kept once, and the
/// reference a record keeps for each pair of them (<see cref="DeviceDetails"/>): an inventory names
/// a few dozen Service Users and a few hundred models across millions of rows. At most
/// <see cref="MaxKept"/> of each are kept, so a hostile inventory with a new value on every row
/// costs what its rows cost, not a table that grows without end.
/// </summary>
internal sealed class DetailsTable
{
    /// <summary>How many distinct values (and pairs) are kept; past it, values are made anew for each row.</summary>
    public const int MaxKept = 1 << 14;

    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<(string? Party, string Model), DeviceDetails> _pairs = [];
    private readonly DeviceDetails?[] _recentPairs = new DeviceDetails?[RecentPairs];
    private const int RecentPairs = 256;

    /// <summary>The one copy of <paramref name="text"/>.</summary>
    public string Text(ReadOnlySpan<char> text)
    {
        var lookup = _texts.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(text, out var known))
        {
            return known;
        }

        var value = text.ToString();
        if (_texts.Count < MaxKept)
        {
            _texts[value] = value;
        }

        return value;
    }

    /// <summary>The one copy of a device model, noted as met (<see cref="Models"/>).</summary>
    public string Model(ReadOnlySpan<char> text)
    {
        var model = Text(text);
        if (_models.Count <= MaxKept)
        {
            _models.Add(model);
        }

        return model;
    }

    /// <summary>The device models met (valid or not), or null when there were more than <see cref="MaxKept"/>.</summary>
    public IReadOnlySet<string>? Models => _models.Count > MaxKept ? null : _models;

    /// <summary>The reference a record keeps for <paramref name="party"/> and <paramref name="model"/> (each already from <see cref="Text"/>).</summary>
    public object? Details(string? party, string? model)
    {
        if (model is null)
        {
            return party;
        }

        // The pair met last in this slot, by reference (the strings are this table's one copies).
        ref var recent = ref _recentPairs[(((party is null ? 0 : RuntimeHelpers.GetHashCode(party)) * 31) + RuntimeHelpers.GetHashCode(model)) & (RecentPairs - 1)];
        if (recent is { } hit && ReferenceEquals(hit.Party, party) && ReferenceEquals(hit.Model, model))
        {
            return hit;
        }

        if (!_pairs.TryGetValue((party, model), out var details))
        {
            details = new DeviceDetails(party, model);
            if (_pairs.Count < MaxKept)
            {
                _pairs[(party, model)] = details;
            }
        }

        recent = details;
        return details;
    }
}
