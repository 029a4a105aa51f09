
namespace Smi.Retention.Cli.Inventory;

/// <summary>
/// The set of device ids seen, to reject duplicates: open addressing over a plain ulong array,
/// 8 to 16 bytes per device, a third of what a HashSet&lt;ulong&gt; takes. It is the one part of
/// a run whose memory grows with the inventory.
/// </summary>
internal sealed class DeviceIdSet
{
    private const ulong Empty = 0; // id 0 is kept aside, in a flag
    private ulong[] _slots;
    private int _count;
    private bool _hasZero;

    /// <summary>Creates a set sized for about <paramref name="expected"/> ids, so it need not grow (and copy) while filling.</summary>
    public DeviceIdSet(long expected = 0)
    {
        var capacity = 1 << 16;
        while (capacity < expected * 4 / 3 + 1 && capacity < 1 << 30)
        {
            capacity <<= 1;
        }

        _slots = new ulong[capacity];
    }

    public int Count => _count + (_hasZero ? 1 : 0);

    /// <summary>Adds the id; false when it was already present.</summary>
    public bool Add(DeviceId id)
    {
        var value = id.Value;
        if (value == Empty)
        {
            var added = !_hasZero;
            _hasZero = true;
            return added;
        }

        if ((_count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }

        return Insert(_slots, value);
    }

    private bool Insert(ulong[] slots, ulong value)
    {
        var mask = slots.Length - 1;
        var i = (int)(Mix(value) & (ulong)mask);
        while (true)
        {
            var slot = slots[i];
            if (slot == Empty)
            {
                slots[i] = value;
                _count++;
                return true;
            }

            if (slot == value)
            {
                return false;
            }

            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        _count = 0;
        foreach (var value in old)
        {
            if (value != Empty)
            {
                Insert(_slots, value);
            }
        }
    }

    // Device ids are not random (vendors allocate ranges): spread them before masking.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDUL;
        return z ^ (z >> 33);
    }
}
