using System.Runtime.CompilerServices;

namespace Smi.Retention.Inventory;

/// <summary>
/// The notifying parties and device models one parsing thread has met, each kept once, and the
/// reference a record keeps for each pair of them (<see cref="DeviceDetails"/>): an inventory names
/// a few dozen Service Users and a few hundred models across millions of rows. At most
/// <see cref="MaxKept"/> of each are kept, so a hostile inventory with a new value on every row
/// costs what its rows cost, not a table that grows without end. It also keeps the facts of the
/// rows it has met by their bytes (<see cref="TryFacts(ReadOnlySpan{byte}, out ulong, out RowFacts)"/>): the type, status, history, generation,
/// model and party of a few thousand kinds of device make up every row but for its id and date.
/// </summary>
internal sealed class DetailsTable
{
    /// <summary>How many distinct values (and pairs) are kept; past it, values are made anew for each row.</summary>
    public const int MaxKept = 1 << 14;

    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly ModelsMet _models = new();
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
        _models.Add(model);
        return model;
    }

    /// <summary>The device models met (valid or not), or null when there were more than <see cref="MaxKept"/>.</summary>
    public IReadOnlySet<string>? Models => _models.Models;

    /// <summary>
    /// The facts of a row met before, looked up by <paramref name="key"/>: the bytes of the columns
    /// that hold them (<see cref="RowFacts"/>), as the fast path found them valid. A row whose facts
    /// were met before costs one hash and one comparison, not their parsing, checks and lookups by text.
    /// </summary>
    /// <param name="key">The bytes of the facts' columns (empty when they are too long to keep: never met).</param>
    /// <param name="hash">The key's hash, for <see cref="Keep(ReadOnlySpan{byte}, ulong, in RowFacts)"/> on a miss.</param>
    /// <param name="facts">The facts, when met before.</param>
    /// <returns>Whether they were met before.</returns>
    public bool TryFacts(ReadOnlySpan<byte> key, out ulong hash, out RowFacts facts)
    {
        if (key.IsEmpty)
        {
            (hash, facts) = (0, default);
            return false; // no key: facts too long to keep
        }

        hash = System.IO.Hashing.XxHash3.HashToUInt64(key, _hashKey) | 1; // never 0, an empty slot
        var mask = _slots.Length - 1;
        var slot = (int)(hash >> 40) & mask;
        while (_slots[slot].Hash != 0)
        {
            ref readonly var known = ref _slots[slot];
            if (known.Hash == hash && known.Length == key.Length && key.SequenceEqual(_bytes.AsSpan(known.Start, key.Length)))
            {
                facts = known.Facts;
                return true;
            }

            slot = (slot + 1) & mask;
        }

        facts = default;
        return false;
    }

    /// <summary>
    /// The facts of a row met before, looked up by its <see cref="LineKey"/> (the common layout):
    /// as <see cref="TryFacts(ReadOnlySpan{byte}, out ulong, out RowFacts)"/>, the key compared whole in its entry, with no bytes kept elsewhere.
    /// A slot is looked for at most <see cref="MaxProbes"/> places from its hash's: past them the
    /// row is parsed, and not kept.
    /// </summary>
    /// <param name="key">The row's key.</param>
    /// <param name="hash">The key's hash (<see cref="Hash(in LineKey)"/>).</param>
    /// <param name="peeked">What its slot held when <see cref="Peek"/> read it (the table unchanged since).</param>
    /// <param name="facts">The facts, when met before.</param>
    /// <returns>Whether they were met before.</returns>
    public bool TryFacts(in LineKey key, ulong hash, ulong peeked, out RowFacts facts)
    {
        if (peeked == 0)
        {
            facts = default;
            return false; // its slot is free
        }

        var mask = _lineSlots.Length - 1;
        var slot = Home(hash, _lineSlots.Length);
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            ref readonly var known = ref _lineSlots[slot];
            if (known.Hash == hash && known.Key.SameAs(key))
            {
                facts = known.Facts;
                return true;
            }

            if (known.Hash == 0)
            {
                break;
            }

            slot = (slot + 1) & mask;
        }

        facts = default;
        return false;
    }

    /// <summary>A key's hash for this table (never 0, a free slot's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Hash(in LineKey key) => key.Hash(_lineKeys) | 1;

    /// <summary>The hash held by the slot of <paramref name="hash"/> (0 when it is free), read before it is needed so that it comes from memory meanwhile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Peek(ulong hash) => _lineSlots[Home(hash, _lineSlots.Length)].Hash;

    /// <summary>The slot a hash is first looked for and kept in, of <paramref name="slots"/> (a power of two): the one place <see cref="Peek"/>, the lookup and <see cref="Place"/> agree on.</summary>
    private static int Home(ulong hash, int slots) => (int)(hash >> 24) & (slots - 1);

    /// <summary>Keeps the facts of a row found valid by its <see cref="LineKey"/> and hash, while fewer than <see cref="MaxKept"/> are kept and a slot is near its hash's, when the key is plain (<see cref="LineKey.IsPlain"/>).</summary>
    /// <param name="key">The row's key.</param>
    /// <param name="hash">Its hash, from <see cref="Hash(in LineKey)"/>.</param>
    /// <param name="facts">The facts.</param>
    public void Keep(in LineKey key, ulong hash, in RowFacts facts)
    {
        if (_lineKept >= MaxKept || !key.IsPlain())
        {
            return; // full, or a row the lookup could not tell from another (LineKey.IsPlain)
        }

        if ((_lineKept + 1) * 2 > _lineSlots.Length)
        {
            var old = _lineSlots;
            _lineSlots = new LineEntry[old.Length * 2];
            foreach (ref readonly var entry in old.AsSpan())
            {
                if (entry.Hash != 0)
                {
                    _ = Place(_lineSlots, entry);
                }
            }
        }

        if (Place(_lineSlots, new LineEntry(key, hash, facts)))
        {
            _lineKept++;
        }
    }

    /// <summary>Puts an entry in the first free slot from its hash's, within <see cref="MaxProbes"/> places.</summary>
    /// <returns>Whether it was put.</returns>
    private static bool Place(LineEntry[] slots, in LineEntry entry)
    {
        var mask = slots.Length - 1;
        var slot = Home(entry.Hash, slots.Length);
        for (var probe = 0; probe < MaxProbes; probe++)
        {
            if (slots[slot].Hash == 0)
            {
                slots[slot] = entry;
                return true;
            }

            slot = (slot + 1) & mask;
        }

        return false;
    }

    /// <summary>How far from its hash's slot a key is looked for, and kept.</summary>
    private const int MaxProbes = 32;

    /// <summary>A row's key and facts, the key's bytes in the entry itself.</summary>
    private readonly record struct LineEntry(LineKey Key, ulong Hash, RowFacts Facts);

    private readonly LineHashKeys _lineKeys = new(Random.Shared);

    private LineEntry[] _lineSlots = new LineEntry[256];
    private int _lineKept;

    /// <summary>The reference a record keeps for a party and model as the fast path reads them (ASCII bytes, either may be empty).</summary>
    public object? DetailsOf(ReadOnlySpan<byte> party, ReadOnlySpan<byte> model) =>
        party.IsEmpty && model.IsEmpty ? null : Details(party.IsEmpty ? null : Ascii(party, model: false), model.IsEmpty ? null : Ascii(model, model: true));

    /// <summary>The one copy of an ASCII value (a model is noted as met).</summary>
    private string Ascii(ReadOnlySpan<byte> ascii, bool model)
    {
        if (_chars.Length < ascii.Length)
        {
            _chars = new char[Math.Max(ascii.Length, _chars.Length * 2)];
        }

        var chars = _chars.AsSpan(0, ascii.Length);
        System.Text.Ascii.ToUtf16(ascii, chars, out _);
        return model ? Model(chars) : Text(chars);
    }

    /// <summary>Keeps the facts of a row found valid, by their columns' bytes and hash (from <see cref="TryFacts(ReadOnlySpan{byte}, out ulong, out RowFacts)"/>), while fewer than <see cref="MaxKept"/> are kept.</summary>
    /// <param name="key">The bytes of the facts' columns.</param>
    /// <param name="hash">Their hash.</param>
    /// <param name="facts">The facts.</param>
    public void Keep(ReadOnlySpan<byte> key, ulong hash, in RowFacts facts)
    {
        if (_byBytes >= MaxKept || key.IsEmpty || key.Length > MaxKeptBytes)
        {
            return;
        }

        if ((_byBytes + 1) * 2 > _slots.Length)
        {
            var old = _slots;
            _slots = new FactsSlot[old.Length * 2];
            foreach (var entry in old)
            {
                if (entry.Hash != 0)
                {
                    var at = (int)(entry.Hash >> 40) & (_slots.Length - 1);
                    while (_slots[at].Hash != 0)
                    {
                        at = (at + 1) & (_slots.Length - 1);
                    }

                    _slots[at] = entry;
                }
            }
        }

        if (_bytesUsed + key.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _bytesUsed + key.Length));
        }

        key.CopyTo(_bytes.AsSpan(_bytesUsed));
        var slot = (int)(hash >> 40) & (_slots.Length - 1);
        while (_slots[slot].Hash != 0)
        {
            slot = (slot + 1) & (_slots.Length - 1);
        }

        _slots[slot] = new FactsSlot(hash, _bytesUsed, key.Length, facts);
        _bytesUsed += key.Length;
        _byBytes++;
    }

    /// <summary>Facts kept by their key's bytes: where they are in the table's bytes, and the facts.</summary>
    private readonly record struct FactsSlot(ulong Hash, int Start, int Length, RowFacts Facts);

    /// <summary>The longest key kept by its bytes (hashed with a key drawn for each table, so no file can be written to crowd one slot): a row with longer facts is parsed each time.</summary>
    public const int MaxKeptBytes = 256;

    private readonly long _hashKey = Random.Shared.NextInt64();
    private FactsSlot[] _slots = new FactsSlot[256];
    private byte[] _bytes = new byte[4096];
    private int _bytesUsed;
    private int _byBytes;
    private char[] _chars = new char[64];

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

/// <summary>The facts of a row other than its device id and status date, checked as a record takes them (<see cref="DeviceTypes.FitsRecord"/>).</summary>
/// <param name="Type">The device type.</param>
/// <param name="Status">The status.</param>
/// <param name="PriorBits">The prior statuses' bits.</param>
/// <param name="Generation">The SMETS generation.</param>
/// <param name="Details">The party and model's reference (<see cref="DetailsTable.Details"/>).</param>
internal readonly record struct RowFacts(DeviceType Type, SmiStatus Status, ushort PriorBits, SmetsGeneration Generation, object? Details);
