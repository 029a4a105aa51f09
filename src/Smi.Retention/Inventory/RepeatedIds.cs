namespace Smi.Retention.Inventory;

/// <summary>
/// A set of device ids: those found listed more than once, for the second pass to reject every row
/// of them, or the devices a first pass's rejects name (see DuplicateCheck):
/// open addressing over a plain ulong array (about 11 to 16 bytes a device), safe to add to from
/// several threads. A device is added once however often it repeats.
/// </summary>
internal sealed class RepeatedIds
{
    // Keyed afresh each run, as SeenDeviceIds' hashes are: no file can crowd one slot.
    private readonly ulong _key = (ulong)Random.Shared.NextInt64();
    private readonly object _lock = new();
    private ulong[] _slots = new ulong[16];
    private int _count;
    private bool _hasZero;

    /// <summary>How many devices.</summary>
    public int Count => _count + (_hasZero ? 1 : 0);

    /// <summary>Adds a device (again: no change).</summary>
    public void Add(ulong id)
    {
        lock (_lock)
        {
            if (id == 0)
            {
                _hasZero = true;
                return;
            }

            if ((_count + 1) * 4 > _slots.Length * 3)
            {
                var old = _slots;
                _slots = new ulong[old.Length * 2];
                _count = 0;
                foreach (var value in old)
                {
                    if (value != 0)
                    {
                        Insert(value);
                    }
                }
            }

            Insert(id);
        }
    }

    /// <summary>Whether the device is one of them (after the adding is over).</summary>
    public bool Contains(DeviceId id)
    {
        var value = id.Value;
        if (value == 0)
        {
            return _hasZero;
        }

        var mask = _slots.Length - 1;
        var i = Home(value);
        while (_slots[i] != 0)
        {
            if (_slots[i] == value)
            {
                return true;
            }

            i = (i + 1) & mask;
        }

        return false;
    }

    /// <summary>The devices, in no order.</summary>
    public DeviceId[] ToArray()
    {
        lock (_lock)
        {
            return [.. _slots.Where(v => v != 0).Select(v => new DeviceId(v)), .. _hasZero ? [new DeviceId(0)] : Array.Empty<DeviceId>()];
        }
    }

    /// <summary>The slot where an id's probe starts (by the keyed hash).</summary>
    internal int Home(ulong value) => (int)SeenDeviceIds.Mix(value ^ _key) & (_slots.Length - 1);

    private void Insert(ulong value)
    {
        var mask = _slots.Length - 1;
        var i = Home(value);
        while (_slots[i] != 0)
        {
            if (_slots[i] == value)
            {
                return;
            }

            i = (i + 1) & mask;
        }

        _slots[i] = value;
        _count++;
    }
}
