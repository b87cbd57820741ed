namespace SbeCore.Native;

/// <summary>
/// Slots of live objects addressed by opaque 64-bit handles. A handle is never a pointer: it encodes a
/// 16-bit kind magic (bits 48..63), a 28-bit slot generation (bits 20..47) and the slot index + 1 (bits 0..19).
/// A NULL, foreign (real pointer: wrong magic), wrong-kind, stale or double-freed handle fails the lookup;
/// nothing is ever dereferenced from the handle value itself. Freed slots are reused oldest-first so a stale
/// handle aliases a live one only after its slot's 28-bit generation wraps.
/// Each slot has an atomic busy flag: <see cref="Use"/> claims it for the length of one call, so a second thread
/// using the same handle at the same time gets SbeStatus.Busy instead of racing on the object's state.
/// </summary>
internal sealed class HandleTable<T>(ushort magic, string kind) where T : class
{
    private const int SlotBits = 20, GenerationBits = 28;
    private const int MaxSlots = (1 << SlotBits) - 1;
    private const uint GenerationMask = (1u << GenerationBits) - 1;

    private readonly Lock _lock = new();
    private readonly Queue<int> _free = new();
    private Entry?[] _items = new Entry?[16];
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
            _items[slot] = new Entry(item);
            return (nint)(((ulong)magic << 48) | ((ulong)generation << SlotBits) | (uint)(slot + 1));
        }
    }

    /// <summary>Claims the object behind a handle for one call: dispose the lease when the call ends. Throws an
    /// SbeException(BadHandle) naming what is wrong with the handle, or SbeException(Busy) when another thread holds it.</summary>
    public Lease Use(nint handle, string parameter, out T item)
    {
        Entry entry;
        lock (_lock) entry = _items[Locate(handle, parameter)]!;
        if (Interlocked.CompareExchange(ref entry.Busy, 1, 0) != 0) throw BusyError(handle, parameter);
        item = entry.Item;
        return new Lease(entry);
    }

    /// <summary>Frees the slot; returns the object so the caller may dispose it. NULL is a no-op (returns null).</summary>
    public T? Remove(nint handle, string parameter)
    {
        if (handle == 0) return null;
        lock (_lock)
        {
            int slot = Locate(handle, parameter);
            Entry entry = _items[slot]!;
            // claimed for good: a call still running on another thread keeps the object alive and this handle valid
            if (Interlocked.CompareExchange(ref entry.Busy, 1, 0) != 0) throw BusyError(handle, parameter);
            _items[slot] = null;
            _free.Enqueue(slot);
            return entry.Item;
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

    private SbeException BusyError(nint handle, string parameter)
        => new(SbeStatus.Busy, $"{parameter} (0x{(ulong)handle:x}) is in use by another thread: a {kind} handle must not be used by two threads at once.");

    internal sealed class Entry(T item)
    {
        public readonly T Item = item;
        public int Busy;
    }

    /// <summary>Releases the busy flag taken by <see cref="Use"/>.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly Entry _entry;
        internal Lease(Entry entry) => _entry = entry;
        public void Dispose() => Volatile.Write(ref _entry.Busy, 0);
    }
}
