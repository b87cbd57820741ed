namespace SbeCore.Native;

/// <summary>
/// Slots of live objects addressed by opaque 64-bit handles. A handle is never a pointer: it encodes a
/// 16-bit kind magic (bits 48..63), a 28-bit slot generation (bits 20..47) and the slot index + 1 (bits 0..19).
/// A NULL, foreign (real pointer: wrong magic), wrong-kind, stale or double-freed handle fails the lookup;
/// nothing is ever dereferenced from the handle value itself. Freed slots are reused oldest-first so a stale
/// handle aliases a live one only after its slot's 28-bit generation wraps.
/// </summary>
internal sealed class HandleTable<T>(ushort magic, string kind) where T : class
{
    private const int SlotBits = 20, GenerationBits = 28;
    private const int MaxSlots = (1 << SlotBits) - 1;
    private const uint GenerationMask = (1u << GenerationBits) - 1;

    private readonly Lock _lock = new();
    private readonly Queue<int> _free = new();
    private T?[] _items = new T?[16];
    private uint[] _generations = new uint[16];
    private int _used;

    /// <summary>Number of live objects (for tests and leak checks).</summary>
    public int Count { get { lock (_lock) return _used - _free.Count; } }

    public nint Add(T item)
    {
        lock (_lock)
        {
            int slot;
            if (_free.Count > 0) slot = _free.Dequeue();
            else
            {
                if (_used == MaxSlots) throw new SbeException(SbeStatus.OutOfMemory, $"Too many live {kind} handles ({MaxSlots}).");
                if (_used == _items.Length)
                {
                    Array.Resize(ref _items, _items.Length * 2);
                    Array.Resize(ref _generations, _generations.Length * 2);
                }
                slot = _used++;
            }
            uint generation = (_generations[slot] + 1) & GenerationMask;
            if (generation == 0) generation = 1;
            _generations[slot] = generation;
            _items[slot] = item;
            return (nint)(((ulong)magic << 48) | ((ulong)generation << SlotBits) | (uint)(slot + 1));
        }
    }

    /// <summary>The object behind a handle, or an SbeException(BadHandle) naming what is wrong with it.</summary>
    public T Get(nint handle, string parameter)
    {
        lock (_lock)
        {
            int slot = Locate(handle, parameter);
            return _items[slot]!;
        }
    }

    /// <summary>Frees the slot; returns the object so the caller may dispose it. NULL is a no-op (returns null).</summary>
    public T? Remove(nint handle, string parameter)
    {
        if (handle == 0) return null;
        lock (_lock)
        {
            int slot = Locate(handle, parameter);
            T item = _items[slot]!;
            _items[slot] = null;
            _free.Enqueue(slot);
            return item;
        }
    }

    private int Locate(nint handle, string parameter)
    {
        ulong value = (ulong)handle;
        if (value == 0) throw new SbeException(SbeStatus.BadHandle, $"{parameter} is a NULL {kind} handle.");
        if ((ushort)(value >> 48) != magic)
            throw new SbeException(SbeStatus.BadHandle, $"{parameter} (0x{value:x}) is not a {kind} handle (foreign pointer or another kind of handle).");
        int slot = (int)(value & MaxSlots) - 1;
        uint generation = (uint)(value >> SlotBits) & GenerationMask;
        if (slot < 0 || slot >= _used || _generations[slot] != generation || _items[slot] is null)
            throw new SbeException(SbeStatus.BadHandle, $"{parameter} (0x{value:x}) is a stale {kind} handle (destroyed, or never created).");
        return slot;
    }
}
