using SbeCore.Numerics;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// The adapter for a model without a SIMD law (a user's <see cref="IDeviceModel"/>): its
/// <see cref="IDeviceModel.Pulse"/> one device and one pulse at a time, the Gaussians in the same order as the laws'.
/// </summary>
// The model draws its own Gaussians from the stream, in device order: nothing is drawn ahead.
internal sealed class ModelArray(IDeviceModel model, DeviceArrayState state) : DeviceArray(state, 0, 0)
{
    public override void Refresh() { }

    protected override long Kernel(int firstDevice, int columns, ReadOnlySpan<int> only, float[] counts, int[] offsets, float[] gaussians, RandomStream random)
    {
        long clipped = 0;
        if (!only.IsEmpty)
        {
            foreach (int j in only) clipped += Device(firstDevice, j, counts, random);
            return clipped;
        }
        for (int j = 0; j < columns; j++) clipped += Device(firstDevice, j, counts, random);
        return clipped;
    }

    public override long ApplyNow(int k, int n, int direction, RandomStream random) => PulseByPulse(k, n, direction, random);

    private long Device(int firstDevice, int j, float[] counts, RandomStream random)
    {
        float n = counts[j];
        if (n == 0) return 0;
        counts[j] = 0;
        return PulseByPulse(firstDevice + j, (int)MathF.Abs(n), n > 0 ? 1 : -1, random);
    }

    // Pulses move the hidden weight; with write noise, what reads see is redrawn once the device is written
    // (aihwkit draws it after every pulse; only the last draw stays visible).
    private long PulseByPulse(int k, int n, int direction, RandomStream random)
    {
        var s = State;
        float[] state = s.Pulsed;
        float w = state[k], hi = s.MaxBounds[k], lo = s.MinBounds[k];
        var p = s.Parameters.AsSpan(k * s.ParametersPerDevice, s.ParametersPerDevice);
        long clipped = 0;
        for (int t = 0; t < n; t++)
        {
            float next = model.Pulse(w, direction, lo, hi, p, random);
            if (next > hi) { next = hi; clipped++; }
            else if (next < lo) { next = lo; clipped++; }
            w = next;
        }
        state[k] = w;
        if (s.Persistent is not null) s.Weights[k] = w + s.WriteNoise * random.NextGaussian();
        return clipped;
    }
}
