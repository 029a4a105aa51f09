using System.Text;

namespace Smi.Retention;

/// <summary>
/// An immutable set of <see cref="SmiStatus"/> values held in two bytes: the statuses a device held
/// before its current status run (what the 'previously commissioned only' policy asks about).
/// </summary>
public readonly struct SmiStatusSet : IEquatable<SmiStatusSet>
{
    /// <summary>Every bit a set may hold: bits 1 to the number of statuses, one per declared status (at most 15 fit).</summary>
    internal static readonly ushort ValidBits = (ushort)((1 << (EnumNames<SmiStatus>.Count + 1)) - 2);

    private readonly ushort _bits;

    private SmiStatusSet(ushort bits) => _bits = bits;

    /// <summary>The empty set: the device has held no status before its current one.</summary>
    public static SmiStatusSet Empty => default;

    /// <summary>Whether the set holds no status.</summary>
    public bool IsEmpty => _bits == 0;

    /// <summary>The number of statuses in the set.</summary>
    public int Count => ushort.PopCount(_bits);

    /// <summary>The set as a bit mask, bit <c>(int)status</c> per status; for compact storage.</summary>
    public ushort Bits => _bits;

    /// <summary>Creates a set from the statuses given; duplicates are ignored.</summary>
    /// <param name="statuses">The statuses.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is not a declared <see cref="SmiStatus"/>.</exception>
    public static SmiStatusSet Of(params ReadOnlySpan<SmiStatus> statuses)
    {
        var set = Empty;
        foreach (var status in statuses)
        {
            set = set.Add(status);
        }

        return set;
    }

    /// <summary>Recreates a set from <see cref="Bits"/>.</summary>
    /// <param name="bits">A mask previously read from <see cref="Bits"/>.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The mask has a bit that is not a declared status.</exception>
    public static SmiStatusSet FromBits(ushort bits)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(bits & ~ValidBits, 0, nameof(bits));
        return new SmiStatusSet(bits);
    }

    internal static SmiStatusSet FromBitsUnchecked(ushort bits) => new(bits);

    /// <summary>Returns this set with <paramref name="status"/> added.</summary>
    /// <param name="status">The status to add.</param>
    /// <returns>The new set.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not a declared status.</exception>
    public SmiStatusSet Add(SmiStatus status)
    {
        if (!SmiStatuses.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, Messages.UndefinedSmiStatus(status));
        }

        return new SmiStatusSet((ushort)(_bits | (1 << (int)status)));
    }

    /// <summary>Whether the set holds <paramref name="status"/>.</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool Contains(SmiStatus status) => (_bits & (1 << (int)status)) != 0;

    /// <summary>Whether the set holds any status other than <paramref name="status"/>.</summary>
    /// <param name="status">The status to disregard, e.g. <see cref="SmiStatus.Pending"/>.</param>
    /// <returns><see langword="true"/> when another status is present.</returns>
    public bool ContainsOtherThan(SmiStatus status) => (_bits & ~(1 << (int)status)) != 0;

    /// <summary>Parses statuses separated by ';' (spaces allowed, empty entries ignored, names case-insensitive).</summary>
    /// <param name="text">For example <c>Commissioned;Decommissioned</c>, or empty for none.</param>
    /// <returns>The set.</returns>
    /// <exception cref="FormatException">An entry is not a status name; the message lists the valid names.</exception>
    public static SmiStatusSet Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var set, out var bad) ? set : throw new FormatException(Messages.UnknownSmiStatus(bad));

    /// <summary>Parses statuses separated by ';', giving the first entry that is not a status.</summary>
    /// <param name="text">For example <c>Commissioned;Decommissioned</c>, or empty for none.</param>
    /// <param name="set">The set, when the result is <see langword="true"/>.</param>
    /// <param name="badEntry">The offending entry, when the result is <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when every entry names a status.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out SmiStatusSet set, out ReadOnlySpan<char> badEntry)
    {
        set = Empty;
        badEntry = default;
        foreach (var range in text.Split(';'))
        {
            var entry = text[range].Trim();
            if (entry.IsEmpty)
            {
                continue;
            }

            if (!SmiStatuses.TryParse(entry, out var status))
            {
                badEntry = entry;
                set = Empty;
                return false;
            }

            set = set.Add(status);
        }

        return true;
    }

    /// <summary>The statuses in declaration order, joined by ';'.</summary>
    /// <returns>For example <c>Commissioned;Decommissioned</c>; empty for the empty set.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var status in SmiStatuses.All)
        {
            if (Contains(status))
            {
                text.Append(text.Length == 0 ? "" : ";").Append(status.ToString());
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public bool Equals(SmiStatusSet other) => _bits == other._bits;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SmiStatusSet other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bits;

    /// <summary>Whether two sets hold the same statuses.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns><see langword="true"/> when they are equal.</returns>
    public static bool operator ==(SmiStatusSet left, SmiStatusSet right) => left.Equals(right);

    /// <summary>Whether two sets differ.</summary>
    /// <param name="left">The first set.</param>
    /// <param name="right">The second set.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(SmiStatusSet left, SmiStatusSet right) => !left.Equals(right);
}
