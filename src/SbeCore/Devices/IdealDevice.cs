using SbeCore.Numerics;

namespace SbeCore.Devices;

/// <summary>aihwkit: IdealDevice. Exact float updates, no bounds, no pulses (the update config is ignored).</summary>
public sealed record IdealDevice : IDeviceModel
{
    /// <inheritdoc/>
    public string Name => "Ideal";

    /// <summary>Not used by an ideal device (updates are exact); reported as 0.</summary>
    public float DwMin => 0f;

    /// <inheritdoc/>
    public int ParametersPerDevice => 0;

    /// <inheritdoc/>
    public void Validate() { }

    /// <inheritdoc/>
    public void SampleDevice(ref Xoshiro256 rng, Span<float> parameters, out float wMin, out float wMax)
    {
        wMin = float.NegativeInfinity; wMax = float.PositiveInfinity;
    }

    /// <summary>An ideal device has no pulse; the tile never calls this.</summary>
    public float Pulse(float w, int direction, float wMin, float wMax, ReadOnlySpan<float> parameters, RandomStream random)
        => throw new NotSupportedException("An ideal device is updated exactly, not by pulses.");
}
