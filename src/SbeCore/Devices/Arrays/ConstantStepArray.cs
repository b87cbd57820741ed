using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SbeCore.Kernels;
using SbeCore.Numerics;

namespace SbeCore.Devices.Arrays;

/// <summary>
/// <see cref="ConstantStepDevice"/>'s law: every pulse moves a device by its scale_up or scale_down times
/// (1 + dw_min_std xi), independent of w, so n pulses of one direction are summed in one step (<see cref="Aggregate"/>)
/// that takes one Gaussian per device with pulses. This is the one place the step is written: the tile's fused
/// single-word coincidence block, its one-by-one sparse path and this array's row kernel all call it.
/// </summary>
internal static class ConstantStepLaw
{
    /// <summary>The sum of n steps s (1 + std xi_t) is s (n + std sqrt(n) xi): exact in distribution, one Gaussian
    /// per device (docs/crossbar.md); s n without noise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Aggregate<TOps, TVec>(TVec step, TVec n, float std, TVec xi) where TOps : struct, ISimdLawOps<TVec> where TVec : struct
        => std > 0 ? TOps.Multiply(step, TOps.Add(n, TOps.Multiply(TOps.Multiply(TOps.Broadcast(std), TOps.Sqrt(n)), xi))) : TOps.Multiply(step, n);

    /// <summary>Pulses of a train of n steps of size step that would overshoot a bound at distance room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ClippedCount(int n, float room, float step)
    {
        if (!(step > 0)) return n;
        double fit = Math.Floor(Math.Max(room, 0f) / (double)step);
        return (long)Math.Clamp(n - fit, 0, n);
    }

    /// <summary>
    /// <see cref="Clip"/> on a vector of devices: lanes with pulses (n &gt; 0) whose new weight left [lo, hi] take the
    /// bound, and their pulses that did not fit are counted as <see cref="ClippedCount"/> counts them (the same float
    /// room, the quotient and floor in double), so the same weights and count as one device at a time; lanes without
    /// pulses keep <paramref name="next"/>. Counts are whole numbers below 2^24 (a dense write's cap), exact in float
    /// lanes, and summed in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec ClipLanes<TOps, TVec>(TVec next, TVec before, TVec n, TVec step, TVec lo, TVec hi, ref long clipped)
        where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        // Most chunks stay inside their bounds: one test for them, the lanes' masks only for the others.
        TVec over = TOps.GreaterThan(next, hi), under = TOps.LessThan(next, lo);
        if (!TOps.AnyBitSet(TOps.Or(over, under))) return next;
        TVec live = TOps.GreaterThan(n, TOps.Zero);
        TVec above = TOps.And(live, over);
        TVec below = TOps.Select(above, TOps.Zero, TOps.And(live, under));
        TVec outside = TOps.Or(above, below);
        TVec room = TOps.Max(TOps.Select(above, TOps.Subtract(hi, before), TOps.Subtract(before, lo)), TOps.Zero);
        // n - min(fit, n) is ClippedCount's clamp(n - fit, 0, n) (fit >= 0); a step that is not positive clips all n.
        TVec count = TOps.Select(TOps.GreaterThan(step, TOps.Zero), TOps.Subtract(n, TOps.FloorQuotientAtMost(room, step, n)), n);
        clipped += (long)TOps.SumLanes(TOps.And(outside, count));
        return TOps.Select(above, hi, TOps.Select(below, lo, next));
    }

    /// <summary>Clips one device's aggregated step to its bounds, counting the pulses that did not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clip(int n, float before, float step, float lo, float hi, ref float next, ref long clipped)
    {
        if (next > hi) { clipped += ClippedCount(n, hi - before, step); next = hi; }
        else if (next < lo) { clipped += ClippedCount(n, before - lo, step); next = lo; }
    }
}

/// <summary>
/// ConstantStep devices as arrays: scale_up[] and scale_down[] (copied from the interleaved hidden parameters) and
/// the row kernel over <see cref="ISimdLawOps{TVec}"/>: lanes with pulses take their Gaussian (one each, in column
/// order), step once by <see cref="ConstantStepLaw.Aggregate"/>, and lanes that leave their bounds are clipped one by
/// one with the clipped-pulse count.
/// </summary>
internal sealed class ConstantStepArray : DeviceArray
{
    public ConstantStepArray(ConstantStepDevice device, DeviceArrayState state) : base(state, 0, device.DwMinStd > 0 ? 1 : 0)
    {
        Std = device.DwMinStd;
        ScaleUp = new float[state.Weights.Length];
        ScaleDown = new float[state.Weights.Length];
        Refresh();
    }

    /// <summary>dw_min_std: the relative cycle-to-cycle spread of a step.</summary>
    public float Std { get; }

    /// <summary>Each device's up step.</summary>
    public float[] ScaleUp { get; }

    /// <summary>Each device's down step.</summary>
    public float[] ScaleDown { get; }

    public override void Refresh()
    {
        var p = State.Parameters;
        int per = State.ParametersPerDevice;
        for (int k = 0; k < ScaleUp.Length; k++) { ScaleUp[k] = p[k * per]; ScaleDown[k] = p[k * per + 1]; }
    }

    public override long ApplyNow(int k, int n, int direction, RandomStream random)
    {
        float step = direction > 0 ? ScaleUp[k] : ScaleDown[k];
        float before = State.Weights[k];
        float next = before + direction * ConstantStepLaw.Aggregate<SimdLawScalar, float>(step, n, Std, Std > 0 ? random.NextGaussian() : 0f);
        long clipped = 0;
        ConstantStepLaw.Clip(n, before, step, State.MinBounds[k], State.MaxBounds[k], ref next, ref clipped);
        State.Weights[k] = next;
        return clipped;
    }

    protected override long Kernel(int firstDevice, int columns, ReadOnlySpan<int> only, float[] counts, int[] offsets, float[] gaussians, RandomStream random)
    {
        if (Sparse(only.Length, columns))
        {
            // A sparse row: its few devices one lane wide (the same body, so the same bits).
            long clipped = 0;
            foreach (int j in only) clipped += Lanes<SimdLawScalar, float>(firstDevice, j, counts, offsets, gaussians);
            return clipped;
        }
        return SimdDispatch.For(columns) switch
        {
            SimdWidth.V512 => Row<SimdLaw512, Vector512<float>>(firstDevice, columns, counts, offsets, gaussians),
            SimdWidth.V256 => Row<SimdLaw256, Vector256<float>>(firstDevice, columns, counts, offsets, gaussians),
            SimdWidth.V128 => Row<SimdLaw128, Vector128<float>>(firstDevice, columns, counts, offsets, gaussians),
            _ => Row<SimdLawScalar, float>(firstDevice, columns, counts, offsets, gaussians),
        };
    }

    private long Row<TOps, TVec>(int firstDevice, int columns, float[] counts, int[] offsets, float[] gaussians)
        where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        long clipped = 0;
        int j = 0;
        for (; j + TOps.Count <= columns; j += TOps.Count) clipped += Lanes<TOps, TVec>(firstDevice, j, counts, offsets, gaussians);
        for (; j < columns; j++) clipped += Lanes<SimdLawScalar, float>(firstDevice, j, counts, offsets, gaussians);
        return clipped;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long Lanes<TOps, TVec>(int firstDevice, int j, float[] counts, int[] offsets, float[] gaussians)
        where TOps : struct, ISimdLawOps<TVec> where TVec : struct
    {
        ref float countRef = ref MemoryMarshal.GetArrayDataReference(counts);
        TVec signed = TOps.Load(ref countRef, (nuint)j);
        if (!TOps.AnyBitSet(signed)) return 0;
        TOps.Store(TOps.Zero, ref countRef, (nuint)j);
        nuint k = (nuint)(firstDevice + j);
        TVec n = TOps.Abs(signed);
        TVec up = TOps.GreaterThan(signed, TOps.Zero);
        TVec direction = TOps.Select(up, TOps.Broadcast(1f), TOps.Broadcast(-1f));
        TVec step = TOps.Select(up, TOps.Load(ref MemoryMarshal.GetArrayDataReference(ScaleUp), k), TOps.Load(ref MemoryMarshal.GetArrayDataReference(ScaleDown), k));
        TVec xi = TOps.Zero;
        // Each lane with pulses takes the Gaussian at its offset (its only one). The offsets of lanes without pulses are
        // stale but inside the buffer (it only grows), and their lanes keep their weight.
        if (Std > 0) xi = TOps.Gather(gaussians, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(offsets), j), ref MemoryMarshal.GetArrayDataReference(s_zeros), 0);
        TVec sum = ConstantStepLaw.Aggregate<TOps, TVec>(step, n, Std, xi);
        ref float weights = ref MemoryMarshal.GetArrayDataReference(State.Weights);
        TVec before = TOps.Load(ref weights, k);
        // Lanes without pulses keep their weight bit for bit (also a -0).
        TVec next = TOps.Select(TOps.GreaterThan(n, TOps.Zero), TOps.Add(before, TOps.Multiply(direction, sum)), before);
        TVec hi = TOps.Load(ref MemoryMarshal.GetArrayDataReference(State.MaxBounds), k);
        TVec lo = TOps.Load(ref MemoryMarshal.GetArrayDataReference(State.MinBounds), k);
        long clipped = 0;
        TOps.Store(ConstantStepLaw.ClipLanes<TOps, TVec>(next, before, n, step, lo, hi, ref clipped), ref weights, k);
        return clipped;
    }

    private static readonly int[] s_zeros = new int[16];
}
