using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

/// <summary>
/// One read direction with peripheral non-idealities: per input vector, AbsMax noise management, DAC
/// clipping and quantisation; one batched matrix product for the whole batch; then per output weight
/// read noise (w_noise ||x|| xi), output noise, iterative bound management and ADC clipping/quantisation.
/// Scratch grows to the largest batch seen, so steady-state reads allocate nothing.
/// </summary>
internal sealed class AnalogReader
{
    private float[] _inputs = [];
    private float[] _scales = [];

    public void Read(IOConfig io, float[] weights, int rows, int cols, bool transposed,
        ReadOnlySpan<float> input, int n, Span<float> output, RandomStream random)
    {
        int inLen = transposed ? rows : cols, outLen = transposed ? cols : rows;
        if (_inputs.Length < n * inLen) _inputs = new float[n * inLen];
        if (_scales.Length < n) _scales = new float[n];
        var dac = _inputs.AsSpan(0, n * inLen);

        for (int s = 0; s < n; s++)
        {
            var x = input.Slice(s * inLen, inLen);
            float scale = io.NoiseManagement == NoiseManagement.AbsMax ? AbsMax(x) : 1f;
            _scales[s] = scale;
            Convert(io, x, scale, dac.Slice(s * inLen, inLen));
        }
        if (transposed) Blas.BatchReadTransposed(weights, rows, cols, cols, dac, n, output.Slice(0, n * outLen));
        else Blas.BatchRead(weights, rows, cols, cols, dac, n, output.Slice(0, n * outLen));

        for (int s = 0; s < n; s++)
        {
            var y = output.Slice(s * outLen, outLen);
            float scale = _scales[s];
            if (scale == 0) { y.Clear(); continue; }
            var x = input.Slice(s * inLen, inLen);
            var xq = dac.Slice(s * inLen, inLen);
            float bm = 1f;
            while (true)
            {
                AddNoise(io, y, xq, random);
                if (io.BoundManagement != BoundManagement.Iterative || bm * 2f > io.MaxBmFactor || !Exceeds(y, io.OutBound)) break;
                // Halve the input and read this vector again.
                bm *= 2f;
                Convert(io, x, scale * bm, xq);
                if (transposed) Blas.GemvT(weights, rows, cols, cols, xq, y);
                else Blas.Gemv(weights, rows, cols, cols, xq, y);
            }
            Adc(io, y, scale * bm);
        }
    }

    // x / scale, clipped to +-inp_bound, quantised with step inp_res (2 inp_bound).
    private static void Convert(IOConfig io, ReadOnlySpan<float> x, float scale, Span<float> destination)
    {
        if (scale == 0) { destination.Clear(); return; }
        float inverse = 1f / scale, bound = io.InpBound;
        float step = io.InpRes > 0 ? io.InpRes * 2f * bound : 0f;
        for (int j = 0; j < x.Length; j++)
        {
            float v = Math.Clamp(x[j] * inverse, -bound, bound);
            destination[j] = step > 0 ? MathF.Round(v / step) * step : v;
        }
    }

    private static void AddNoise(IOConfig io, Span<float> y, ReadOnlySpan<float> xq, RandomStream random)
    {
        if (io.WNoise > 0)
        {
            // Fresh N(0, w_noise^2) weights noise summed over the inputs: N(0, w_noise^2 ||xq||^2) per output.
            float sigma = io.WNoise * (float)Blas.Nrm2(xq);
            for (int i = 0; i < y.Length; i++) y[i] += sigma * random.NextGaussian();
        }
        if (io.OutNoise > 0)
        {
            for (int i = 0; i < y.Length; i++) y[i] += io.OutNoise * random.NextGaussian();
        }
    }

    private static bool Exceeds(ReadOnlySpan<float> y, float bound)
    {
        foreach (var v in y) if (MathF.Abs(v) > bound) return true;
        return false;
    }

    // Clip to +-out_bound, quantise with step out_res (2 out_bound), undo the input scaling.
    private static void Adc(IOConfig io, Span<float> y, float scale)
    {
        float bound = io.OutBound;
        float step = io.OutRes > 0 && float.IsFinite(bound) ? io.OutRes * 2f * bound : 0f;
        for (int i = 0; i < y.Length; i++)
        {
            float v = Math.Clamp(y[i], -bound, bound);
            if (step > 0) v = MathF.Round(v / step) * step;
            y[i] = v * scale;
        }
    }

    private static float AbsMax(ReadOnlySpan<float> v)
    {
        float m = 0;
        foreach (var e in v) m = MathF.Max(m, MathF.Abs(e));
        return m;
    }
}
