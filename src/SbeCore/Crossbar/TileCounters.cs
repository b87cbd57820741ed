namespace SbeCore.Crossbar;

/// <summary>Endurance and energy counters of a tile.</summary>
public sealed class TileCounters
{
    private long[] _pulsesPerDevice;

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
    public ReadOnlySpan<long> PulsesPerDevice => _pulsesPerDevice;

    internal long[] PulsesPerDeviceArray => _pulsesPerDevice;

    /// <summary>Largest pulse count of any device (scans the devices).</summary>
    public long MaxPulsesPerDevice
    {
        get { long m = 0; foreach (var p in _pulsesPerDevice) m = Math.Max(m, p); return m; }
    }

    /// <summary>Mean pulses per device.</summary>
    public double MeanPulsesPerDevice => _pulsesPerDevice.Length == 0 ? 0 : (double)TotalPulses / _pulsesPerDevice.Length;

    /// <summary>Zeroes every counter.</summary>
    public void Reset()
    {
        RankOneWrites = 0; TotalPulses = 0; ClippedPulses = 0;
        Array.Clear(_pulsesPerDevice);
    }

    internal void CopyFrom(TileCounters other)
    {
        RankOneWrites = other.RankOneWrites; TotalPulses = other.TotalPulses; ClippedPulses = other.ClippedPulses;
        _pulsesPerDevice = (long[])other._pulsesPerDevice.Clone();
    }
}
