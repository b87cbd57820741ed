using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Numerics;

namespace SbeCore.Crossbar;

// The hot path of pulsed training: single-word masks (BL <= 64) on a ConstantStep device.
// Each device (i, j) gets n = PopCount(rowMask_i & colMask_j) pulses, applied as one aggregated step
// s (n + std sqrt(n) xi). Rows with an empty mask are skipped. In an active row every device consumes one
// Gaussian (used only when n > 0), taken in blocks of 16 so the Vector512 path and the scalar path read
// the same draws: the Vector512, Vector256 and scalar paths give bit-identical weights and counters.
public sealed partial class CrossbarTile
{
    private const int Block = 16;

    // Contiguous copies of the [scale_up, scale_down] pairs for the vector loads (ConstantStep only).
    private float[] _scaleUp = [];
    private float[] _scaleDown = [];
    private float[] _colDirection = [];

    /// <summary>Tests: the widest block path to use (512, 256, or 0 for scalar), so every path runs on one machine.</summary>
    internal int MaxBlockWidth { get; set; } = 512;

    private void RefreshConstantStepScales()
    {
        if (_constantStepStd < 0) return;
        int devices = Rows * Cols;
        if (_scaleUp.Length != devices) { _scaleUp = new float[devices]; _scaleDown = new float[devices]; _colDirection = new float[Cols]; }
        for (int k = 0; k < devices; k++) { _scaleUp[k] = _params[2 * k]; _scaleDown[k] = _params[2 * k + 1]; }
    }

    private void CoincideConstantStep(int lrSign, ReadOnlySpan<float> d)
    {
        for (int j = 0; j < Cols; j++) _colDirection[j] = _colSign[j];
        long total = 0, clipped = 0;
        int g = _updateRandom.GaussianPosition;
        for (int i = 0; i < Rows; i++)
        {
            ulong rowMask = _rowMasks[i];
            if (rowMask == 0) continue;
            float rowDir = -lrSign * Math.Sign(d[i]);
            int j = 0;
            if (Vector512.IsHardwareAccelerated && MaxBlockWidth >= 512)
            {
                for (; j + Block <= Cols; j += Block) RowBlock512(i, j, rowMask, rowDir, ref g, ref total, ref clipped);
            }
            else if (Vector256.IsHardwareAccelerated && MaxBlockWidth >= 256)
            {
                for (; j + Block <= Cols; j += Block) RowBlock256(i, j, rowMask, rowDir, ref g, ref total, ref clipped);
            }
            for (; j < Cols; j += Block) RowBlockScalar(i, j, Math.Min(Block, Cols - j), rowMask, rowDir, ref g, ref total, ref clipped);
        }
        _updateRandom.GaussianPosition = g;
        Counters.TotalPulses += total;
        Counters.ClippedPulses += clipped;
    }

    // Gaussians for one block of up to 16 devices: refill when fewer than 16 remain (the rest is skipped).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int TakeGaussianBlock(ref int g)
    {
        if (g > RandomStream.BufferLength - Block) { _updateRandom.RefillGaussianBuffer(); g = 0; }
        int start = g;
        g += Block;
        return start;
    }

    internal void RowBlockScalar(int i, int j0, int count, ulong rowMask, float rowDir, ref int g, ref long total, ref long clipped)
    {
        float std = _constantStepStd;
        int gStart = std > 0 ? TakeGaussianBlock(ref g) : 0;
        float[] gaussians = _updateRandom.GaussianBuffer;
        for (int l = 0; l < count; l++)
        {
            int j = j0 + l, k = i * Cols + j;
            int n = BitOperations.PopCount(rowMask & _colMasks[j]);
            if (n == 0) continue;
            Counters.PulsesPerDeviceArray[k] += n;
            total += n;
            float direction = rowDir * _colDirection[j];
            float step = direction > 0 ? _scaleUp[k] : _scaleDown[k];
            float pulses = n;
            float sum = std > 0 ? step * (pulses + std * MathF.Sqrt(pulses) * gaussians[gStart + l]) : step * pulses;
            float before = _weights[k];
            float next = before + direction * sum;
            ClipOne(k, n, before, step, ref next, ref clipped);
            _weights[k] = next;
        }
    }

    private void RowBlock512(int i, int j, ulong rowMask, float rowDir, ref int g, ref long total, ref long clipped)
    {
        float std = _constantStepStd;
        int k = i * Cols + j;
        var rowMaskV = Vector512.Create(rowMask);
        ref ulong cols = ref MemoryMarshal.GetArrayDataReference(_colMasks);
        var c0 = PopCount(Vector512.LoadUnsafe(ref cols, (nuint)j) & rowMaskV);
        var c1 = PopCount(Vector512.LoadUnsafe(ref cols, (nuint)j + 8) & rowMaskV);
        var counts = Vector512.Narrow(c0, c1);
        if (counts == Vector512<uint>.Zero) { if (std > 0) TakeGaussianBlock(ref g); return; }

        ref long pulses = ref MemoryMarshal.GetArrayDataReference(Counters.PulsesPerDeviceArray);
        (Vector512.LoadUnsafe(ref pulses, (nuint)k) + c0.AsInt64()).StoreUnsafe(ref pulses, (nuint)k);
        (Vector512.LoadUnsafe(ref pulses, (nuint)k + 8) + c1.AsInt64()).StoreUnsafe(ref pulses, (nuint)k + 8);
        total += (long)Vector512.Sum(c0 + c1);

        var n = Vector512.ConvertToSingle(counts);
        var direction = Vector512.Create(rowDir) * Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_colDirection), (nuint)j);
        var step = Vector512.ConditionalSelect(Vector512.GreaterThan(direction, Vector512<float>.Zero),
            Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_scaleUp), (nuint)k),
            Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_scaleDown), (nuint)k));
        Vector512<float> sum;
        if (std > 0)
        {
            int gStart = TakeGaussianBlock(ref g);
            var xi = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_updateRandom.GaussianBuffer), (nuint)gStart);
            sum = step * (n + Vector512.Create(std) * Vector512.Sqrt(n) * xi);
        }
        else sum = step * n;
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        var before = Vector512.LoadUnsafe(ref weights, (nuint)k);
        // Lanes without pulses keep their weight bit for bit (also a -0).
        var next = Vector512.ConditionalSelect(Vector512.Equals(n, Vector512<float>.Zero), before, before + direction * sum);
        var hi = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_wMax), (nuint)k);
        var lo = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_wMin), (nuint)k);
        if ((Vector512.GreaterThan(next, hi) | Vector512.LessThan(next, lo)) != Vector512<float>.Zero)
        {
            // Rare: count the clipped pulses lane by lane, as the scalar path does.
            for (int l = 0; l < Block; l++)
            {
                float v = next.GetElement(l);
                int nl = (int)counts.GetElement(l);
                if (nl == 0) continue;
                ClipOne(k + l, nl, before.GetElement(l), step.GetElement(l), ref v, ref clipped);
                next = next.WithElement(l, v);
            }
        }
        next.StoreUnsafe(ref weights, (nuint)k);
    }

    // The same block as RowBlock512, as two halves of 8 lanes (AVX2).
    private void RowBlock256(int i, int j, ulong rowMask, float rowDir, ref int g, ref long total, ref long clipped)
    {
        float std = _constantStepStd;
        int gStart = std > 0 ? TakeGaussianBlock(ref g) : 0;
        var rowMaskV = Vector256.Create(rowMask);
        ref ulong cols = ref MemoryMarshal.GetArrayDataReference(_colMasks);
        ref long pulses = ref MemoryMarshal.GetArrayDataReference(Counters.PulsesPerDeviceArray);
        ref float weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        for (int half = 0; half < Block; half += 8)
        {
            int jh = j + half, k = i * Cols + jh;
            var c0 = PopCount(Vector256.LoadUnsafe(ref cols, (nuint)jh) & rowMaskV);
            var c1 = PopCount(Vector256.LoadUnsafe(ref cols, (nuint)jh + 4) & rowMaskV);
            var counts = Vector256.Narrow(c0, c1);
            if (counts == Vector256<uint>.Zero) continue;
            (Vector256.LoadUnsafe(ref pulses, (nuint)k) + c0.AsInt64()).StoreUnsafe(ref pulses, (nuint)k);
            (Vector256.LoadUnsafe(ref pulses, (nuint)k + 4) + c1.AsInt64()).StoreUnsafe(ref pulses, (nuint)k + 4);
            total += (long)Vector256.Sum(c0 + c1);
            var n = Vector256.ConvertToSingle(counts);
            var direction = Vector256.Create(rowDir) * Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_colDirection), (nuint)jh);
            var step = Vector256.ConditionalSelect(Vector256.GreaterThan(direction, Vector256<float>.Zero),
                Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_scaleUp), (nuint)k),
                Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_scaleDown), (nuint)k));
            Vector256<float> sum;
            if (std > 0)
            {
                var xi = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_updateRandom.GaussianBuffer), (nuint)(gStart + half));
                sum = step * (n + Vector256.Create(std) * Vector256.Sqrt(n) * xi);
            }
            else sum = step * n;
            var before = Vector256.LoadUnsafe(ref weights, (nuint)k);
            var next = Vector256.ConditionalSelect(Vector256.Equals(n, Vector256<float>.Zero), before, before + direction * sum);
            var hi = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_wMax), (nuint)k);
            var lo = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_wMin), (nuint)k);
            if ((Vector256.GreaterThan(next, hi) | Vector256.LessThan(next, lo)) != Vector256<float>.Zero)
            {
                for (int l = 0; l < 8; l++)
                {
                    float v = next.GetElement(l);
                    int nl = (int)counts.GetElement(l);
                    if (nl == 0) continue;
                    ClipOne(k + l, nl, before.GetElement(l), step.GetElement(l), ref v, ref clipped);
                    next = next.WithElement(l, v);
                }
            }
            next.StoreUnsafe(ref weights, (nuint)k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ClipOne(int k, int n, float before, float step, ref float next, ref long clipped)
    {
        float hi = _wMax[k], lo = _wMin[k];
        if (next > hi) { clipped += ClippedCount(n, hi - before, step); next = hi; }
        else if (next < lo) { clipped += ClippedCount(n, before - lo, step); next = lo; }
    }

    // Population count of each 64-bit lane (SWAR with shifts and adds only: .NET exposes no VPOPCNTQ and
    // AVX2 has no 64-bit multiply).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> PopCount(Vector512<ulong> x)
    {
        x -= (x >>> 1) & Vector512.Create(0x5555555555555555UL);
        x = (x & Vector512.Create(0x3333333333333333UL)) + ((x >>> 2) & Vector512.Create(0x3333333333333333UL));
        x = (x + (x >>> 4)) & Vector512.Create(0x0F0F0F0F0F0F0F0FUL);
        x += x >>> 8; x += x >>> 16; x += x >>> 32;
        return x & Vector512.Create(0x7FUL);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> PopCount(Vector256<ulong> x)
    {
        x -= (x >>> 1) & Vector256.Create(0x5555555555555555UL);
        x = (x & Vector256.Create(0x3333333333333333UL)) + ((x >>> 2) & Vector256.Create(0x3333333333333333UL));
        x = (x + (x >>> 4)) & Vector256.Create(0x0F0F0F0F0F0F0F0FUL);
        x += x >>> 8; x += x >>> 16; x += x >>> 32;
        return x & Vector256.Create(0x7FUL);
    }
}
