using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// The hot path of pulsed training: single-word masks (BL <= 64) on a ConstantStep device. Same arithmetic
// and the same random draws, in the same order, as ApplyPulses -> ApplyConstantStep, with the per-device
// work inlined: counts in locals, bounds-check-free array access, the Gaussian buffer read in place.
public sealed partial class CrossbarTile
{
    private void CoincideConstantStep(int lrSign, ReadOnlySpan<float> d)
    {
        float std = _constantStepStd;
        bool noisy = std > 0;
        var random = _updateRandom;
        float[] gaussians = random.GaussianBuffer;
        int g = random.GaussianPosition;
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        ref float scales = ref MemoryMarshal.GetArrayDataReference(_params);
        ref float lows = ref MemoryMarshal.GetArrayDataReference(_wMin);
        ref float highs = ref MemoryMarshal.GetArrayDataReference(_wMax);
        ref long pulses = ref MemoryMarshal.GetArrayDataReference(Counters.PulsesPerDeviceArray);
        ref ulong cols = ref MemoryMarshal.GetArrayDataReference(_colMasks);
        ref sbyte signs = ref MemoryMarshal.GetArrayDataReference(_colSign);
        ref float sqrt = ref MemoryMarshal.GetArrayDataReference(s_sqrt);
        long total = 0, clipped = 0;

        for (int i = 0; i < Rows; i++)
        {
            ulong rowMask = _rowMasks[i];
            if (rowMask == 0) continue;
            int rowDir = -lrSign * Math.Sign(d[i]);
            int row = i * Cols;
            for (int j = 0; j < Cols; j++)
            {
                // Branch-free for the common cases: a device without coincidences (n = 0) adds exactly 0
                // and does not advance the Gaussian position.
                int n = BitOperations.PopCount(rowMask & Unsafe.Add(ref cols, j));
                int k = row + j;
                int direction = rowDir * Unsafe.Add(ref signs, j);
                Unsafe.Add(ref pulses, k) += n;
                total += n;
                float step = Unsafe.Add(ref scales, 2 * k + (direction > 0 ? 0 : 1));
                float count = n;
                if (noisy)
                {
                    if (g == RandomStream.BufferLength) { random.RefillGaussianBuffer(); g = 0; }
                    count += std * Unsafe.Add(ref sqrt, n) * gaussians[g];
                    g += n != 0 ? 1 : 0;
                }
                float sum = step * count;
                ref float w = ref Unsafe.Add(ref weights, k);
                float before = w;
                float next = before + direction * sum;
                float hi = Unsafe.Add(ref highs, k), lo = Unsafe.Add(ref lows, k);
                if (next > hi) { clipped += ClippedCount(n, hi - before, step); next = hi; }
                else if (next < lo) { clipped += ClippedCount(n, before - lo, step); next = lo; }
                w = next;
            }
        }
        random.GaussianPosition = g;
        Counters.TotalPulses += total;
        Counters.ClippedPulses += clipped;
    }
}
