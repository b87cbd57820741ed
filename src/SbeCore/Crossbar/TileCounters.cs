namespace SbeCore.Crossbar;

/// <summary>Endurance and energy counters of a tile.</summary>
public sealed class TileCounters
{
    private long[] _pulsesPerDevice;

    // Pulses of the fused ConstantStep blocks not yet added to _pulsesPerDevice: a float lane per device adds a block's
    // counts with one vector add (the 64-bit counters take two loads, two adds and two stores per 16 devices), exact
    // while below 2^24, so they are folded in before any read of the counters and before 2^24 can be reached.
    private float[] _pending = [];
    private long _pendingWrites;
    private bool _pendingDirty;

    /// <summary>Writes of at most <see cref="MaxPendingPulsesPerWrite"/> pulses per device whose pending counts stay
    /// exact in a float (2^24); tests lower it to fold often.</summary>
    internal long MaxPendingWrites { get; set; } = (1 << 24) / MaxPendingPulsesPerWrite;

    /// <summary>Tests: how many times the pending counts were folded in.</summary>
    internal long PendingFolds { get; private set; }

    /// <summary>The most pulses a pending write adds to one device (a single-word pulse train: BL &lt;= 64).</summary>
    internal const int MaxPendingPulsesPerWrite = 64;

    /// <summary>Counters without per-device storage.</summary>
    public TileCounters() : this(0) { }

    internal TileCounters(int devices) => _pulsesPerDevice = new long[devices];

    /// <summary>Rank-1 (outer-product) writes issued to the array.</summary>
    public long RankOneWrites { get; set; }

    /// <summary>Pulses applied over all devices.</summary>
    public long TotalPulses { get; internal set; }

    /// <summary>Pulses that hit a bound (their step was cut short). For pulse type None: element updates clipped.</summary>
    public long ClippedPulses { get; internal set; }

    /// <summary>Pulses per device, row-major rows x cols.</summary>
    public ReadOnlySpan<long> PulsesPerDevice
    {
        get { FoldPending(); return _pulsesPerDevice; }
    }

    /// <summary>The 64-bit counters, for writers (they add to them) and for readers that first call <see cref="FoldPending"/>.</summary>
    internal long[] PulsesPerDeviceArray => _pulsesPerDevice;

    /// <summary>Before a pass of <paramref name="writes"/> writes that may add at most
    /// <see cref="MaxPendingPulsesPerWrite"/> pulses per device to the pending counts (on the caller, before any thread
    /// writes): folds them first if the pass could take them past exact.</summary>
    internal void BeginPendingWrites(int writes)
    {
        if (_pendingWrites + writes > MaxPendingWrites) FoldPending();
        AllocatePending();
        _pendingWrites += writes;
        _pendingDirty = true;
    }

    /// <summary>Allocates the pending counts (a tile whose writes may use them does so when it is made).</summary>
    internal void AllocatePending()
    {
        if (_pending.Length != _pulsesPerDevice.Length) _pending = new float[_pulsesPerDevice.Length];
    }

    /// <summary>The pending float counts a pass begun by <see cref="BeginPendingWrites"/> adds to.</summary>
    internal float[] PendingPulses => _pending;

    /// <summary>Adds the pending counts to the 64-bit counters (exact integers in floats) and clears them.</summary>
    internal void FoldPending()
    {
        if (!_pendingDirty) return;
        for (int k = 0; k < _pending.Length; k++)
        {
            if (_pending[k] == 0) continue;
            _pulsesPerDevice[k] += (long)_pending[k];
            _pending[k] = 0;
        }
        _pendingWrites = 0;
        _pendingDirty = false;
        PendingFolds++;
    }

    /// <summary>Largest pulse count of any device (scans the devices).</summary>
    public long MaxPulsesPerDevice
    {
        get { FoldPending(); long m = 0; foreach (var p in _pulsesPerDevice) m = Math.Max(m, p); return m; }
    }

    /// <summary>Mean pulses per device.</summary>
    public double MeanPulsesPerDevice => _pulsesPerDevice.Length == 0 ? 0 : (double)TotalPulses / _pulsesPerDevice.Length;

    /// <summary>Zeroes every counter.</summary>
    public void Reset()
    {
        RankOneWrites = 0; TotalPulses = 0; ClippedPulses = 0;
        Array.Clear(_pulsesPerDevice);
        Array.Clear(_pending);
        _pendingWrites = 0;
        _pendingDirty = false;
    }

    internal void CopyFrom(TileCounters other)
    {
        other.FoldPending();
        RankOneWrites = other.RankOneWrites; TotalPulses = other.TotalPulses; ClippedPulses = other.ClippedPulses;
        _pulsesPerDevice = (long[])other._pulsesPerDevice.Clone();
        Array.Clear(_pending);
        _pendingWrites = 0;
        _pendingDirty = false;
    }
}
