using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

/// <summary>
/// One read direction with peripheral non-idealities, in the order and float32 arithmetic of aihwkit's
/// ForwardBackwardPassIOManaged (rpu_forward_backward_pass.cpp), and checked against it (tests/SbeCore.Tests/Fidelity):
/// per input vector, noise management scale s = max|x| (AbsMax, capped at nm_thres) and the DAC
/// x' = clip(rint(x (1/s)/bm / Δin) Δin, ±inp_bound) + inp_noise ξ; one batched matrix product for the whole batch; per
/// output, w_noise ‖x'‖ ξ (aihwkit ADDITIVE_CONSTANT) and out_noise ξ, the ADC y = clip(rint(y / Δout) Δout, ±out_bound),
/// iterative bound management (bm = 2, 4, ... while an output hit the bound), and the rescale y · 1/((1/s)/bm).
/// Backward reads (<c>transposed</c>) run without bound management, as aihwkit does, unless
/// <see cref="IOConfig.BackwardBoundManagement"/>. Scratch grows to the largest batch seen, so steady-state reads
/// allocate nothing.
/// </summary>
internal sealed partial class AnalogReader
{
    private float[] _inputs = [];
    private float[] _scales = [];

    public void Read(IOConfig io, float[] weights, int rows, int cols, bool transposed,
        ReadOnlySpan<float> input, int n, Span<float> output, RandomStream random, ParallelKernels kernels, int threads)
    {
        int inLen = transposed ? rows : cols, outLen = transposed ? cols : rows;
        if (_inputs.Length < n * inLen) _inputs = new float[n * inLen];
        if (_scales.Length < n) _scales = new float[n];
        var dac = _inputs.AsSpan(0, n * inLen);
        bool nm = io.NoiseManagement == NoiseManagement.AbsMax;
        bool bm = io.BoundManagement == BoundManagement.Iterative && (!transposed || io.BackwardBoundManagement);
        float inStep = Step(io.InpRes, io.InpBound), outStep = float.IsFinite(io.OutBound) ? Step(io.OutRes, io.OutBound) : 0f;

        for (int s = 0; s < n; s++)
        {
            var x = input.Slice(s * inLen, inLen);
            float nmValue = nm ? Kernels.SimdReduce.AbsMax(x) : 1f;
            if (nm && io.NmThres > 0) nmValue = MathF.Min(nmValue, io.NmThres);
            _scales[s] = nmValue;
            var xq = dac.Slice(s * inLen, inLen);
            if (ReadsZero(io, nm, nmValue, transposed)) xq.Clear();
            else Convert(io, x, InputScale(nm, nmValue, 1f), inStep, xq, random);
        }
        // The one step without random numbers, and most of the work: the only one split over threads.
        if (transposed) kernels.BatchReadTransposed(weights, rows, cols, cols, dac, n, output.Slice(0, n * outLen), threads);
        else kernels.BatchRead(weights, rows, cols, cols, dac, n, output.Slice(0, n * outLen), threads);

        for (int s = 0; s < n; s++)
        {
            var y = output.Slice(s * outLen, outLen);
            float nmValue = _scales[s];
            if (ReadsZero(io, nm, nmValue, transposed)) { y.Clear(); continue; }
            var x = input.Slice(s * inLen, inLen);
            var xq = dac.Slice(s * inLen, inLen);
            float reduction = 1f, scale = InputScale(nm, nmValue, reduction);
            while (true)
            {
                bool passed = Finalize(io, y, xq, outStep, random);
                if (!bm || passed || (int)reduction > io.MaxBmFactor || (inStep > 0 && reduction > io.MaxBmRes / inStep)) break;
                // An output hit the bound: halve the input and read this vector again.
                reduction *= 2f;
                scale = InputScale(nm, nmValue, reduction);
                Convert(io, x, scale, inStep, xq, random);
                if (transposed) Blas.GemvT(weights, rows, cols, cols, xq, y);
                else Blas.Gemv(weights, rows, cols, cols, xq, y);
            }
            // aihwkit multiplies by out_scale / scale (forward) or by nm_scale (backward, where scale is 1/nm_scale
            // and there is no bound management); 1/(1/s) need not equal s in float32, so mirror each.
            bool scaling = (nm && nmValue > 0) || bm;
            if (!scaling) continue;
            float factor = transposed && !bm ? nmValue : 1f / scale;
            SimdMap.Unary(new MultiplyOperator(factor), y, y);
        }
    }

    // aihwkit: an all-zero input with noise management reads 0 (forward: unless there is input noise). An input so small
    // that 1 / max|x| overflows (all subnormal) reads 0 too: aihwkit's forward read returns 0 there (its output is
    // multiplied by 1 / scale = 0), while its backward read returns NaN (0 x inf in the DAC); both directions give 0 here,
    // the value the read would have without the scaling (documented in docs/crossbar.md, parity).
    private static bool ReadsZero(IOConfig io, bool nm, float nmValue, bool transposed) =>
        nm && (nmValue <= 0 ? transposed || io.InpNoise <= 0 : float.IsPositiveInfinity(1f / nmValue));

    // aihwkit: scale = 1; scale /= nm_scale (if managed and > 0); scale /= bm reduction. The DAC multiplies by it.
    private static float InputScale(bool nm, float nmValue, float reduction)
    {
        float scale = 1f;
        if (nm && nmValue > 0) scale /= nmValue;
        return scale / reduction;
    }

    // aihwkit checkRes: res < 0 -> 0 (off), res > 1 -> 1/res (a number of states); the step is res * (2 bound).
    internal static float Step(float res, float bound)
    {
        float r = res < 0 ? 0f : res;
        if (r > 1f) r = 1f / r;
        return r * (2f * bound);
    }

    // x * scale, quantised (rint: round half to even) to steps of Δin, clipped to ±inp_bound, plus input noise.
    private static void Convert(IOConfig io, ReadOnlySpan<float> x, float scale, float step, Span<float> destination, RandomStream random)
    {
        SimdMap.Unary(new DacOperator(scale, step, io.InpBound), x, destination);
        if (io.InpNoise > 0) random.AddGaussian(io.InpNoise, destination);
    }

    // Weight noise, output noise, ADC quantisation and clipping. Returns false if an output hit the bound (+out_bound,
    // or -out_bound with bm_test_negative_bound), i.e. if bound management should try again.
    private static bool Finalize(IOConfig io, Span<float> y, ReadOnlySpan<float> xq, float step, RandomStream random)
    {
        // aihwkit ADDITIVE_CONSTANT: fresh N(0, w_noise^2) weight noise summed over the inputs, N(0, w_noise^2 ||x'||^2) per output.
        if (io.WNoise > 0) random.AddGaussian(io.WNoise * (float)Blas.Nrm2(xq), y);
        if (io.OutNoise > 0) random.AddGaussian(io.OutNoise, y);
        return Adc(y, step, io.OutBound, io.BmTestNegativeBound);
    }
}
